package org.jham.agent.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.jham.ConditionType;

/**
 * The heartbeat bookkeeping of one self-attached entity, after the guide's caveat: heartbeats are
 * accounted at period boundaries (t0 + k·hp). Several beats within one period count once, and a
 * beat sent early counts for the period it fell in. Each boundary that closes a period without a
 * beat counts a miss; a beat resets the count of consecutive misses. Reaching {@code low} misses
 * fires CONDHBEATMISSEDLOW and reaching {@code high} fires CONDHBEATMISSEDHIGH, each once per
 * episode (0 = never). After HIGH the entity is no longer judged until heartbeat_healthy
 * ({@link #healthy}) ends the episode and monitoring resumes with the current period counted as
 * beaten ({@link #fromAttach} counts the attach's own period as beaten too). Each boundary is judged by the beats that fell in its own period, however late
 * {@link #advance} runs (a beat that arrives after a boundary but before its judging counts for
 * the next period, never for the one the boundary closed). Pure: time comes in as arguments
 * (monotonic nanoseconds). Thread-safe (synchronized).
 */
public final class HeartbeatAccount {
    /** The {@code HeartBeat State} of {@code .info}. */
    public enum State { OK, MISSEDLOW, MISSEDHIGH }

    private final long t0;
    private final long period;
    private final int low;
    private final int high;
    /** The periods not judged yet (index >= judged) that saw a beat; period i is [t0 + i·hp, t0 + (i+1)·hp). */
    private final NavigableSet<Long> beaten = new TreeSet<>();
    /** Boundaries judged so far: boundary k (k >= 1) closes period k - 1. */
    private long judged;
    private int misses;
    private long beats;
    private State state = State.OK;
    private boolean lowFired;
    private boolean highFired;

    public HeartbeatAccount(long t0Nanos, long periodNanos, int low, int high) {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("period must be > 0, was " + periodNanos);
        }
        this.t0 = t0Nanos;
        this.period = periodNanos;
        this.low = low;
        this.high = high;
    }

    /**
     * An account whose first period (the one the entity attached in) counts as beaten, as after
     * heartbeat_healthy: a client cannot beat before its attach returns, and a cold JVM's first
     * beat may take a while. What the HAM uses.
     */
    public static HeartbeatAccount fromAttach(long t0Nanos, long periodNanos, int low, int high) {
        HeartbeatAccount a = new HeartbeatAccount(t0Nanos, periodNanos, low, high);
        a.beaten.add(0L);
        return a;
    }

    /** A heartbeat received at {@code now}; returns the heartbeats received so far. */
    public synchronized long beat(long now) {
        beats++;
        long p = periodOf(now);
        if (p >= judged) {
            beaten.add(p);
        }
        return beats;
    }

    /** Judges every boundary up to {@code now}; returns the conditions to fire, in order. */
    public synchronized List<ConditionType> advance(long now) {
        List<ConditionType> fire = new ArrayList<>(0);
        while (t0 + (judged + 1) * period <= now) {
            long closing = judged++;
            boolean beat = beaten.remove(closing);
            if (highFired) {
                continue; // not judged until heartbeat_healthy
            }
            if (beat) {
                misses = 0;
                continue;
            }
            misses++;
            if (low > 0 && !lowFired && misses >= low) {
                lowFired = true;
                state = State.MISSEDLOW;
                fire.add(ConditionType.CONDHBEATMISSEDLOW);
            }
            if (high > 0 && !highFired && misses >= high) {
                highFired = true;
                state = State.MISSEDHIGH;
                fire.add(ConditionType.CONDHBEATMISSEDHIGH);
            }
        }
        return fire;
    }

    /**
     * heartbeat_healthy: the episode ends; the boundaries up to {@code now} not judged yet are
     * skipped (they belong to the episode) and the current period counts as beaten.
     */
    public synchronized void healthy(long now) {
        misses = 0;
        lowFired = false;
        highFired = false;
        state = State.OK;
        long p = periodOf(now);
        judged = Math.max(judged, p);
        beaten.headSet(judged).clear();
        if (p >= judged) {
            beaten.add(p);
        }
    }

    /**
     * Continues a saved episode (after a takeover): the state and count of misses it had, so a
     * mark already reached does not fire again. An unknown state name counts as OK.
     */
    public synchronized void resume(String savedState, int savedMisses) {
        State st = State.OK;
        for (State x : State.values()) {
            if (x.name().equals(savedState)) {
                st = x;
            }
        }
        state = st;
        misses = Math.max(0, savedMisses);
        lowFired = st != State.OK;
        highFired = st == State.MISSEDHIGH;
    }

    /** The consecutive misses at which {@code type} (LOW or HIGH) fires: the entity's hpdl or hpdh. */
    public int mark(ConditionType type) {
        return type == ConditionType.CONDHBEATMISSEDLOW ? low : high;
    }

    /** When the next boundary falls (monotonic nanoseconds). */
    public synchronized long nextBoundary() {
        return t0 + (judged + 1) * period;
    }

    public synchronized State state() {
        return state;
    }

    /** Consecutive misses now. */
    public synchronized int misses() {
        return misses;
    }

    /** Heartbeats received in all. */
    public synchronized long beats() {
        return beats;
    }

    /** The period {@code now} falls in; a time before t0 counts for the first one. */
    private long periodOf(long now) {
        return now < t0 ? 0 : (now - t0) / period;
    }
}
