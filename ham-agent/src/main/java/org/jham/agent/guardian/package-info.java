/**
 * The Guardian: a second JVM, started by the HAM, that becomes the HAM when the HAM dies.
 *
 * <p>{@link org.jham.agent.guardian.GuardianProcess} is the HAM's side: it starts the Guardian,
 * starts a new one whenever it dies (counted in Guardian Failures), and stops it first at
 * {@code ham_stop}. {@link org.jham.agent.guardian.Guardian} is the Guardian's main: it watches
 * the HAM through a JMX connection and by its pid — it waits on the state directory's lock, which
 * the HAM process holds for its whole life and the kernel releases the moment it dies, however it
 * dies — and then takes over: it replays the journal, serves on the same JMXMP address with the
 * same MBeans, adopts the processes by pid, and starts a Guardian of its own.
 */
package org.jham.agent.guardian;
