package org.jham.agent.plugin.testplugins;

import java.util.ArrayList;
import java.util.List;

/** What the test plugins were asked to do, in order. Thread-safe. */
public final class Calls {
    private static final List<String> CALLS = new ArrayList<>();

    private Calls() {
    }

    public static synchronized void record(String call) {
        CALLS.add(call);
    }

    public static synchronized List<String> snapshot() {
        return List.copyOf(CALLS);
    }

    public static synchronized void reset() {
        CALLS.clear();
    }
}
