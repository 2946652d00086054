package org.jham.agent.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jham.HamConstants;

/**
 * The guide's three lanes: every HCONDNOWAIT condition runs in one lane in FIFO order; each
 * HCONDINDEPENDENT condition (without NOWAIT) runs in a lane of its own; every other condition
 * runs in one more lane in FIFO order. A lane runs one {@link Job} at a time, on its own thread;
 * a job that waits (a waitfor) does not sleep: it schedules its continuation on its lane's timer
 * and returns, and the lane takes its next job only when the job says it {@link Lane#finished}.
 * So a waitfor delays exactly the lists behind it in its own lane and nothing else, and the
 * thread count is at most (independent conditions + 2). Lane threads are started up front so a
 * death does not pay for a thread start. Thread-safe.
 */
final class Dispatcher {
    /** A lane is chosen from the condition's flags at the moment it fires. */
    enum LaneKind { NOWAIT, INDEPENDENT, OTHER }

    /** One fired list: runs on its lane's thread and must end by calling {@link Lane#finished()}. */
    interface Job {
        void start(Lane lane);
    }

    /** A serial lane: one thread, one job at a time, FIFO. */
    static final class Lane {
        private final ScheduledThreadPoolExecutor thread;
        private final ArrayDeque<Job> queue = new ArrayDeque<>();
        private boolean busy;
        private boolean retired;

        Lane(String name) {
            thread = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
            thread.setRemoveOnCancelPolicy(true);
            thread.prestartAllCoreThreads();
        }

        void submit(Job job) {
            synchronized (this) {
                if (busy) {
                    queue.add(job);
                    return;
                }
                busy = true;
            }
            begin(job);
        }

        /** The running job is done: the next one starts. Called on the lane thread. */
        void finished() {
            Job next;
            synchronized (this) {
                next = queue.poll();
                if (next == null) {
                    busy = false;
                    notifyAll();
                    if (retired) {
                        thread.shutdown();
                    }
                    return;
                }
            }
            begin(next);
        }

        /** Runs {@code step} on this lane's thread after {@code delayMillis} (0 = as soon as possible). */
        void later(long delayMillis, Runnable step) {
            try {
                thread.schedule(step, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // The HAM is stopping: the waiting list is cut short.
            }
        }

        private void begin(Job job) {
            try {
                thread.execute(() -> job.start(this));
            } catch (RejectedExecutionException e) {
                // The HAM is stopping.
            }
        }

        /** No more jobs will come: the thread ends once the queued ones are done. */
        synchronized void retire() {
            retired = true;
            if (!busy) {
                thread.shutdown();
            }
        }

        /** Waits (up to the deadline) until the lane is idle. */
        synchronized boolean awaitIdle(long deadlineNanos) throws InterruptedException {
            while (busy) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }

        void kill() {
            thread.shutdownNow();
        }
    }

    private final Lane nowait = new Lane("ham-lane-nowait");
    private final Lane other = new Lane("ham-lane-other");
    private final Map<Object, Lane> independent = new ConcurrentHashMap<>();
    private volatile boolean shutdown;

    static LaneKind laneOf(int conditionFlags) {
        if ((conditionFlags & HamConstants.HCONDNOWAIT) != 0) {
            return LaneKind.NOWAIT;
        }
        return (conditionFlags & HamConstants.HCONDINDEPENDENT) != 0 ? LaneKind.INDEPENDENT : LaneKind.OTHER;
    }

    /**
     * Queues {@code job} in the lane of a condition; {@code conditionKey} identifies the condition
     * for its independent lane (named after {@code conditionPath}), {@code conditionGone} says it was removed meanwhile (its lane is
     * then retired as soon as the job is done).
     */
    void submit(Object conditionKey, String conditionPath, int conditionFlags, boolean conditionGone, Job job) {
        if (shutdown) {
            return;
        }
        switch (laneOf(conditionFlags)) {
            case NOWAIT:
                nowait.submit(job);
                break;
            case INDEPENDENT:
                // Named after its condition, so a thread dump says which condition waits.
                Lane l = independent.computeIfAbsent(conditionKey,
                        k -> new Lane("ham-lane-independent " + conditionPath));
                l.submit(job);
                if (conditionGone) {
                    conditionRemoved(conditionKey);
                }
                break;
            default:
                other.submit(job);
        }
    }

    /** Ends the independent lane of a removed (or no longer independent) condition once its jobs are done. */
    void conditionRemoved(Object conditionKey) {
        Lane l = independent.remove(conditionKey);
        if (l != null) {
            l.retire();
        }
    }

    /** How many lane threads exist now (for tests of the guide's bound). */
    int laneCount() {
        return 2 + independent.size();
    }

    /** Graceful: lets queued and running lists (waits included) finish within {@code graceMillis}; abrupt: cancels. */
    void shutdown(boolean abrupt, long graceMillis) {
        shutdown = true;
        List<Lane> all = new ArrayList<>(independent.values());
        all.add(nowait);
        all.add(other);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(abrupt ? 0 : graceMillis);
        for (Lane l : all) {
            try {
                if (!abrupt) {
                    l.awaitIdle(deadline);
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            l.kill();
        }
    }
}
