package org.jham.agent.process;

import java.util.function.Consumer;

/** A process the HAM started: its pid, and its end reported once with its exit status. */
public interface Child {
    long pid();

    /**
     * Calls {@code onExit} once when the process ends (at once if it already has), on a thread of
     * the spawner, never on the caller's thread.
     */
    ProcessWatcher.Watch onExit(Consumer<ExitStatus> onExit);
}
