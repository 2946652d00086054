/**
 * Test fixtures: a real JMXMP connector server on an ephemeral loopback port over a fresh MBean
 * server, and small stand-ins for the HAM's MBeans (the real ones live in {@code ham-agent}).
 */
package org.jham.testing;
