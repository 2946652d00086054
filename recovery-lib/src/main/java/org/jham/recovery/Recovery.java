package org.jham.recovery;

import static org.jham.recovery.HaConstants.HA_RECOVERY_ACOUNT;
import static org.jham.recovery.HaConstants.HA_RECOVERY_ENABLE;
import static org.jham.recovery.HaConstants.HA_RECOVERY_ICOUNT;
import static org.jham.recovery.HaConstants.HA_RECOVERY_RESET_ACOUNT;
import static org.jham.recovery.HaConstants.HA_RECOVERY_RESET_ICOUNT;
import static org.jham.recovery.HaConstants.HA_RECOVERY_SUSPEND;

/**
 * The recovery mechanism {@code ha_attach} gives a connection and {@code ha_dup} shares: the
 * function and handle, the limits and counts of {@code ha_connection_ctrl}, the enabled bit, and
 * a count of the copies that hold it (it lives until the last one detaches or closes).
 * Thread-safe: every field is guarded by {@code this}; {@link #iterations} is also volatile so
 * that the no-failure path can read it without the lock.
 */
final class Recovery<C> {
    /** The function with its handle, captured together so that each keeps its type. */
    record Registration<C, H>(RecoveryFunction<C, H> function, H handle) {
        C run(C connection) throws Exception {
            return function.recover(connection, handle);
        }
    }

    private Registration<C, ?> registration;
    private int refs = 1;
    private boolean enabled = true;
    private int totalLimit = -1;
    private int iterationLimit = -1;
    private long total;
    private volatile int iterations;

    <H> Recovery(RecoveryFunction<C, H> function, H handle) {
        registration = new Registration<>(function, handle);
    }

    synchronized <H> void replace(RecoveryFunction<C, H> function, H handle) {
        registration = new Registration<>(function, handle);
    }

    synchronized void retain() {
        refs++;
    }

    /** Drops one copy's hold; the last one lets the function and handle go. */
    synchronized void release() {
        if (--refs == 0) {
            registration = null;
        }
    }

    /**
     * Counts one recovery and returns what to call, or {@code null} when none may run: suspended,
     * or a limit reached.
     */
    synchronized Registration<C, ?> begin() {
        if (!enabled || registration == null || (totalLimit >= 0 && total >= totalLimit)
                || (iterationLimit >= 0 && iterations >= iterationLimit)) {
            return null;
        }
        total++;
        iterations++;
        return registration;
    }

    /** An operation succeeded: the failure, if any, is over (the guide: reset on recovery). */
    void succeeded() {
        if (iterations != 0) {
            synchronized (this) {
                iterations = 0;
            }
        }
    }

    synchronized long total() {
        return total;
    }

    synchronized void control(int command, int value) {
        switch (command) {
            case HA_RECOVERY_ACOUNT:
                totalLimit = value;
                break;
            case HA_RECOVERY_ICOUNT:
                iterationLimit = value;
                break;
            case HA_RECOVERY_SUSPEND:
                enabled = false;
                break;
            case HA_RECOVERY_ENABLE:
                enabled = true;
                break;
            case HA_RECOVERY_RESET_ICOUNT:
                iterations = 0;
                break;
            case HA_RECOVERY_RESET_ACOUNT:
                total = 0;
                break;
            default:
                throw new HaException(HaErrno.EINVAL, "unknown ha_connection_ctrl command " + command);
        }
    }
}
