/**
 * Java ports of the guide's examples, each a main class using only the public client library
 * ({@code org.jham} in ham-mbeans) and runnable against a HAM started with {@code bin/ham}
 * ({@code -node HOST:PORT}, default the local HAM). Chapter 4, in the guide's order:
 * <ul>
 * <li>{@link org.jham.samples.SimpleRestart} — "Example to monitor inetd" ({@code addinet.c}): a
 *     death condition with a restart.</li>
 * <li>{@link org.jham.samples.CompoundRestart} — "Example to monitor fs-nfs2" ({@code addnfs.c}):
 *     restart, then waits and commands in order; the mounts are stand-ins writing a trace.</li>
 * <li>{@link org.jham.samples.EventNotification} — "A client example" ({@code regevent.c}): pulses
 *     and a signal about inetd and Fs-nfs2, set up by the two above.</li>
 * </ul>
 * {@code samples/jmxterm/} holds the first two as jmxterm scripts.
 */
package org.jham.samples;
