/**
 * How a HAM is launched: {@code bin/ham} ({@link org.jham.agent.launch.HamMain}), jsvc
 * ({@link org.jham.agent.launch.HamDaemon}), {@code -javaagent} in a host JVM
 * ({@link org.jham.agent.launch.HamAgent}); all assemble a {@link org.jham.agent.launch.HamServer}
 * from {@link org.jham.agent.launch.HamOptions}. The agent given {@code entity=} hands over to
 * {@link org.jham.agent.monitor} instead: a monitored JVM, not a HAM.
 */
package org.jham.agent.launch;
