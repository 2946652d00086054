package org.jham.recovery;

/**
 * A client's recovery function (the guide's {@code RFp}, {@code int (*)(int coid, void *rhdl)}):
 * called when an operation on an HA-aware connection failed because the connection is stale
 * (see {@link StaleConnections}), to repair the connection in place.
 *
 * <p>It may reconnect to the same server or to another one ({@code reopen}/{@code reconnect} on
 * the connection replace what the connection talks through, keeping its identity) and rebuild the
 * connection's state (seek to an offset, re-send a handshake), using the connection itself for
 * that I/O; a failure of that I/O is not recovered again (there is no recovery inside a recovery).
 *
 * <p>It returns {@code connection} itself to say "recovered": the library then retries the failed
 * operation. It returns {@code null} (the guide's {@code -1}) to give up: the failed operation's
 * original outcome reaches its caller. Returning another object is a failed recovery, as a
 * different connection id is in C. An exception thrown by the function also gives up: the
 * original failure is thrown with the function's exception {@linkplain Throwable#getSuppressed()
 * suppressed} in it (an {@link InterruptedException} also sets the thread's interrupt status
 * again).
 *
 * <p>Called on the thread whose operation failed, holding the connection's recovery lock: other
 * users of the connection (and of its {@code dup}s) that fail meanwhile wait, then retry on the
 * repaired connection without calling the function again. Keep it bounded in time.
 *
 * @param <C> the connection type
 * @param <H> the handle type (the guide's {@code rhdl}: the client's own state for recovery)
 */
@FunctionalInterface
public interface RecoveryFunction<C, H> {
    /**
     * Repairs {@code connection}.
     *
     * @param connection the connection whose operation failed (the copy that failed, for a
     *        {@code dup}ed connection; all copies share what it talks through)
     * @param handle the handle given to {@code attach}
     * @return {@code connection} once recovered, or {@code null} to give up
     * @throws Exception to give up (see above)
     */
    C recover(C connection, H handle) throws Exception;
}
