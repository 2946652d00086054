/**
 * The client library's machinery, not API: {@link org.jham.internal.Link} (one open JMX
 * connection to a HAM, JMXMP or in-process, with its in-flight call count and bounded connect and
 * close), {@code Transport} (the JMXMP message connection that does not reconnect on its own) and
 * {@link org.jham.internal.Remote} (the one place where whatever a remote call throws becomes a
 * {@link org.jham.HamException}). Types here may change without notice.
 */
package org.jham.internal;
