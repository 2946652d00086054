/**
 * The guide's two examples of the client recovery library (chapter 5, "Using the Client Recovery
 * Library") in Java, on {@code recovery-lib}, against a small server that a HAM restarts:
 * <ul>
 * <li>{@link org.jham.samples.recovery.RecoverySimple} — "A simple example": HA-aware connections,
 *     {@code ha_dup}, replacing a recovery function, {@code ha_close}; the recovery reopens.</li>
 * <li>{@link org.jham.samples.recovery.RecoveryStateReconstruction} — "State-reconstruction
 *     example": the recovery reopens and seeks to the offset the client checkpointed.</li>
 * <li>{@link org.jham.samples.recovery.FileServer} — the server: one file over TCP, a
 *     {@code READ}/{@code SEEK} request per message; run it under a HAM with a restart on death
 *     and kill it while a sample sleeps.</li>
 * </ul>
 */
package org.jham.samples.recovery;
