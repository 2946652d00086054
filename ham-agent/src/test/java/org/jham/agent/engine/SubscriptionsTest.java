package org.jham.agent.engine;

import static org.jham.HamConstants.CONDSTATEANY;
import static org.jham.HamConstants.HCONDSTATEFROMINV;
import static org.jham.HamConstants.HCONDSTATEFROMSET;
import static org.jham.HamConstants.HCONDSTATETOINV;
import static org.jham.HamConstants.HCONDSTATETOSET;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The guide's state-transition and raise matching, one table row per case. */
class SubscriptionsTest {
    private static final int S1 = 1 << 1;
    private static final int S2 = 1 << 2;
    private static final int S3 = 1 << 3;

    static Stream<Arguments> stateTransitions() {
        return Stream.of(
                // from, to, flags, reported from, reported to, fires?
                Arguments.of(CONDSTATEANY, CONDSTATEANY, 0, 0, 7, true),
                Arguments.of(CONDSTATEANY, 3, 0, 5, 3, true),
                Arguments.of(CONDSTATEANY, 3, 0, 5, 4, false),
                Arguments.of(2, CONDSTATEANY, 0, 2, 9, true),
                Arguments.of(2, CONDSTATEANY, 0, 1, 9, false),
                Arguments.of(2, 3, 0, 2, 3, true),
                Arguments.of(2, 3, 0, 3, 2, false),
                // sets: bit n is state n
                Arguments.of(S1 | S2, 3, HCONDSTATEFROMSET, 1, 3, true),
                Arguments.of(S1 | S2, 3, HCONDSTATEFROMSET, 2, 3, true),
                Arguments.of(S1 | S2, 3, HCONDSTATEFROMSET, 3, 3, false),
                Arguments.of(S1 | S2, 3, HCONDSTATEFROMSET, 40, 3, false),
                Arguments.of(CONDSTATEANY, S3, HCONDSTATETOSET, 9, 3, true),
                Arguments.of(CONDSTATEANY, S3, HCONDSTATETOSET, 9, 2, false),
                Arguments.of(S1, S2 | S3, HCONDSTATEFROMSET | HCONDSTATETOSET, 1, 3, true),
                Arguments.of(S1, S2 | S3, HCONDSTATEFROMSET | HCONDSTATETOSET, 1, 1, false),
                // inversions: any state other than these
                Arguments.of(S1 | S2, CONDSTATEANY, HCONDSTATEFROMSET | HCONDSTATEFROMINV, 3, 0, true),
                Arguments.of(S1 | S2, CONDSTATEANY, HCONDSTATEFROMSET | HCONDSTATEFROMINV, 2, 0, false),
                Arguments.of(S1 | S2, CONDSTATEANY, HCONDSTATEFROMSET | HCONDSTATEFROMINV, 99, 0, true),
                Arguments.of(CONDSTATEANY, S3, HCONDSTATETOSET | HCONDSTATETOINV, 0, 3, false),
                Arguments.of(CONDSTATEANY, S3, HCONDSTATETOSET | HCONDSTATETOINV, 0, 4, true),
                Arguments.of(CONDSTATEANY, 4, HCONDSTATETOINV, 0, 4, false),
                Arguments.of(CONDSTATEANY, 4, HCONDSTATETOINV, 0, 5, true),
                Arguments.of(CONDSTATEANY, CONDSTATEANY, HCONDSTATETOINV, 0, 5, false),
                Arguments.of(0, 0, HCONDSTATETOSET, 0, 5, false),
                Arguments.of(0, 0, HCONDSTATETOSET | HCONDSTATETOINV, 0, 5, true));
    }

    @ParameterizedTest(name = "from {0} to {1} flags 0x{2}: {3} -> {4} fires={5}")
    @MethodSource("stateTransitions")
    void stateFilter(int from, int to, int flags, int reportedFrom, int reportedTo, boolean fires) {
        assertEquals(fires, new Subscriptions.StateFilter(from, to, flags).matches(reportedFrom, reportedTo));
    }

    static Stream<Arguments> raises() {
        return Stream.of(
                // subscribed type, class, severity, raised type, class, severity, fires?
                Arguments.of(0, 0, 0, 5, 6, 7, true),
                Arguments.of(5, 0, 0, 5, 6, 7, true),
                Arguments.of(5, 0, 0, 4, 6, 7, false),
                Arguments.of(0, 6, 0, 5, 6, 7, true),
                Arguments.of(0, 6, 0, 5, 1, 7, false),
                Arguments.of(0, 0, 7, 5, 6, 7, true),
                Arguments.of(0, 0, 7, 5, 6, 2, false),
                Arguments.of(5, 6, 7, 5, 6, 7, true),
                Arguments.of(5, 6, 7, 5, 6, 8, false),
                Arguments.of(5, 6, 0, 5, 6, 1, true),
                Arguments.of(1, 1, 1, 0, 0, 0, false));
    }

    @ParameterizedTest(name = "subscribed ({0},{1},{2}) raised ({3},{4},{5}) fires={6}")
    @MethodSource("raises")
    void raiseFilter(int t, int c, int s, int rt, int rc, int rs, boolean fires) {
        assertEquals(fires, new Subscriptions.RaiseFilter(t, c, s).matches(rt, rc, rs));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("descriptions")
    void describes(String expected, Object filter) {
        assertEquals(expected, filter instanceof Subscriptions.StateFilter
                ? ((Subscriptions.StateFilter) filter).describe() : ((Subscriptions.RaiseFilter) filter).describe());
    }

    static Stream<Arguments> descriptions() {
        return Stream.of(
                Arguments.of("from ANY to 3", new Subscriptions.StateFilter(0, 3, 0)),
                Arguments.of("from set 0x6 to not 4", new Subscriptions.StateFilter(6, 4, HCONDSTATEFROMSET | HCONDSTATETOINV)),
                Arguments.of("type 5 class ANY severity 2", new Subscriptions.RaiseFilter(5, 0, 2)));
    }
}
