package org.jham.agent.it;

import static org.jham.HamConstants.CONDRAISE;
import static org.jham.HamConstants.CONDRAISECLASSANY;
import static org.jham.HamConstants.CONDRAISESEVERITYANY;
import static org.jham.HamConstants.CONDRAISETYPEANY;
import static org.jham.HamConstants.CONDSTATE;
import static org.jham.HamConstants.CONDSTATEANY;
import static org.jham.HamConstants.HCONDSTATEFROMINV;
import static org.jham.HamConstants.HCONDSTATEFROMSET;
import static org.jham.HamConstants.HCONDSTATETOINV;
import static org.jham.HamConstants.HCONDSTATETOSET;
import static org.jham.HamConstants.HDISABLE;
import static org.jham.HamConstants.HENABLE;
import static org.jham.HamConstants.HRECURSE;
import static org.jham.HamConstants.HREARMAFTERRESTART;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jham.EntityHandle;
import org.jham.Errno;
import org.jham.Ham;
import org.jham.agent.testing.Await;
import org.jham.agent.testing.TestHam;
import org.jham.mbean.EntityMXBean;
import org.jham.mbean.ObjectNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The guide's publish/subscribe: entities publish state transitions
 * (ham_entity_condition_state) and raised conditions (ham_entity_condition_raise); subscribers'
 * CONDSTATE (ham_condition_state) and CONDRAISE (ham_condition_raise) conditions filter them.
 * Each table row is one report against several subscriptions, and exactly the matching ones fire.
 */
class PublishSubscribeIT {
    private static final int SET_0_3 = 1 << 0 | 1 << 3;
    private static final int SET_1_2 = 1 << 1 | 1 << 2;
    private static final int SET_3 = 1 << 3;

    private TestHam t;

    @BeforeEach
    void start() throws Exception {
        t = new TestHam();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    /** Trigger counts of the entity's conditions. */
    private Map<String, Long> triggers(String ename) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String c : t.entity(ename).getConditionNames()) {
            m.put(c, t.condition(ename, c).getTriggerCount());
        }
        return m;
    }

    /**
     * Runs {@code publish} and returns the conditions of {@code ename} it fired. Publishing is
     * synchronous up to the trigger counts (the notifications and actions follow), so the
     * difference is exact once the call returns.
     */
    private Set<String> firedBy(String ename, Runnable publish) {
        Map<String, Long> before = triggers(ename);
        publish.run();
        Map<String, Long> after = triggers(ename);
        Set<String> fired = new TreeSet<>();
        for (Map.Entry<String, Long> x : after.entrySet()) {
            long d = x.getValue() - before.get(x.getKey());
            if (d > 1) {
                throw new AssertionError(x.getKey() + " fired " + d + " times for one report");
            }
            if (d == 1) {
                fired.add(x.getKey());
            }
        }
        return fired;
    }

    private static Set<String> set(String... names) {
        return new TreeSet<>(List.of(names));
    }

    /** One report and the subscriptions it must fire. */
    private record StateRow(int from, int to, Set<String> fire) {
    }

    @Test
    void aStateReportFiresExactlyTheMatchingStateConditions() throws Exception {
        Path mark = t.stateDir.resolve("reached3");
        EntityHandle e = Ham.attach("pub", t.node, -1, "/bin/sleep 1000", 0);
        t.awaitPid("pub", 0);
        e.conditionState("to3", CONDSTATEANY, 3, 0).actionExecute("mark", "/usr/bin/touch " + mark, 0);
        e.conditionState("1to2", 1, 2, 0);
        e.conditionState("2to1", 2, 1, 0);
        e.conditionState("anyany", CONDSTATEANY, CONDSTATEANY, 0);
        e.conditionState("toSet12", CONDSTATEANY, SET_1_2, HCONDSTATETOSET);
        e.conditionState("toSet03", CONDSTATEANY, SET_0_3, HCONDSTATETOSET);
        e.conditionState("fromSet3", SET_3, CONDSTATEANY, HCONDSTATEFROMSET).actionLog("say", "left 3", 1, 1, 0);
        e.conditionState("notTo1", CONDSTATEANY, 1, HCONDSTATETOINV);
        e.conditionState("toNotSet12", CONDSTATEANY, SET_1_2, HCONDSTATETOSET | HCONDSTATETOINV);
        e.conditionState("fromNotSet12toSet3", SET_1_2, SET_3, HCONDSTATEFROMSET | HCONDSTATEFROMINV | HCONDSTATETOSET);
        e.condition(CONDSTATE, "plain", 0);
        e.condition(CONDRAISE, "raise", 0);
        assertEquals("from 2 to 1", t.condition("pub", "2to1").getFilter());
        assertEquals("from not set 0x6 to set 0x8", t.condition("pub", "fromNotSet12toSet3").getFilter());
        assertEquals(0, e.state(), "0 until the first report");
        assertFalse(e.info().contains("Entity State"), e.info());

        List<StateRow> rows = List.of(
                new StateRow(0, 1, set("anyany", "toSet12", "plain")),
                new StateRow(1, 2, set("1to2", "anyany", "toSet12", "notTo1", "plain")),
                new StateRow(2, 3, set("to3", "anyany", "toSet03", "notTo1", "toNotSet12", "plain")),
                // The same state again is a transition too.
                new StateRow(3, 3, set("to3", "anyany", "toSet03", "fromSet3", "notTo1", "toNotSet12",
                        "fromNotSet12toSet3", "plain")),
                new StateRow(3, 1, set("anyany", "toSet12", "fromSet3", "plain")),
                // Sets hold states 0..31: 40 is in none, so only the inverted set matches.
                new StateRow(1, 40, set("anyany", "notTo1", "toNotSet12", "plain")),
                new StateRow(40, 0, set("anyany", "toSet03", "notTo1", "toNotSet12", "plain")),
                new StateRow(0, 2, set("anyany", "toSet12", "notTo1", "plain")));
        Map<String, Long> expected = new LinkedHashMap<>();
        for (String c : t.entity("pub").getConditionNames()) {
            expected.put(c, 0L);
        }
        for (StateRow r : rows) {
            // The HAM's current state is the from state of the next transition.
            assertEquals(r.from(), e.state());
            assertEquals(r.fire(), firedBy("pub", () -> e.reportState(r.to(), 0)), r.from() + " -> " + r.to());
            assertEquals(r.to(), e.state());
            assertEquals(r.to(), t.entity("pub").getState());
            assertEquals(r.to() != 0, e.info().contains("Entity State : " + r.to() + "\n"), e.info());
            r.fire().forEach(c -> expected.merge(c, 1L, Long::sum));
        }

        // The notifications say the same, with what was published.
        for (Map.Entry<String, Long> x : expected.entrySet()) {
            Notified.await(t, "pub/" + x.getKey(), "CONDSTATE", x.getValue());
        }
        Notified.barrier(t);
        for (Map.Entry<String, Long> x : expected.entrySet()) {
            assertEquals(x.getValue(), (long) Notified.events(t, "pub/" + x.getKey()).size(), x.getKey());
        }
        List<String> details = new ArrayList<>();
        Notified.of(t, "pub/fromNotSet12toSet3", "pub").forEach(c -> details.add((String) c.get("detail")));
        assertEquals(List.of("state 3 -> 3"), details);
        // And the subscribers' actions ran.
        Await.until("the execute action's file", () -> Files.exists(mark));
        Await.until("the log action's line", () -> t.activityLine("left 3"));
        assertTrue(t.activityContains("pub/fromSet3/say: left 3"), "attachprefix names the action");
    }

    /** One raise and the subscriptions it must fire. */
    private record RaiseRow(int type, int rclass, int severity, Set<String> fire) {
    }

    @Test
    void aRaiseFiresExactlyTheMatchingRaiseConditionsWildcardsIncluded() {
        EntityHandle e = Ham.attach("raiser", t.node, -1, "/bin/sleep 1000", 0);
        t.awaitPid("raiser", 0);
        e.conditionRaise("all", CONDRAISETYPEANY, CONDRAISECLASSANY, CONDRAISESEVERITYANY, 0)
                .actionLog("say", "raiser raised something", 0, 1, 0);
        e.conditionRaise("t1", 1, CONDRAISECLASSANY, CONDRAISESEVERITYANY, 0);
        e.conditionRaise("t1c2", 1, 2, CONDRAISESEVERITYANY, 0);
        e.conditionRaise("t1c2s3", 1, 2, 3, 0).actionLog("say", "exactly 1/2/3", 1, 1, 0);
        e.conditionRaise("s3", CONDRAISETYPEANY, CONDRAISECLASSANY, 3, 0);
        e.conditionRaise("c2", CONDRAISETYPEANY, 2, CONDRAISESEVERITYANY, 0);
        e.condition(CONDRAISE, "plain", 0);
        e.condition(CONDSTATE, "state", 0);
        assertEquals("type 1 class 2 severity ANY", t.condition("raiser", "t1c2").getFilter());

        List<RaiseRow> rows = List.of(
                new RaiseRow(1, 2, 3, set("all", "t1", "t1c2", "t1c2s3", "s3", "c2", "plain")),
                new RaiseRow(1, 2, 4, set("all", "t1", "t1c2", "c2", "plain")),
                new RaiseRow(2, 2, 3, set("all", "s3", "c2", "plain")),
                new RaiseRow(1, 5, 3, set("all", "t1", "s3", "plain")),
                new RaiseRow(7, 7, 7, set("all", "plain")),
                new RaiseRow(0, 0, 0, set("all", "plain")));
        for (RaiseRow r : rows) {
            assertEquals(r.fire(), firedBy("raiser", () -> e.raise(r.type(), r.rclass(), r.severity(), 0)),
                    r.type() + "/" + r.rclass() + "/" + r.severity());
        }
        assertEquals(0, e.state(), "a raise is no state report");

        Notified.await(t, "raiser/all", "CONDRAISE", rows.size());
        Notified.await(t, "raiser/t1c2s3", "CONDRAISE", 1);
        Notified.barrier(t);
        assertEquals(List.of(), Notified.events(t, "raiser/state"));
        assertEquals(List.of("raised type 1 class 2 severity 3"),
                Notified.of(t, "raiser/t1c2s3", "raiser").stream().map(c -> c.get("detail")).toList());
        Await.until("the log actions", () -> t.activityLine("exactly 1/2/3")
                && t.activityLine("raiser raised something"));
    }

    @Test
    void globalSubscriptionsReceiveEveryEntitysReports() {
        EntityHandle global = Ham.entityHandle(t.node, null, 0);
        global.conditionState("gto5", CONDSTATEANY, 5, 0).actionLog("say", "someone reached 5", 0, 1, 0);
        global.condition(CONDSTATE, "gstate", 0);
        global.conditionRaise("g9", 9, CONDRAISECLASSANY, CONDRAISESEVERITYANY, 0);
        EntityHandle a = Notified.placeholder(t, "alpha");
        a.conditionState("own5", CONDSTATEANY, 5, 0);
        EntityHandle b = Ham.attach("beta", t.node, -1, "/bin/sleep 1000", 0);
        t.awaitPid("beta", 0);

        assertEquals(set("gto5", "gstate"), firedBy("/", () -> a.reportState(5, 0)));
        assertEquals(set("gto5", "gstate"), firedBy("/", () -> b.reportState(5, 0)));
        assertEquals(set("gstate"), firedBy("/", () -> b.reportState(6, 0)));
        assertEquals(set("g9"), firedBy("/", () -> a.raise(9, 1, 1, 0)));
        assertEquals(set(), firedBy("/", () -> b.raise(8, 1, 1, 0)));
        // alpha's own subscription heard alpha only.
        assertEquals(1, t.condition("alpha", "own5").getTriggerCount());

        Await.until("the global notifications", () -> Notified.of(t, "/gstate", "beta").size() == 2
                && Notified.of(t, "/g9", "alpha").size() == 1);
        Notified.barrier(t);
        assertEquals(1, Notified.of(t, "/gto5", "alpha").size());
        assertEquals(1, Notified.of(t, "/gto5", "beta").size());
        assertEquals(1, Notified.of(t, "/gstate", "alpha").size());
        assertEquals(0, Notified.of(t, "/g9", "beta").size());
        assertEquals(t.entity("beta").getEntityPid(), (long) Notified.of(t, "/gto5", "beta").get(0).get("pid"));
        Await.until("the global action ran for each", () -> java.util.Arrays.stream(t.ham().getRecentActivity())
                .filter(l -> l.endsWith("] someone reached 5")).count() == 2);
    }

    @Test
    void theGlobalEntityCannotPublish() {
        EntityHandle global = Ham.entityHandle(t.node, null, 0);
        global.condition(CONDSTATE, "gstate", 0);
        global.condition(CONDRAISE, "graise", 0);
        EntityMXBean raw = t.connection.proxy(EntityMXBean.class, ObjectNames.entity(null));

        Notified.refused(Errno.EINVAL, () -> global.reportState(1, 0));
        Notified.refused(Errno.EINVAL, () -> global.raise(1, 1, 1, 0));
        Notified.refused(Errno.EINVAL, () -> raw.reportState(1, ""));
        Notified.refused(Errno.EINVAL, () -> raw.raise(1, 1, 1, ""));

        assertEquals(0, t.condition(null, "gstate").getTriggerCount());
        assertEquals(0, t.condition(null, "graise").getTriggerCount());
        assertEquals(0, t.entity("/").getState());
    }

    @Test
    void publishingWithAnyFlagIsRefusedAndChangesNothing() {
        EntityHandle e = Notified.placeholder(t, "flagged");
        e.condition(CONDSTATE, "state", 0);
        e.condition(CONDRAISE, "raise", 0);
        e.reportState(4, 0);
        EntityMXBean raw = t.connection.proxy(EntityMXBean.class, ObjectNames.entity("flagged"));

        for (int flag : new int[] {HREARMAFTERRESTART, 0x2, HCONDSTATEFROMSET, HRECURSE}) {
            Notified.refused(Errno.EINVAL, () -> e.reportState(7, flag));
            Notified.refused(Errno.EINVAL, () -> e.raise(1, 1, 1, flag));
        }
        Notified.refused(Errno.EINVAL, () -> raw.reportState(7, "HREARMAFTERRESTART"));
        Notified.refused(Errno.EINVAL, () -> raw.raise(1, 1, 1, "HRECURSE"));

        assertEquals(4, e.state(), "a refused report is not recorded");
        assertEquals(1, t.condition("flagged", "state").getTriggerCount());
        assertEquals(0, t.condition("flagged", "raise").getTriggerCount());
    }

    @Test
    void aDisabledEntitysReportIsRecordedButFiresNothing() {
        Ham.entityHandle(t.node, null, 0).condition(CONDSTATE, "gstate", 0);
        EntityHandle e = Ham.attach("sleepy", t.node, -1, "/bin/sleep 1000", 0);
        t.awaitPid("sleepy", 0);
        e.conditionState("1to2", 1, 2, 0);
        e.conditionState("2to3", 2, 3, 0);
        e.condition(CONDRAISE, "raise", 0);
        e.reportState(1, 0);

        e.control(HDISABLE, 0);
        assertEquals(set(), firedBy("sleepy", () -> e.reportState(2, 0)));
        assertEquals(set(), firedBy("sleepy", () -> e.raise(1, 1, 1, 0)));
        assertEquals(2, e.state(), "recorded although disabled");
        assertEquals(1, t.condition(null, "gstate").getTriggerCount(), "nor do global conditions fire for it");

        e.control(HENABLE, 0);
        // The transition goes from the state reported while disabled.
        assertEquals(set("2to3"), firedBy("sleepy", () -> e.reportState(3, 0)));
        assertEquals(set("raise"), firedBy("sleepy", () -> e.raise(1, 1, 1, 0)));
        assertEquals(2, t.condition(null, "gstate").getTriggerCount());
    }

    @Test
    void reportingForAnEntityThatIsGoneIsEnoent() {
        EntityHandle gone = Notified.placeholder(t, "gone");
        gone.reportState(2, 0);
        Ham.detachName(t.node, "gone", 0);

        Notified.refused(Errno.ENOENT, () -> gone.reportState(3, 0));
        Notified.refused(Errno.ENOENT, () -> gone.raise(1, 1, 1, 0));
        Notified.refused(Errno.ENOENT, gone::state);
        EntityMXBean nobody = t.connection.proxy(EntityMXBean.class, ObjectNames.entity("nobody"));
        Notified.refused(Errno.ENOENT, () -> nobody.reportState(1, ""));
        Notified.refused(Errno.ENOENT, () -> nobody.raise(1, 1, 1, ""));
        // A new entity of that name starts from state 0: nothing of the old one is left.
        assertEquals(0, Notified.placeholder(t, "gone").state());
    }
}
