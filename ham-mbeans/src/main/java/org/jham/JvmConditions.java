package org.jham;

/**
 * The conditions a monitored JVM's agent raises ({@code ham_entity_condition_raise}) about
 * itself, beyond the guide's ("add the capability of detecting other conditions"), so that
 * subscribers can match them with {@link EntityHandle#conditionRaise}: e.g.
 * {@code e.conditionRaise("hung", JvmConditions.TYPE_DEADLOCK, JvmConditions.CLASS_JVM,
 * CONDRAISESEVERITYANY, 0)}. Each is raised once per episode: when it begins, and again only
 * after it ended and began anew (or after the JVM attached itself again to a new HAM).
 */
public final class JvmConditions {
    private JvmConditions() {
    }

    /** Threads of the JVM are deadlocked ({@code ThreadMXBean.findDeadlockedThreads()}); severity critical. */
    public static final int TYPE_DEADLOCK = 1001;

    /**
     * Low memory after a garbage collection: a heap pool's usage after collection reached the
     * agent's {@code memory=} percent of its maximum; severity warning.
     */
    public static final int TYPE_LOW_MEMORY = 1002;

    /** The class of every condition the JVM agent raises. */
    public static final int CLASS_JVM = 1;

    /** Severity of a condition that needs attention but leaves the JVM working. */
    public static final int SEVERITY_WARNING = 2;

    /** Severity of a condition after which the JVM cannot be expected to do useful work. */
    public static final int SEVERITY_CRITICAL = 3;
}
