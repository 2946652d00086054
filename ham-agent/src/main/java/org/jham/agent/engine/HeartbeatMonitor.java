package org.jham.agent.engine;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jham.ConditionType;

/**
 * Watches the heartbeats of self-attached entities: one {@link HeartbeatAccount} each, judged at
 * its period boundaries by one timer thread ({@code ham-heartbeat}). A heartbeat touches only its
 * account (no engine lock), so thousands of entities beating at 10 Hz cost the engine nothing
 * until one misses. A late timer judges every boundary it missed, by the beats' own receipt
 * times. Thread-safe.
 */
final class HeartbeatMonitor implements AutoCloseable {
    /** Told (on the timer thread) when an entity reached a missed-heartbeat mark. */
    interface Sink {
        void missed(String ename, long generation, ConditionType type, int misses);
    }

    /** One watched entity. */
    private static final class Watch {
        final long generation;
        final HeartbeatAccount account;
        volatile Instant lastBeat;
        volatile ScheduledFuture<?> task;

        Watch(long generation, HeartbeatAccount account) {
            this.generation = generation;
            this.account = account;
        }
    }

    /** What {@code .info} shows of an entity's heartbeat. */
    record View(HeartbeatAccount.State state, Instant lastBeat, int misses, long beats) {
    }

    private final Map<String, Watch> watches = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer;
    private final LongSupplier nanos;
    private final Clock clock;
    private final Sink sink;

    HeartbeatMonitor(LongSupplier nanos, Clock clock, Sink sink) {
        this.nanos = nanos;
        this.clock = clock;
        this.sink = sink;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "ham-heartbeat");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Starts (or restarts) watching {@code ename}: boundaries every {@code periodNanos} from now. */
    void watch(String ename, long generation, long periodNanos, int low, int high) {
        start(ename, generation, HeartbeatAccount.fromAttach(nanos.getAsLong(), periodNanos, low, high), 0, periodNanos);
    }

    /**
     * Watches a restored entity: its saved episode (state, misses) goes on, and boundaries start
     * only after {@code graceNanos}, the time its client needs to reconnect and beat again.
     */
    void restore(String ename, long generation, long periodNanos, int low, int high, String state, int misses,
                 long graceNanos) {
        HeartbeatAccount account = HeartbeatAccount.fromAttach(nanos.getAsLong() + graceNanos, periodNanos, low, high);
        account.resume(state, misses);
        start(ename, generation, account, graceNanos, periodNanos);
    }

    /** Replaces {@code ename}'s watch; its first judgement comes a period after {@code delayNanos}. */
    private void start(String ename, long generation, HeartbeatAccount account, long delayNanos, long periodNanos) {
        Watch w = new Watch(generation, account);
        Watch old = watches.put(ename, w);
        if (old != null) {
            cancel(old);
        }
        w.task = timer.scheduleAtFixedRate(() -> judge(ename, w), delayNanos + periodNanos, periodNanos,
                TimeUnit.NANOSECONDS);
    }

    void unwatch(String ename) {
        Watch w = watches.remove(ename);
        if (w != null) {
            cancel(w);
        }
    }

    /** A heartbeat from {@code ename}; returns its heartbeats so far, or -1 when it is not watched. */
    long beat(String ename) {
        Watch w = watches.get(ename);
        if (w == null) {
            return -1;
        }
        long n = w.account.beat(nanos.getAsLong());
        w.lastBeat = clock.instant();
        return n;
    }

    /** heartbeat_healthy; false when the entity is not watched. */
    boolean healthy(String ename) {
        Watch w = watches.get(ename);
        if (w == null) {
            return false;
        }
        w.account.healthy(nanos.getAsLong());
        return true;
    }

    /** The entity's heartbeat as {@code .info} shows it, or null when it is not watched. */
    View view(String ename) {
        Watch w = watches.get(ename);
        return w == null ? null : new View(w.account.state(), w.lastBeat, w.account.misses(), w.account.beats());
    }

    private void judge(String ename, Watch w) {
        if (watches.get(ename) != w) {
            return;
        }
        List<ConditionType> fire = w.account.advance(nanos.getAsLong());
        for (ConditionType t : fire) {
            // A mark fires when the count reaches it (a late judge may have counted on since).
            sink.missed(ename, w.generation, t, w.account.mark(t));
        }
    }

    private static void cancel(Watch w) {
        ScheduledFuture<?> f = w.task;
        if (f != null) {
            f.cancel(false);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        watches.clear();
    }
}
