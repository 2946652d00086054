package org.jham.agent.monitor;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import org.jham.JvmConditions;

/**
 * The JVM's own detectors, whose findings the agent raises to the HAM (see {@link JvmConditions}):
 * <ul>
 *   <li><b>deadlock</b>: {@code ThreadMXBean.findDeadlockedThreads()} (monitors and ownable
 *       synchronizers) finds threads blocked on each other. Also the agent's health test: it
 *       beats only while this finds none.</li>
 *   <li><b>low memory after GC</b>: a heap pool's usage after collection
 *       ({@code MemoryPoolMXBean.getCollectionUsage()}) reached {@code memory=} percent of the
 *       pool's maximum. Pools without a maximum and the young pools (eden, survivor: full after a
 *       collection is normal there) are left out. The agent sets the pool's collection-usage
 *       threshold, unless the application already set one, so that the JVM's notification makes
 *       the check run right after the collection.</li>
 * </ul>
 * Each raises once per {@link Episode}. Not thread-safe: {@link #check} runs on the monitor
 * thread; the memory notification only asks for a check through the given callback.
 */
final class JvmDetectors implements AutoCloseable {
    /** Delivers a raise to the HAM; false when it could not (tried again at the next check). */
    interface Raiser {
        boolean raise(int type, int severity);
    }

    private final MonitorOptions options;
    private final PrintStream err;
    /** Set by {@link #install}: nothing of java.lang.management is touched in premain. */
    private ThreadMXBean threads;
    private final List<MemoryPoolMXBean> pools = new ArrayList<>();
    /** The pools whose threshold this agent set (reset on close). */
    private final List<MemoryPoolMXBean> thresholdsSet = new ArrayList<>();
    private final Episode deadlock = new Episode();
    private final Episode memory = new Episode();
    /** The search stops the world briefly: done only when raised, or when the agent beats on it. */
    private final boolean watchDeadlocks;
    private NotificationListener listener;

    JvmDetectors(MonitorOptions options, PrintStream err) {
        this.options = options;
        this.err = err;
        this.watchDeadlocks = options.detect().contains(MonitorOptions.Detector.DEADLOCK) || options.agentBeats();
    }

    /**
     * Finds the heap pools to watch and sets their thresholds; {@code checkSoon} is called (on a
     * JMX notification thread) when a collection crossed one.
     */
    void install(Runnable checkSoon) {
        threads = ManagementFactory.getThreadMXBean();
        if (!options.detect().contains(MonitorOptions.Detector.MEMORY)) {
            return;
        }
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            String name = p.getName().toLowerCase(Locale.ROOT);
            if (p.getType() != MemoryType.HEAP || !p.isCollectionUsageThresholdSupported() || p.getUsage().getMax() <= 0
                    || name.contains("eden") || name.contains("survivor")) {
                continue;
            }
            pools.add(p);
            if (p.getCollectionUsageThreshold() == 0) {
                p.setCollectionUsageThreshold(threshold(p));
                thresholdsSet.add(p);
            }
        }
        if (pools.isEmpty()) {
            err.println("jham agent: no heap pool of this JVM reports its usage after collection with a maximum:"
                    + " the memory detector is off");
            return;
        }
        listener = (Notification n, Object handback) -> {
            if (MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(n.getType())) {
                checkSoon.run();
            }
        };
        ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).addNotificationListener(listener, null, null);
    }

    private long threshold(MemoryPoolMXBean p) {
        return p.getUsage().getMax() / 100 * options.memoryPercent();
    }

    /**
     * Runs every detector, raising what began (or is still due).
     *
     * @return true when the JVM is healthy enough to heartbeat: no deadlocked threads
     */
    boolean check(Raiser raiser) {
        long[] ids = watchDeadlocks ? deadlockedThreads() : null;
        deadlock.observe(ids != null && ids.length > 0);
        if (options.detect().contains(MonitorOptions.Detector.DEADLOCK)) {
            if (deadlock.began()) {
                err.println("jham agent: deadlock: " + describe(ids) + " (raising type " + JvmConditions.TYPE_DEADLOCK
                        + ", class " + JvmConditions.CLASS_JVM + ", severity " + JvmConditions.SEVERITY_CRITICAL + ")");
            }
            if (deadlock.due() && raiser.raise(JvmConditions.TYPE_DEADLOCK, JvmConditions.SEVERITY_CRITICAL)) {
                deadlock.raised();
            }
        }
        checkMemory(raiser);
        return !deadlock.active();
    }

    /** The low-memory detector alone (after a threshold notification). */
    void checkMemory(Raiser raiser) {
        if (pools.isEmpty()) {
            return;
        }
        MemoryPoolMXBean low = null;
        for (MemoryPoolMXBean p : pools) {
            MemoryUsage after = p.getCollectionUsage();
            if (after != null && after.getUsed() >= threshold(p)) {
                low = p;
                break;
            }
        }
        boolean was = memory.active();
        memory.observe(low != null);
        if (was && !memory.active()) {
            err.println("jham agent: low memory after GC ended: every watched heap pool is below "
                    + options.memoryPercent() + "% of its maximum after collection");
        }
        if (memory.began()) {
            MemoryUsage after = low.getCollectionUsage();
            err.println("jham agent: low memory after GC: '" + low.getName() + "' holds " + after.getUsed() * 100
                    / low.getUsage().getMax() + "% of its maximum after collection (memory=" + options.memoryPercent()
                    + "; raising type " + JvmConditions.TYPE_LOW_MEMORY + ", class " + JvmConditions.CLASS_JVM
                    + ", severity " + JvmConditions.SEVERITY_WARNING + ")");
        }
        if (memory.due() && raiser.raise(JvmConditions.TYPE_LOW_MEMORY, JvmConditions.SEVERITY_WARNING)) {
            memory.raised();
        }
    }

    /** A new HAM entity: episodes still going on are raised again. */
    void forgetRaises() {
        deadlock.forgetRaise();
        memory.forgetRaise();
    }

    private long[] deadlockedThreads() {
        return threads.isSynchronizerUsageSupported() ? threads.findDeadlockedThreads()
                : threads.findMonitorDeadlockedThreads();
    }

    private String describe(long[] ids) {
        StringJoiner j = new StringJoiner(", ", "threads ", " are deadlocked");
        for (ThreadInfo t : threads.getThreadInfo(ids)) {
            if (t != null) {
                j.add("'" + t.getThreadName() + "' (waiting for " + t.getLockName() + " held by '" + t.getLockOwnerName()
                        + "')");
            }
        }
        return j.toString();
    }

    @Override
    public void close() {
        if (listener != null) {
            try {
                ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).removeNotificationListener(listener);
            } catch (ListenerNotFoundException e) {
                // Never added: nothing to remove.
            }
            listener = null;
        }
        for (MemoryPoolMXBean p : thresholdsSet) {
            p.setCollectionUsageThreshold(0);
        }
        thresholdsSet.clear();
        pools.clear();
    }
}
