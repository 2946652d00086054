package org.jham.recovery;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.util.List;

/**
 * Which failures mean "stale connection" — the Java analogues of the guide's EBADF and ESRCH —
 * and so start a recovery. Every other failure propagates unchanged, with no recovery.
 *
 * <p>Stale, in this order of tests:
 * <ol>
 * <li>{@link ClosedByInterruptException}: <b>not</b> stale. The caller's thread was interrupted;
 *     that is its own business, and the interrupt must reach it. (NIO closes the channel too, so
 *     the next operation, on any thread, finds it closed and recovers.)</li>
 * <li>{@link ClosedChannelException}, including {@link java.nio.channels.AsynchronousCloseException}:
 *     stale (EBADF). The channel under an open HA-aware connection was closed: behind the
 *     library's back, by an interrupt (above), or by a {@code reopen}/{@code reconnect} while
 *     this operation was blocked on it. (An operation on a connection that was itself closed
 *     throws this too but never recovers: a closed connection is not HA-aware.)</li>
 * <li>{@link PeerClosedException}: stale. The server closed its end of an {@link HaSocket}.</li>
 * <li>Any other {@link InterruptedIOException}, e.g. {@link java.net.SocketTimeoutException}:
 *     <b>not</b> stale. A slow server is not a dead one.</li>
 * <li>An {@link IOException} whose message is the C library's text of one of these errno values
 *     (the JDK reports errno only as {@code strerror} text; the JDK's own "Connection reset" is
 *     also taken):
 *     <ul>
 *     <li>EBADF "Bad file descriptor"</li>
 *     <li>ESRCH "No such process" (e.g. a {@code /proc/PID} file of a process that died)</li>
 *     <li>ESTALE "Stale file handle" (also the older "Stale NFS file handle": an NFS server
 *         that lost the file)</li>
 *     <li>ENOTCONN "Transport endpoint is not connected" (e.g. a FUSE server that died)</li>
 *     <li>EPIPE "Broken pipe" (a socket or FIFO whose reader is gone)</li>
 *     <li>ECONNRESET "Connection reset by peer", "Connection reset"</li>
 *     <li>ECONNABORTED "Software caused connection abort"</li>
 *     <li>ETIMEDOUT "Connection timed out" (the kernel gave up on an established connection's
 *         peer; not a {@code SocketTimeoutException})</li>
 *     </ul>
 *     The texts are glibc's English ones: under a locale whose C library translates them, only
 *     the type-based cases above apply.</li>
 * </ol>
 * Nothing else is stale: not end of file on a file, not {@code EIO}, {@code ENOSPC},
 * {@code EISDIR}, {@code EACCES}, not runtime exceptions such as
 * {@link java.nio.channels.NonReadableChannelException}.
 *
 * <p>Thread-safe (stateless).
 */
public final class StaleConnections {
    private StaleConnections() {
    }

    /** The {@code strerror} texts (and the JDK's own) that mean a stale connection; a message starting with one matches. */
    static final List<String> MESSAGES = List.of(
            "Bad file descriptor",
            "No such process",
            "Stale file handle",
            "Stale NFS file handle",
            "Transport endpoint is not connected",
            "Broken pipe",
            "Connection reset",
            "Software caused connection abort",
            "Connection timed out");

    /** Whether {@code failure} means a stale connection (see the class comment for the exact list). */
    public static boolean isStale(Throwable failure) {
        if (failure instanceof ClosedByInterruptException) {
            return false;
        }
        if (failure instanceof ClosedChannelException || failure instanceof PeerClosedException) {
            return true;
        }
        if (failure instanceof InterruptedIOException || !(failure instanceof IOException)) {
            return false;
        }
        String m = failure.getMessage();
        if (m == null) {
            return false;
        }
        for (String s : MESSAGES) {
            if (m.startsWith(s)) {
                return true;
            }
        }
        return false;
    }
}
