package org.jham.recovery;

import java.io.EOFException;

/**
 * The server closed its end of an {@link HaSocket} where the connection expected more: an end of
 * stream in the middle of a {@link HaSocket#msgSend reply}, or any end of stream while
 * {@link HaSocket#recoverAtEndOfStream(boolean)} is on (the default). The guide's "closed on the
 * server end": a stale connection, so it starts a recovery. A {@link HaSocket#read read} that
 * gets no recovery returns {@code -1} instead of throwing this. Thread-safe (immutable).
 */
public final class PeerClosedException extends EOFException {
    private static final long serialVersionUID = 1L;

    public PeerClosedException(String message) {
        super(message);
    }
}
