/**
 * The JMX face of a HAM: MXBean adapters over the engine (never the engine itself), the registry
 * that mirrors the tree as MBeans, and the JMXMP connector server. Engine failures cross JMX as
 * JDK exceptions with errno-prefixed messages ({@code Wire}).
 */
package org.jham.agent.jmx;
