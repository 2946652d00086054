package org.jham.samples;

import java.util.List;

/**
 * The live processes whose command line holds a marker unique to one test (a path in its own
 * temporary directory), however they were started: by the test, by the HAM, or by the HAM's
 * spawner at a moment the test did not see.
 */
final class Instances {
    private Instances() {
    }

    static List<Long> of(String marker) {
        // A zombie has an empty command line, so it is not counted.
        return ProcessHandle.allProcesses()
                .filter(h -> h.isAlive() && h.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .map(ProcessHandle::pid).sorted().toList();
    }

    /** Kills each by pid. */
    static void kill(String marker) {
        for (long pid : of(marker)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
