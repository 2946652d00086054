/**
 * Java ports of the guide's examples (its chapter 8, "Examples", in its order), each a main class
 * using only the public client library ({@code org.jham} in ham-mbeans) and runnable against a
 * HAM started with {@code bin/ham} ({@code -node HOST:PORT}, default the local HAM):
 * <ul>
 * <li>{@link org.jham.samples.SimpleRestart} — "Example to monitor inetd" ({@code addinet.c}): a
 *     death condition with a restart.</li>
 * <li>{@link org.jham.samples.CompoundRestart} — "Example to monitor fs-nfs2" ({@code addnfs.c}):
 *     restart, then waits and commands in order; the mounts are stand-ins writing a trace.</li>
 * <li>{@link org.jham.samples.EventNotification} — "A client example" ({@code regevent.c}): pulses
 *     and a signal about inetd and Fs-nfs2, set up by the two above.</li>
 * <li>{@link org.jham.samples.HeartbeatDeadlock} — "Heartbeating clients (liveness detection)"
 *     ({@code mutexdeadlock.c}): two threads deadlock over two locks; missed heartbeats warn,
 *     then a thread dump and a kill, and the death restarts it.</li>
 * <li>{@link org.jham.samples.ProcessStarvation} — "Process starvation"
 *     ({@code mutexstarvation.c}): a compute thread starves a heartbeating worker; missed
 *     heartbeats warn, then a pulse makes the compute thread back off and heartbeat_healthy
 *     resumes monitoring.</li>
 * </ul>
 * {@code samples/jmxterm/} holds the first two as jmxterm scripts; {@link org.jham.samples.recovery}
 * holds the two examples of the client recovery library (the guide's chapter 5).
 */
package org.jham.samples;
