package org.jham.recovery;

import java.io.Closeable;
import java.io.IOException;

/**
 * An HA-aware connection: one whose operations, when they fail because the connection is stale,
 * call the client's {@link RecoveryFunction} and are retried once it has repaired the
 * connection. The object is the connection's identity and stays the same across recoveries (the
 * Java meaning of the guide's "the recovery function must return the same connection id").
 * Built on {@link HaDescriptor}; see {@link HaFileChannel} and {@link HaSocket}.
 *
 * <p>Implementations are thread-safe.
 *
 * @param <C> the connection type itself
 */
public interface HaConnection<C extends HaConnection<C>> extends Closeable {

    /**
     * {@code ha_attach}: makes this connection HA-aware, or with
     * {@link HaConstants#HAREPLACERECOVERYFN} replaces the function and handle (for every
     * {@link #dup} sharing them).
     *
     * @throws HaException EBADF: closed, or HAREPLACERECOVERYFN and not HA-aware; EEXIST: HA-aware
     *         already without HAREPLACERECOVERYFN; EINVAL: a {@code null} function or unknown flags
     */
    default <H> void attach(RecoveryFunction<C, H> function, H handle, int flags) {
        descriptor().attach(function, handle, flags);
    }

    /**
     * {@code ha_detach}: no more recovery for this connection (its {@code dup}s keep theirs).
     *
     * @throws HaException EBADF: closed or not HA-aware
     */
    default void detach() {
        descriptor().detach();
    }

    /**
     * {@code ha_connection_ctrl}: {@code HA_RECOVERY_ACOUNT} / {@code HA_RECOVERY_ICOUNT} set a
     * limit ({@code value}; negative = none, the default), {@code HA_RECOVERY_SUSPEND} /
     * {@code HA_RECOVERY_ENABLE} turn recovery off and on, {@code HA_RECOVERY_RESET_ICOUNT} /
     * {@code HA_RECOVERY_RESET_ACOUNT} zero a count ({@code value} ignored by these four).
     *
     * @throws HaException EBADF: closed or not HA-aware; EINVAL: unknown command
     */
    default void connectionCtrl(int command, int value) {
        descriptor().control(command, value);
    }

    /**
     * {@code ha_dup}: a new connection object sharing this one's underlying channel (its
     * position, for a file) and recovery mechanism, reference-counted: the function lives until
     * the last copy detaches or closes, and the channel until the last copy closes.
     *
     * @throws HaException EBADF: closed or not HA-aware
     */
    C dup();

    /** Whether this connection is open and HA-aware. */
    default boolean isHaAware() {
        return descriptor().isHaAware();
    }

    /**
     * The recoveries counted against {@code HA_RECOVERY_ACOUNT}: calls of the recovery function
     * since attach or {@code HA_RECOVERY_RESET_ACOUNT} (shared by {@code dup}s); 0 when not
     * HA-aware.
     */
    default long recoveryCount() {
        return descriptor().recoveryCount();
    }

    /** Whether this connection (this copy) is open. */
    boolean isOpen();

    /**
     * {@code ha_close}: detaches this connection if it is HA-aware, then closes it; the channel
     * underneath closes with the last {@code dup}. Closing a closed connection does nothing.
     */
    @Override
    void close() throws IOException;

    /**
     * The generic core this connection is built on: what the {@code ha_*} calls above act on, and
     * what a connection built around this one (or a recovery function) may use directly.
     */
    HaDescriptor<C, ?> descriptor();
}
