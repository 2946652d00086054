package org.jham.agent.monitor;

/**
 * One detector's episode bookkeeping: a condition is raised once when it begins, not again while
 * it lasts, and anew after it ended and began again. A raise that could not be delivered (no
 * HAM) stays due; so does an episode still going on when the JVM attached itself to a new HAM
 * ({@link #forgetRaise}). Not thread-safe: used on the monitor thread only.
 */
final class Episode {
    private boolean active;
    private boolean began;
    private boolean raised;

    /** Records whether the detector sees the condition now. */
    void observe(boolean present) {
        began = present && !active;
        active = present;
        if (!present) {
            raised = false;
        }
    }

    /** True when the last {@link #observe} started an episode (tell the user once). */
    boolean began() {
        return began;
    }

    /** True while the condition is present (as of the last {@link #observe}). */
    boolean active() {
        return active;
    }

    /** True when the condition is present and the HAM has not heard of this episode yet. */
    boolean due() {
        return active && !raised;
    }

    /** The HAM heard of this episode. */
    void raised() {
        raised = true;
    }

    /** A new HAM entity: an episode still going on is raised again. */
    void forgetRaise() {
        raised = false;
    }
}
