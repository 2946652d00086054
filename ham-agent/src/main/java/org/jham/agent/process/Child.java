package org.jham.agent.process;

import java.io.File;
import java.util.List;
import java.util.function.Consumer;

/** A process the HAM started: its pid, and its end reported once with its exit status. */
public interface Child {
    /**
     * How a child ended.
     *
     * @param replacement the child the spawner started in its place at once (an armed restart),
     *                    else null
     * @param token       the token the restart was armed with
     */
    record Exit(ExitStatus status, Child replacement, long token) {
    }

    long pid();

    /**
     * Calls {@code onExit} once when the process ends (at once if it already has), on a thread of
     * the spawner, never on the caller's thread.
     */
    ProcessWatcher.Watch onExit(Consumer<Exit> onExit);

    /**
     * Asks the spawner to restart this child by itself the moment it ends (only when it dies by a
     * core-dump signal, if {@code abnormalOnly}); a later call replaces the arming.
     *
     * @return false when this child's spawner cannot do that (the HAM then restarts it itself)
     */
    default boolean armRestart(long token, boolean abnormalOnly, List<String> argv, File output) {
        return false;
    }

    /** Cancels an armed restart; one already under way is still reported. */
    default void disarmRestart() {
    }

    /**
     * The HAM saved its state with this child in it (or let it go): a held start or an armed
     * restart's replacement may now outlive the HAM. Until then the native spawner kills it if
     * the HAM dies, as the HAM taking over, which knows only the saved state, would start
     * another instance.
     */
    default void saved() {
    }
}
