package org.jham.agent.process;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Notices the deaths of processes attached by pid (children of the HAM report their own ends,
 * see {@link Child}): one shared timer polls {@code /proc} (the JDK's own non-child polling backs
 * off to seconds), treating zombies and reused pids as dead. Callbacks run on the poller thread.
 * Thread-safe.
 */
public final class ProcessWatcher implements AutoCloseable {
    /** Cancels a watch. */
    public interface Watch {
        void cancel();
    }

    private final ScheduledExecutorService poller;
    private final long pollMillis;
    /** Every watch, several per pid when several entities are one process (a JVM attached itself twice). */
    private final Set<Polled> polled = ConcurrentHashMap.newKeySet();
    /** Scheduled only while some pid is polled: an idle HAM does not wake up. Guarded by this. */
    private ScheduledFuture<?> sweep;
    private final Consumer<Throwable> errors;

    private static final class Polled {
        final long pid;
        final long startTime;
        final Consumer<ExitStatus> onDeath;

        Polled(long pid, long startTime, Consumer<ExitStatus> onDeath) {
            this.pid = pid;
            this.startTime = startTime;
            this.onDeath = onDeath;
        }
    }

    public ProcessWatcher(long pollMillis, Consumer<Throwable> errors) {
        this.pollMillis = pollMillis;
        this.errors = errors;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ham-liveness-poll");
            t.setDaemon(true);
            return t;
        });
    }

    public long pollMillis() {
        return pollMillis;
    }

    /**
     * Watches a process that is not our child by polling; {@code startTime} is its
     * {@link ProcStat#liveStartTime} when it was attached.
     */
    public Watch watchPid(long pid, long startTime, Consumer<ExitStatus> onDeath) {
        Polled p = new Polled(pid, startTime, onDeath);
        polled.add(p);
        synchronized (this) {
            if (sweep == null) {
                sweep = poller.scheduleWithFixedDelay(this::sweep, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
            }
        }
        return () -> polled.remove(p);
    }

    private void sweep() {
        synchronized (this) {
            if (polled.isEmpty()) {
                sweep.cancel(false);
                sweep = null;
                return;
            }
        }
        // One /proc read per process, however many entities it is (a JVM attached as many).
        java.util.Map<Long, java.util.OptionalLong> seen = new java.util.HashMap<>();
        for (Polled p : polled) {
            java.util.OptionalLong now = seen.computeIfAbsent(p.pid, ProcStat::liveStartTime);
            if (!ProcStat.isSameLiveProcess(now, p.startTime) && polled.remove(p)) {
                deliver(p.onDeath, ExitStatus.unknown());
            }
        }
    }

    /** Reports an internal failure of a death callback (to the activity log). */
    public void report(Throwable t) {
        errors.accept(t);
    }

    /** One failing callback must not stop the sweep of the other pids or kill a waiter silently. */
    private void deliver(Consumer<ExitStatus> onDeath, ExitStatus status) {
        try {
            onDeath.accept(status);
        } catch (RuntimeException e) {
            errors.accept(e);
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
