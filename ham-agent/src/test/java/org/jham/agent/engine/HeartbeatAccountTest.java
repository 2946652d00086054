package org.jham.agent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jham.ConditionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Boundary accounting of heartbeats on a fake clock: a period of 5 s as in the guide's caveat,
 * boundaries at 5, 10, 15 s... after the attach. Each row is a script of events, "b7" a beat at
 * 7 s, "a10" the monitor judging at 10 s, "h12" heartbeat_healthy at 12 s, and what the monitor
 * saw at each judging ("a10:LOW", "-" for nothing), then the state and consecutive misses.
 */
class HeartbeatAccountTest {
    private static final long S = 1_000_000_000L;
    private static final long PERIOD = 5 * S;
    /** Monotonic clocks may be negative: the attach time is not 0 on purpose. */
    private static final long T0 = -123 * S + 456;

    static Stream<Arguments> scenarios() {
        return Stream.of(
                // what, hpdl, hpdh, events, expected
                Arguments.of("guide: a beat at 2 s counts for the period that ends at 5 s",
                        1, 2, "b2 a5", "a5:- | OK 0"),
                Arguments.of("guide: beats at 7 s and 8 s count once, for the boundary at 10 s (not for 15 s)",
                        1, 2, "b2 a5 b7 b8 a10 a15", "a5:- a10:- a15:LOW | MISSEDLOW 1"),
                Arguments.of("a beat exactly on a boundary counts for the period it opens",
                        1, 3, "b5 a5 a10", "a5:LOW a10:- | MISSEDLOW 0"),
                Arguments.of("a beat just before a boundary counts for the period it closes",
                        1, 3, "b4.999999999 a5 a10", "a5:- a10:LOW | MISSEDLOW 1"),
                Arguments.of("silence: one miss per boundary, LOW at exactly hpdl, HIGH at exactly hpdh",
                        3, 5, "a5 a10 a15 a20 a25", "a5:- a10:- a15:LOW a20:- a25:HIGH | MISSEDHIGH 5"),
                Arguments.of("LOW fires once per episode, even when a beat reset the count in between",
                        2, 4, "a5 a10 b12 a15 a20 a25 a30 a35 a40",
                        "a5:- a10:LOW a15:- a20:- a25:- a30:- a35:HIGH a40:- | MISSEDHIGH 4"),
                Arguments.of("a beat between misses resets the consecutive count",
                        3, 3, "a5 a10 b11 a15 a20 a25 a30",
                        "a5:- a10:- a15:- a20:- a25:- a30:LOW+HIGH | MISSEDHIGH 3"),
                Arguments.of("beating every period: nothing ever fires",
                        1, 1, "b1 a5 b9 a10 b10 a15 b19.5 a20", "a5:- a10:- a15:- a20:- | OK 0"),
                Arguments.of("marks of 0 never fire; misses are still counted",
                        0, 0, "a5 a10 a15", "a5:- a10:- a15:- | OK 3"),
                Arguments.of("hpdl 0: only HIGH fires",
                        0, 2, "a5 a10 a15", "a5:- a10:HIGH a15:- | MISSEDHIGH 2"),
                Arguments.of("after HIGH nothing is judged, beats or not, until heartbeat_healthy",
                        1, 2, "a5 a10 b12 a15 a20 a25 b26 a30", "a5:LOW a10:HIGH a15:- a20:- a25:- a30:- | MISSEDHIGH 2"),
                Arguments.of("healthy ends the episode, counts the current period; a new silence fires LOW, HIGH again",
                        1, 2, "a5 a10 h12 a15 a20 a25 a30", "a5:LOW a10:HIGH a15:- a20:LOW a25:HIGH a30:- | MISSEDHIGH 2"),
                Arguments.of("healthy while beating again: OK and stays OK",
                        1, 2, "a5 a10 b11 h11 b13 a15 b17 a20", "a5:LOW a10:HIGH a15:- a20:- | OK 0"),
                Arguments.of("healthy after LOW (no HIGH yet) also ends the episode: LOW may fire again",
                        1, 3, "a5 h6 a10 a15", "a5:LOW a10:- a15:LOW | MISSEDLOW 1"),
                Arguments.of("late judge: a single missed period between beats still fires LOW",
                        1, 3, "b2 b12 b17 a20", "a20:LOW | MISSEDLOW 0"),
                Arguments.of("late judge: every boundary judged in order, LOW then HIGH",
                        2, 3, "b2 a22", "a22:LOW+HIGH | MISSEDHIGH 3"),
                Arguments.of("late judge: misses then a beat then misses, as if judged on time",
                        2, 4, "b7 b22 a45", "a45:LOW+HIGH | MISSEDHIGH 4"),
                Arguments.of("healthy after a late HIGH skips the boundaries not judged yet",
                        1, 2, "a10 h23 a25 a30", "a10:LOW+HIGH a25:- a30:LOW | MISSEDLOW 1"),
                Arguments.of("judging between boundaries changes nothing",
                        1, 2, "a1 a4.9 b6 a7 a9.99 a10", "a1:- a4.9:- a7:LOW a9.99:- a10:- | MISSEDLOW 0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void boundaryAccounting(String what, int low, int high, String events, String expected) {
        HeartbeatAccount a = new HeartbeatAccount(T0, PERIOD, low, high);
        assertEquals(expected, run(a, events), what);
    }

    /** Plays the events on the account; returns the trace of each judging, then state and misses. */
    private static String run(HeartbeatAccount a, String events) {
        List<String> trace = new ArrayList<>();
        for (String ev : events.split(" ")) {
            long at = T0 + new BigDecimal(ev.substring(1)).movePointRight(9).longValueExact();
            switch (ev.charAt(0)) {
                case 'b' -> a.beat(at);
                case 'h' -> a.healthy(at);
                case 'a' -> trace.add(ev + ":" + names(a.advance(at)));
                default -> throw new IllegalArgumentException(ev);
            }
        }
        return String.join(" ", trace) + " | " + a.state() + " " + a.misses();
    }

    private static String names(List<ConditionType> fired) {
        return fired.isEmpty() ? "-" : fired.stream().map(t -> t.name().replace("CONDHBEATMISSED", ""))
                .collect(Collectors.joining("+"));
    }

    @Test
    void judgingLateGivesTheSameOutcomeAsJudgingOnTime() {
        Random r = new Random(42);
        for (int round = 0; round < 500; round++) {
            int high = r.nextInt(5);
            int low = high == 0 ? 0 : r.nextInt(high + 1);
            int periods = 1 + r.nextInt(20);
            double pBeat = r.nextDouble();
            // Beats in time order, sometimes several per period, sometimes exactly on a boundary.
            List<Long> beats = new ArrayList<>();
            for (int p = 0; p < periods; p++) {
                if (r.nextDouble() < pBeat) {
                    int n = 1 + r.nextInt(3);
                    List<Long> in = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        in.add(T0 + p * PERIOD + (r.nextInt(4) == 0 ? 0 : r.nextLong(PERIOD)));
                    }
                    in.sort(null);
                    beats.addAll(in);
                }
            }
            HeartbeatAccount onTime = new HeartbeatAccount(T0, PERIOD, low, high);
            List<ConditionType> firedOnTime = new ArrayList<>();
            int next = 0;
            for (int k = 1; k <= periods; k++) {
                long boundary = T0 + k * PERIOD;
                while (next < beats.size() && beats.get(next) < boundary) {
                    onTime.beat(beats.get(next++));
                }
                firedOnTime.addAll(onTime.advance(boundary));
            }
            HeartbeatAccount late = new HeartbeatAccount(T0, PERIOD, low, high);
            beats.forEach(late::beat);
            List<ConditionType> firedLate = late.advance(T0 + periods * PERIOD);
            String what = "round " + round + ": marks " + low + "/" + high + ", beats " + beats.stream()
                    .map(b -> Double.toString((b - T0) / (double) S)).collect(Collectors.joining(","));
            assertEquals(firedOnTime, firedLate, what);
            assertEquals(onTime.state(), late.state(), what);
            assertEquals(onTime.misses(), late.misses(), what);
            assertEquals(onTime.nextBoundary(), late.nextBoundary(), what);
        }
    }

    @Test
    void fromAttachTheAttachsOwnPeriodCountsAsBeaten() {
        HeartbeatAccount plain = new HeartbeatAccount(T0, PERIOD, 1, 2);
        HeartbeatAccount attached = HeartbeatAccount.fromAttach(T0, PERIOD, 1, 2);
        // No beat in the first period: the plain account misses at the first boundary, the
        // attached one only at the second (its client had no chance to beat before attaching).
        assertEquals(List.of(ConditionType.CONDHBEATMISSEDLOW), plain.advance(T0 + 5 * S));
        assertEquals(List.of(), attached.advance(T0 + 5 * S));
        assertEquals(List.of(ConditionType.CONDHBEATMISSEDLOW), attached.advance(T0 + 10 * S));
    }

    @Test
    void everyBeatIsCountedEvenWhenSeveralFallInOnePeriod() {
        HeartbeatAccount a = new HeartbeatAccount(T0, PERIOD, 1, 1);
        a.beat(T0 + 7 * S);
        a.beat(T0 + 8 * S);
        assertEquals(2, a.beats());
        a.advance(T0 + 30 * S);
        a.beat(T0 + 31 * S);
        assertEquals(3, a.beats(), "beats after HIGH are received, only not judged");
    }

    @Test
    void nextBoundaryFollowsTheJudging() {
        HeartbeatAccount a = new HeartbeatAccount(T0, PERIOD, 1, 2);
        assertEquals(T0 + 5 * S, a.nextBoundary());
        a.advance(T0 + 4 * S);
        assertEquals(T0 + 5 * S, a.nextBoundary());
        a.advance(T0 + 5 * S);
        assertEquals(T0 + 10 * S, a.nextBoundary());
        a.advance(T0 + 23 * S);
        assertEquals(T0 + 25 * S, a.nextBoundary(), "a late judge catches up with every boundary");
    }

    @Test
    void stateTransitions() {
        HeartbeatAccount a = new HeartbeatAccount(T0, PERIOD, 1, 2);
        assertEquals(HeartbeatAccount.State.OK, a.state());
        a.advance(T0 + 5 * S);
        assertEquals(HeartbeatAccount.State.MISSEDLOW, a.state());
        a.beat(T0 + 6 * S);
        a.advance(T0 + 10 * S);
        assertEquals(HeartbeatAccount.State.MISSEDLOW, a.state(), "a beat ends the misses, not the episode");
        assertEquals(0, a.misses());
        a.advance(T0 + 20 * S);
        assertEquals(HeartbeatAccount.State.MISSEDHIGH, a.state());
        a.healthy(T0 + 21 * S);
        assertEquals(HeartbeatAccount.State.OK, a.state());
        assertEquals(0, a.misses());
        // What the HAM reports as "missed N heartbeats" when a mark fires.
        assertEquals(1, a.mark(ConditionType.CONDHBEATMISSEDLOW));
        assertEquals(2, a.mark(ConditionType.CONDHBEATMISSEDHIGH));
        // Straight to MISSEDHIGH when both marks are reached at the same boundary.
        HeartbeatAccount b = new HeartbeatAccount(T0, PERIOD, 2, 2);
        assertEquals(List.of(), b.advance(T0 + 5 * S));
        assertEquals(HeartbeatAccount.State.OK, b.state());
        assertEquals(List.of(ConditionType.CONDHBEATMISSEDLOW, ConditionType.CONDHBEATMISSEDHIGH), b.advance(T0 + 10 * S));
        assertEquals(HeartbeatAccount.State.MISSEDHIGH, b.state());
    }

    @Test
    void aPeriodMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new HeartbeatAccount(T0, 0, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> new HeartbeatAccount(T0, -PERIOD, 1, 2));
    }
}
