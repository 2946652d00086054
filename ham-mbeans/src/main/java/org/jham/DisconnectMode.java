package org.jham;

/**
 * How {@link Ham#disconnect(String, DisconnectMode)} closes the shared connection when its
 * reference count reaches zero (the DAT endpoint model of seed 003). While the count stays above
 * zero both only decrement it. Thread-safe (an enum).
 */
public enum DisconnectMode {
    /**
     * No new calls are accepted, calls already in flight on the connection finish first (bounded
     * by the request timeout), then the connection closes. The default.
     */
    GRACEFUL,
    /** The connection closes at once; calls in flight on it fail with {@link Errno#EBADF}. */
    ABRUPT
}
