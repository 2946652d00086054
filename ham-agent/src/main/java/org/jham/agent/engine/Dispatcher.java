package org.jham.agent.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jham.HamConstants;

/**
 * The guide's three lanes: every HCONDNOWAIT condition runs in one thread in FIFO order; each
 * HCONDINDEPENDENT condition (without NOWAIT) runs in a thread of its own; every other condition
 * runs in one more thread in FIFO order. At most (independent conditions + 2) threads. Lane
 * threads are started up front so a death does not pay for a thread start. Thread-safe.
 */
final class Dispatcher {
    /** A lane is chosen from the condition's flags at the moment it fires. */
    enum Lane { NOWAIT, INDEPENDENT, OTHER }

    private final ExecutorService nowait = lane("ham-lane-nowait");
    private final ExecutorService other = lane("ham-lane-other");
    private final Map<Object, ExecutorService> independent = new ConcurrentHashMap<>();
    private volatile boolean shutdown;

    static Lane laneOf(int conditionFlags) {
        if ((conditionFlags & HamConstants.HCONDNOWAIT) != 0) {
            return Lane.NOWAIT;
        }
        return (conditionFlags & HamConstants.HCONDINDEPENDENT) != 0 ? Lane.INDEPENDENT : Lane.OTHER;
    }

    /**
     * Runs {@code job} in the lane of a condition; {@code conditionKey} identifies the condition
     * for its independent lane.
     */
    void submit(Object conditionKey, int conditionFlags, Runnable job) {
        if (shutdown) {
            return;
        }
        switch (laneOf(conditionFlags)) {
            case NOWAIT:
                nowait.execute(job);
                break;
            case INDEPENDENT:
                independent.computeIfAbsent(conditionKey, k -> lane("ham-lane-independent")).execute(job);
                break;
            default:
                other.execute(job);
        }
    }

    /** Ends the independent lane of a removed condition once its queued work is done. */
    void conditionRemoved(Object conditionKey) {
        ExecutorService e = independent.remove(conditionKey);
        if (e != null) {
            e.shutdown();
        }
    }

    /** Graceful: lets queued and running lists finish within {@code graceMillis}; abrupt: cancels. */
    void shutdown(boolean abrupt, long graceMillis) {
        shutdown = true;
        ExecutorService[] all = allLanes();
        for (ExecutorService e : all) {
            if (abrupt) {
                e.shutdownNow();
            } else {
                e.shutdown();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(abrupt ? 0 : graceMillis);
        for (ExecutorService e : all) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !e.awaitTermination(left, TimeUnit.NANOSECONDS)) {
                    e.shutdownNow();
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                e.shutdownNow();
            }
        }
    }

    private ExecutorService[] allLanes() {
        ExecutorService[] ind = independent.values().toArray(new ExecutorService[0]);
        ExecutorService[] all = new ExecutorService[ind.length + 2];
        all[0] = nowait;
        all[1] = other;
        System.arraycopy(ind, 0, all, 2, ind.length);
        return all;
    }

    private static ExecutorService lane(String name) {
        ThreadPoolExecutor e = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        e.prestartAllCoreThreads();
        return e;
    }
}
