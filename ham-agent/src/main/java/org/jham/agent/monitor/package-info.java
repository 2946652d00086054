/**
 * The agent in a monitored JVM: {@code -javaagent:ham-agent.jar=entity=NAME,...} (or
 * {@code hamctrl attach-jvm PID NAME ...}) attaches the JVM to a HAM as a self-attached entity
 * with no code in the application ({@link org.jham.agent.monitor.MonitoredJvm}), from validated
 * options ({@link org.jham.agent.monitor.MonitorOptions}); heartbeats while the JVM is healthy;
 * raises the JVM's own conditions, deadlocked threads and low memory after GC
 * ({@link org.jham.agent.monitor.JvmDetectors}, constants in {@code org.jham.JvmConditions});
 * and can have the HAM restart it with its own command line
 * ({@link org.jham.agent.monitor.RestartLine}). {@link org.jham.agent.monitor.AgentLoader} loads
 * the agent into a running JVM through the Attach API.
 */
package org.jham.agent.monitor;
