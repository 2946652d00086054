/**
 * The JMX contract of a HAM: MXBean interfaces built only from open types (so JConsole and
 * jmxterm can call every operation) and the ObjectName scheme. The HAM implements them; the
 * client library proxies them.
 */
package org.jham.mbean;
