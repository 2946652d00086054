package org.jham.agent.it;

import static org.jham.HamConstants.CONDDEATH;
import static org.jham.HamConstants.CONDRAISE;
import static org.jham.HamConstants.CONDRESTART;
import static org.jham.HamConstants.CONDSTATEANY;
import static org.jham.HamConstants.HACTIONBREAKONFAIL;
import static org.jham.HamConstants.HACTIONDONOW;
import static org.jham.HamConstants.HACTIONKEEPONFAIL;
import static org.jham.HamConstants.HADDFLAGS;
import static org.jham.HamConstants.HCONDINDEPENDENT;
import static org.jham.HamConstants.HCONDKEEPONEMPTY;
import static org.jham.HamConstants.HCONDNOWAIT;
import static org.jham.HamConstants.HCONDOTHER;
import static org.jham.HamConstants.HCONDSTATETOSET;
import static org.jham.HamConstants.HDISABLE;
import static org.jham.HamConstants.HENABLE;
import static org.jham.HamConstants.HENTITYKEEPONDEATH;
import static org.jham.HamConstants.HGETFLAGS;
import static org.jham.HamConstants.HRECURSE;
import static org.jham.HamConstants.HREARMAFTERRESTART;
import static org.jham.HamConstants.HREMOVEFLAGS;
import static org.jham.HamConstants.HSETFLAGS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jham.ActionHandle;
import org.jham.ConditionHandle;
import org.jham.EntityHandle;
import org.jham.Errno;
import org.jham.Ham;
import org.jham.agent.testing.Await;
import org.jham.agent.testing.TestHam;
import org.jham.mbean.ActionMXBean;
import org.jham.mbean.ConditionMXBean;
import org.jham.mbean.EntityMXBean;
import org.jham.mbean.ObjectNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * ham_entity_control, ham_condition_control and ham_action_control: enabling and disabling (with
 * and without HRECURSE) as a user sees it with real processes, the flag commands on each kind, the
 * refusals, and the same operations over plain JMX with symbolic strings.
 */
class ControlIT {
    private TestHam t;

    @BeforeEach
    void start() throws Exception {
        t = new TestHam();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    private ActionMXBean action(String e, String c, String a) {
        return Notified.action(t, e, c, a);
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void aDisabledEntityReactsToNothing() {
        Ham.entityHandle(t.node, null, 0).condition(CONDDEATH, "gdeath", 0).actionLog("say", "global saw a death", 0, 1, 0);
        EntityHandle e = Ham.attach("frozen", t.node, -1, "/bin/sleep 1000", HENTITYKEEPONDEATH);
        e.condition(CONDDEATH, "death", HREARMAFTERRESTART).actionRestart("restart", "/bin/sleep 1000", HREARMAFTERRESTART);
        e.condition(CONDDEATH, "seen", 0).actionLog("say", "frozen died", 0, 1, 0);
        e.conditionRaise("raised", 0, 0, 0, 0);
        // Without HENTITYKEEPONDEATH a death the entity does not react to removes it.
        EntityHandle gone = Ham.attach("gone", t.node, -1, "/bin/sleep 1000", 0);
        gone.condition(CONDDEATH, "death", HREARMAFTERRESTART).actionRestart("restart", "/bin/sleep 1000", HREARMAFTERRESTART);
        long pid = t.awaitPid("frozen", 0);
        long gonePid = t.awaitPid("gone", 0);

        e.control(HDISABLE, 0);
        gone.control(HDISABLE, 0);

        assertFalse(t.entity("frozen").isEnabled());
        assertTrue(e.info().contains("Enabled : NO\n"), e.info());
        // Without HRECURSE the items below keep their own setting.
        assertTrue(t.condition("frozen", "death").isEnabled());
        assertTrue(action("frozen", "death", "restart").isEnabled());

        e.raise(1, 1, 1, 0);
        TestHam.kill(pid, "KILL");
        TestHam.kill(gonePid, "KILL");
        Await.until("frozen's death seen", () -> t.entity("frozen").getLastExit().equals("signal 9 (SIGKILL)"));
        Await.until("gone removed", () -> !List.of(t.ham().getEntityNames()).contains("gone"));

        for (String c : List.of("death", "seen", "raised")) {
            assertEquals(0, t.condition("frozen", c).getTriggerCount(), c);
        }
        assertEquals(0, t.condition(null, "gdeath").getTriggerCount(), "nor do global conditions react");
        assertEquals(0, t.entity("frozen").getNumRestarts());
        assertEquals(pid, t.entity("frozen").getEntityPid(), "not restarted");
        Notified.barrier(t);
        assertEquals(java.util.Map.of(), Notified.perPath(t, "frozen"));
        assertEquals(java.util.Map.of(), Notified.perPath(t, "gone"));
        assertFalse(t.activityLine("frozen died"));
        assertFalse(t.activityLine("global saw a death"));
        assertFalse(t.activityContains("restarted: entity"), "nothing was restarted");
        assertFalse(t.activityContains("the spawner restarted"), "the instant restart was disarmed");
        assertEquals(0, t.entity("frozen").getNumRestarts());
    }

    /** Enabled attributes of the entity, its conditions and their actions, in tree order. */
    private List<Boolean> enabledTree(String ename) {
        List<Boolean> out = new ArrayList<>(List.of(t.entity(ename).isEnabled()));
        for (String c : t.entity(ename).getConditionNames()) {
            ConditionMXBean cond = t.condition(ename, c);
            out.add(cond.isEnabled());
            for (String a : cond.getActionNames()) {
                out.add(action(ename, c, a).isEnabled());
            }
        }
        return out;
    }

    @Test
    void hrecurseReachesTheItemsBelowAndReEnablingRestoresTheInstantRestart() {
        EntityHandle e = Ham.attach("revived", t.node, -1, "/bin/sleep 1000", 0);
        ConditionHandle death = e.condition(CONDDEATH, "death", HREARMAFTERRESTART);
        ActionHandle restart = death.actionRestart("restart", "/bin/sleep 1000", HREARMAFTERRESTART);
        death.actionLog("say", "revived died", 0, 1, HREARMAFTERRESTART);
        e.condition(CONDRESTART, "back", HREARMAFTERRESTART).actionLog("say", "revived is back", 0, 1, HREARMAFTERRESTART);
        long pid = t.awaitPid("revived", 0);
        // entity, death, restart, say, back, say
        List<Boolean> allOn = List.of(true, true, true, true, true, true);
        assertEquals(allOn, enabledTree("revived"));

        e.control(HDISABLE, HRECURSE);
        assertEquals(List.of(false, false, false, false, false, false), enabledTree("revived"));
        assertTrue(Ham.conditionHandle(t.node, "revived", "back", 0).info().contains("Enabled : NO\n"));
        assertTrue(restart.info().contains("Enabled : NO\n"), restart.info());
        // HENABLE without HRECURSE: the entity only; each item keeps its own setting.
        e.control(HENABLE, 0);
        assertEquals(List.of(true, false, false, false, false, false), enabledTree("revived"));
        e.control(HENABLE, HRECURSE);
        assertEquals(allOn, enabledTree("revived"));
        // A condition recurses to its actions only.
        death.control(HDISABLE, HRECURSE);
        assertEquals(List.of(true, false, false, false, true, true), enabledTree("revived"));
        death.control(HENABLE, HRECURSE);
        // An action has nothing below it: HRECURSE is accepted and changes the action alone.
        restart.control(HDISABLE, HRECURSE);
        assertEquals(List.of(true, true, false, true, true, true), enabledTree("revived"));
        restart.control(HENABLE, 0);
        assertEquals(allOn, enabledTree("revived"));

        TestHam.kill(pid, "KILL");

        long next = t.awaitPid("revived", pid);
        Await.until("Num Restarts 1", () -> t.entity("revived").getNumRestarts() == 1);
        Notified.await(t, "revived/back", "CONDRESTART", 1);
        assertEquals(next, (long) Notified.of(t, "revived/back", "revived").get(0).get("pid"));
        Await.until("both lists ran", () -> t.activityLine("revived died") && t.activityLine("revived is back"));
    }

    @Test
    void aDisabledConditionNeverTriggersUntilEnabled() {
        EntityHandle e = Ham.attach("picky", t.node, -1, "/bin/sleep 1000", HENTITYKEEPONDEATH);
        ConditionHandle death = e.condition(CONDDEATH, "death", 0);
        death.actionRestart("restart", "/bin/sleep 1000", 0);
        e.condition(CONDDEATH, "seen", 0).actionLog("say", "picky died", 0, 1, 0);
        ConditionHandle raised = e.conditionRaise("raised", 0, 0, 0, 0);
        raised.actionLog("say", "picky raised", 0, 1, 0);
        long pid = t.awaitPid("picky", 0);

        raised.control(HDISABLE, 0);
        e.raise(1, 1, 1, 0);
        assertEquals(0, t.condition("picky", "raised").getTriggerCount());
        raised.control(HENABLE, 0);
        e.raise(1, 1, 1, 0);
        assertEquals(1, t.condition("picky", "raised").getTriggerCount());
        Await.until("the enabled condition's action", () -> t.activityLine("picky raised"));

        // The death condition holding the restart is disabled: the death is seen, not acted on.
        death.control(HDISABLE, 0);
        TestHam.kill(pid, "KILL");
        Await.until("the death seen", () -> t.condition("picky", "seen").getTriggerCount() == 1);
        Await.until("its log line", () -> t.activityLine("picky died"));
        assertEquals(0, t.condition("picky", "death").getTriggerCount());
        assertEquals(0, action("picky", "death", "restart").getRunCount());
        assertEquals(0, t.entity("picky").getNumRestarts());
        assertFalse(alive(t.entity("picky").getEntityPid()));
        Notified.barrier(t);
        assertEquals(List.of(), Notified.events(t, "picky/death"));
        assertEquals(1, Notified.events(t, "picky/raised").size());
    }

    @Test
    void aDisabledActionIsSkippedWhileTheRestOfItsListRuns() {
        EntityHandle e = Ham.attach("skipper", t.node, -1, "/bin/sleep 1000", HENTITYKEEPONDEATH);
        ConditionHandle list = e.conditionRaise("list", 0, 0, 0, 0);
        list.actionLog("first", "skipper: first", 0, 1, 0);
        ActionHandle second = list.actionLog("second", "skipper: second", 0, 1, 0);
        list.actionLog("third", "skipper: third", 0, 1, 0);
        ConditionHandle death = e.condition(CONDDEATH, "death", 0);
        ActionHandle restart = death.actionRestart("restart", "/bin/sleep 1000", 0);
        death.actionLog("say", "skipper died", 0, 1, 0);
        long pid = t.awaitPid("skipper", 0);

        second.control(HDISABLE, 0);
        e.raise(1, 1, 1, 0);
        // Actions run in order: once the third has run, the second had its turn.
        Await.until("the third action", () -> t.activityLine("skipper: third"));
        assertTrue(t.activityLine("skipper: first"));
        assertFalse(t.activityLine("skipper: second"));
        assertEquals(0, action("skipper", "list", "second").getRunCount());
        assertEquals(1, action("skipper", "list", "third").getRunCount());
        second.control(HENABLE, 0);
        e.raise(1, 1, 1, 0);
        Await.until("the re-enabled action", () -> t.activityLine("skipper: second"));

        // A disabled restart is skipped too: the log behind it runs, the entity stays dead.
        restart.control(HDISABLE, 0);
        TestHam.kill(pid, "KILL");
        Await.until("the log behind the restart", () -> t.activityLine("skipper died"));
        assertEquals(0, action("skipper", "death", "restart").getRunCount());
        assertEquals(0, t.entity("skipper").getNumRestarts());
        assertEquals(pid, t.entity("skipper").getEntityPid());
        assertFalse(t.activityContains("restarted: entity 'skipper'"));
    }

    @Test
    void disablingTheGlobalEntitySilencesItsConditionsForEveryEntity() {
        EntityHandle global = Ham.entityHandle(t.node, null, 0);
        global.condition(CONDRAISE, "graise", 0);
        EntityHandle e = Notified.placeholder(t, "talker");
        e.condition(CONDRAISE, "own", 0);

        global.control(HDISABLE, 0);
        assertFalse(t.entity("/").isEnabled());
        e.raise(1, 1, 1, 0);
        assertEquals(1, t.condition("talker", "own").getTriggerCount());
        assertEquals(0, t.condition(null, "graise").getTriggerCount());

        global.control(HENABLE, 0);
        e.raise(1, 1, 1, 0);
        assertEquals(1, t.condition(null, "graise").getTriggerCount());
    }

    @Test
    void flagCommandsRoundTripOnEachKind() {
        EntityHandle e = Ham.attach("flags", t.node, -1, "/bin/sleep 1000", 0);
        t.awaitPid("flags", 0);
        // Entity.
        assertEquals(0, e.control(HGETFLAGS, 0));
        assertEquals(0, e.control(HADDFLAGS, HENTITYKEEPONDEATH));
        assertEquals(HENTITYKEEPONDEATH, e.control(HGETFLAGS, 0));
        assertEquals(HENTITYKEEPONDEATH, e.control(HGETFLAGS, 0x40), "HGETFLAGS ignores its flags argument");
        assertEquals("HENTITYKEEPONDEATH", t.entity("flags").getFlags());
        assertTrue(e.info().contains("Entity flags : HENTITYKEEPONDEATH\n"), e.info());
        e.control(HREMOVEFLAGS, HENTITYKEEPONDEATH);
        assertEquals(0, e.control(HGETFLAGS, 0));
        assertTrue(e.info().contains("Entity flags : 0\n"), e.info());
        e.control(HSETFLAGS, HENTITYKEEPONDEATH);
        assertEquals(HENTITYKEEPONDEATH, e.control(HGETFLAGS, 0));

        // Condition.
        ConditionHandle c = e.condition(CONDDEATH, "death", HREARMAFTERRESTART);
        assertEquals(HREARMAFTERRESTART, c.control(HGETFLAGS, 0));
        c.control(HADDFLAGS, HCONDINDEPENDENT | HCONDKEEPONEMPTY);
        assertEquals(HREARMAFTERRESTART | HCONDINDEPENDENT | HCONDKEEPONEMPTY, c.control(HGETFLAGS, 0));
        assertEquals("HREARMAFTERRESTART|HCONDINDEPENDENT|HCONDKEEPONEMPTY", t.condition("flags", "death").getFlags());
        assertTrue(c.info().contains("Condition flags : HREARMAFTERRESTART|HCONDINDEPENDENT|HCONDKEEPONEMPTY\n"), c.info());
        assertTrue(c.info().contains("Condition ReArm : ON\n"), c.info());
        c.control(HREMOVEFLAGS, HREARMAFTERRESTART);
        assertEquals(HCONDINDEPENDENT | HCONDKEEPONEMPTY, c.control(HGETFLAGS, 0));
        assertTrue(c.info().contains("Condition ReArm : OFF\n"), c.info());
        c.control(HSETFLAGS, HCONDNOWAIT | HCONDOTHER);
        assertEquals(HCONDNOWAIT | HCONDOTHER, c.control(HGETFLAGS, 0));
        c.control(HSETFLAGS, 0);
        assertEquals(0, c.control(HGETFLAGS, 0));
        assertEquals("0", t.condition("flags", "death").getFlags());

        // Action.
        ActionHandle a = c.actionLog("say", "m", 0, 1, 0);
        assertEquals(0, a.control(HGETFLAGS, 0));
        a.control(HADDFLAGS, HACTIONKEEPONFAIL | HACTIONBREAKONFAIL);
        assertEquals(HACTIONKEEPONFAIL | HACTIONBREAKONFAIL, a.control(HGETFLAGS, 0));
        assertEquals("HACTIONBREAKONFAIL|HACTIONKEEPONFAIL", action("flags", "death", "say").getFlags());
        assertTrue(a.info().contains("Action flags : HACTIONBREAKONFAIL|HACTIONKEEPONFAIL\n"), a.info());
        assertTrue(a.info().contains("Action ReArm : OFF\n"), a.info());
        a.control(HADDFLAGS, HREARMAFTERRESTART);
        assertTrue(a.info().contains("Action ReArm : ON\n"), a.info());
        a.control(HREMOVEFLAGS, HACTIONBREAKONFAIL);
        assertEquals(HREARMAFTERRESTART | HACTIONKEEPONFAIL, a.control(HGETFLAGS, 0));
        a.control(HSETFLAGS, 0);
        assertEquals(0, a.control(HGETFLAGS, 0));
        // HACTIONDONOW given when the action was added shows, and may be removed.
        ActionHandle now = c.actionLog("now", "said at once", 0, 1, HACTIONDONOW);
        assertEquals(HACTIONDONOW, now.control(HGETFLAGS, 0));
        now.control(HREMOVEFLAGS, HACTIONDONOW);
        assertEquals(0, now.control(HGETFLAGS, 0));
    }

    @Test
    void flagsChangedByControlChangeWhatTheHamDoes() {
        // An entity made HENTITYKEEPONDEATH by control is kept after a death without restart.
        EntityHandle kept = Ham.attach("kept", t.node, -1, "/bin/sleep 1000", 0);
        long keptPid = t.awaitPid("kept", 0);
        kept.control(HADDFLAGS, HENTITYKEEPONDEATH);
        TestHam.kill(keptPid, "KILL");
        Await.until("kept's death", () -> !t.entity("kept").getLastExit().isEmpty());
        assertTrue(List.of(t.ham().getEntityNames()).contains("kept"));

        // Rearm flags changed by control decide what survives a restart.
        EntityHandle r = Ham.attach("rearmed", t.node, -1, "/bin/sleep 1000", 0);
        r.condition(CONDDEATH, "death", HREARMAFTERRESTART).actionRestart("restart", "/bin/sleep 1000", HREARMAFTERRESTART);
        r.condition(CONDDEATH, "dropped", HREARMAFTERRESTART).actionLog("say", "x", 0, 1, HREARMAFTERRESTART);
        r.condition(CONDRESTART, "back", 0).actionLog("say", "y", 0, 1, 0);
        Ham.conditionHandle(t.node, "rearmed", "dropped", 0).control(HREMOVEFLAGS, HREARMAFTERRESTART);
        Ham.conditionHandle(t.node, "rearmed", "back", 0).control(HADDFLAGS, HREARMAFTERRESTART);
        Ham.actionHandle(t.node, "rearmed", "back", "say", 0).control(HSETFLAGS, HREARMAFTERRESTART);
        long pid = t.awaitPid("rearmed", 0);
        TestHam.kill(pid, "KILL");
        t.awaitPid("rearmed", pid);
        Await.until("pruning", () -> t.entity("rearmed").getConditionNames().length == 2);
        assertArrayEquals(new String[] {"death", "back"}, t.entity("rearmed").getConditionNames());
        assertArrayEquals(new String[] {"say"}, t.condition("rearmed", "back").getActionNames());

        // HACTIONKEEPONFAIL added by control keeps a failing action; its twin without it goes.
        EntityHandle f = Notified.placeholder(t, "failing");
        ConditionHandle list = f.conditionRaise("list", 0, 0, 0, 0);
        list.actionExecute("kept", "/no/such/tool", 0).control(HADDFLAGS, HACTIONKEEPONFAIL);
        list.actionExecute("dropped", "/no/such/tool", 0);
        f.raise(1, 1, 1, 0);
        Await.until("the failures handled", () -> t.condition("failing", "list").getActionNames().length == 1);
        assertArrayEquals(new String[] {"kept"}, t.condition("failing", "list").getActionNames());
        assertEquals(1, action("failing", "list", "kept").getFailCount());

        // State-set flags added by control change the match of a CONDSTATE condition.
        ConditionHandle s = f.conditionState("to12", CONDSTATEANY, 1 << 1 | 1 << 2, 0);
        f.reportState(1, 0);
        assertEquals(0, t.condition("failing", "to12").getTriggerCount(), "6 is a value until HCONDSTATETOSET");
        s.control(HADDFLAGS, HCONDSTATETOSET);
        assertEquals("from ANY to set 0x6", t.condition("failing", "to12").getFilter());
        f.reportState(2, 0);
        assertEquals(1, t.condition("failing", "to12").getTriggerCount());
    }

    @Test
    void hactiondonowCannotBeSetByControl() {
        ConditionHandle c = Notified.placeholder(t, "donow").conditionRaise("list", 0, 0, 0, 0);
        ActionHandle a = c.actionLog("say", "donow said", 0, 1, HACTIONKEEPONFAIL);
        ActionMXBean raw = t.connection.proxy(ActionMXBean.class, ObjectNames.action("donow", "list", "say"));

        refusedUnchanged(() -> a.control(HGETFLAGS, 0), Errno.EINVAL, () -> a.control(HADDFLAGS, HACTIONDONOW));
        refusedUnchanged(() -> a.control(HGETFLAGS, 0), Errno.EINVAL,
                () -> a.control(HSETFLAGS, HACTIONDONOW | HACTIONKEEPONFAIL));
        refusedUnchanged(() -> a.control(HGETFLAGS, 0), Errno.EINVAL, () -> raw.control("HADDFLAGS", "HACTIONDONOW"));
        assertEquals(HACTIONKEEPONFAIL, a.control(HGETFLAGS, 0));
        assertEquals(0, action("donow", "list", "say").getRunCount(), "a refused HACTIONDONOW ran nothing");
        assertFalse(t.activityLine("donow said"));
    }

    @Test
    void hcondnowaitCannotBeSetOnAConditionHoldingAWaitfor() {
        EntityHandle e = Notified.placeholder(t, "waiter");
        ConditionHandle waits = e.conditionRaise("waits", 0, 0, 0, 0);
        waits.actionWaitfor("pause", null, 100, 0);
        ConditionHandle failWaits = e.conditionRaise("failwaits", 0, 0, 0, HREARMAFTERRESTART);
        ActionHandle tool = failWaits.actionExecute("tool", "/no/such/tool", 0);
        tool.failWaitfor("pause", null, 100, 0);
        ConditionHandle free = e.conditionRaise("free", 0, 0, 0, 0);
        free.actionLog("say", "m", 0, 1, 0);

        refusedUnchanged(() -> waits.control(HGETFLAGS, 0), Errno.EINVAL, () -> waits.control(HADDFLAGS, HCONDNOWAIT));
        refusedUnchanged(() -> waits.control(HGETFLAGS, 0), Errno.EINVAL,
                () -> waits.control(HSETFLAGS, HCONDNOWAIT | HREARMAFTERRESTART));
        // A waitfor in an action-fail list counts too.
        refusedUnchanged(() -> failWaits.control(HGETFLAGS, 0), Errno.EINVAL,
                () -> failWaits.control(HADDFLAGS, HCONDNOWAIT));
        assertEquals(HREARMAFTERRESTART, failWaits.control(HGETFLAGS, 0));

        // Without waitfors it can, and then refuses new ones.
        free.control(HADDFLAGS, HCONDNOWAIT);
        assertEquals(HCONDNOWAIT, free.control(HGETFLAGS, 0));
        Notified.refused(Errno.EINVAL, () -> free.actionWaitfor("pause", null, 100, 0));
        // Once the waitfors are gone, NOWAIT can be set.
        Ham.actionHandle(t.node, "waiter", "waits", "pause", 0).remove(0);
        waits.control(HADDFLAGS, HCONDNOWAIT);
        assertEquals(HCONDNOWAIT, waits.control(HGETFLAGS, 0));
        tool.failRemove("pause", 0);
        failWaits.control(HADDFLAGS, HCONDNOWAIT);
        assertEquals(HREARMAFTERRESTART | HCONDNOWAIT, failWaits.control(HGETFLAGS, 0));
    }

    /** A refused control: the errno, and the item's flags and Enabled unchanged. */
    private void refusedUnchanged(java.util.function.IntSupplier flags, Errno errno, Executable call) {
        int before = flags.getAsInt();
        Notified.refused(errno, call);
        assertEquals(before, flags.getAsInt(), "a refused control changed the flags");
    }

    private void refusedKeepsEnabled(BooleanSupplier enabled, java.util.function.IntSupplier flags, Executable call) {
        boolean was = enabled.getAsBoolean();
        refusedUnchanged(flags, Errno.EINVAL, call);
        assertEquals(was, enabled.getAsBoolean(), "a refused control changed Enabled");
    }

    @Test
    void invalidCommandsAndFlagsAreRefusedAndChangeNothing() {
        EntityHandle e = Ham.attach("strict", t.node, -1, "/bin/sleep 1000", HENTITYKEEPONDEATH);
        t.awaitPid("strict", 0);
        ConditionHandle c = e.condition(CONDDEATH, "death", HREARMAFTERRESTART);
        ActionHandle a = c.actionLog("say", "m", 0, 1, HACTIONKEEPONFAIL);
        BooleanSupplier eOn = () -> t.entity("strict").isEnabled();
        BooleanSupplier cOn = () -> t.condition("strict", "death").isEnabled();
        BooleanSupplier aOn = () -> action("strict", "death", "say").isEnabled();
        java.util.function.IntSupplier eFlags = () -> e.control(HGETFLAGS, 0);
        java.util.function.IntSupplier cFlags = () -> c.control(HGETFLAGS, 0);
        java.util.function.IntSupplier aFlags = () -> a.control(HGETFLAGS, 0);

        for (int command : new int[] {99, 0, -1, 7}) {
            refusedKeepsEnabled(eOn, eFlags, () -> e.control(command, 0));
            refusedKeepsEnabled(cOn, cFlags, () -> c.control(command, 0));
            refusedKeepsEnabled(aOn, aFlags, () -> a.control(command, HRECURSE));
        }
        // Flags that are not of the item's kind.
        refusedKeepsEnabled(eOn, eFlags, () -> e.control(HADDFLAGS, HCONDNOWAIT));
        refusedKeepsEnabled(eOn, eFlags, () -> e.control(HSETFLAGS, HREARMAFTERRESTART));
        refusedKeepsEnabled(cOn, cFlags, () -> c.control(HADDFLAGS, 0x40));
        refusedKeepsEnabled(cOn, cFlags, () -> c.control(HSETFLAGS, HCONDINDEPENDENT | 0x20000));
        refusedKeepsEnabled(cOn, cFlags, () -> c.control(HADDFLAGS, HCONDSTATETOSET));
        refusedKeepsEnabled(aOn, aFlags, () -> a.control(HADDFLAGS, HCONDKEEPONEMPTY));
        refusedKeepsEnabled(aOn, aFlags, () -> a.control(HSETFLAGS, 0x1000));
        // HRECURSE belongs to HENABLE / HDISABLE only; those take no other flag.
        refusedKeepsEnabled(eOn, eFlags, () -> e.control(HADDFLAGS, HRECURSE));
        refusedKeepsEnabled(cOn, cFlags, () -> c.control(HSETFLAGS, HRECURSE | HREARMAFTERRESTART));
        refusedKeepsEnabled(aOn, aFlags, () -> a.control(HREMOVEFLAGS, HRECURSE));
        refusedKeepsEnabled(eOn, eFlags, () -> e.control(HDISABLE, HENTITYKEEPONDEATH));
        refusedKeepsEnabled(cOn, cFlags, () -> c.control(HDISABLE, HRECURSE | HCONDNOWAIT));
        refusedKeepsEnabled(aOn, aFlags, () -> a.control(HDISABLE, HACTIONKEEPONFAIL));

        assertEquals(HENTITYKEEPONDEATH, e.control(HGETFLAGS, 0));
        assertEquals(HREARMAFTERRESTART, c.control(HGETFLAGS, 0));
        assertEquals(HACTIONKEEPONFAIL, a.control(HGETFLAGS, 0));
        assertTrue(eOn.getAsBoolean() && cOn.getAsBoolean() && aOn.getAsBoolean());
    }

    /** The errno a plain JMX client (JConsole, jmxterm) sees: the message of a JDK exception in the chain. */
    private static void refusedOverJmx(String errno, Executable call) {
        Throwable thrown = assertThrows(Exception.class, call);
        for (Throwable x = thrown; x != null; x = x.getCause()) {
            if (x.getMessage() != null && x.getMessage().startsWith(errno + ": ")) {
                assertTrue(x.getClass().getName().startsWith("java."), "a JDK type: " + x.getClass());
                return;
            }
        }
        throw new AssertionError("no " + errno + " in " + thrown, thrown);
    }

    @Test
    void controlOverPlainJmxTakesSymbolicStrings() {
        EntityHandle e = Ham.attach("jmx", t.node, -1, "/bin/sleep 1000", 0);
        t.awaitPid("jmx", 0);
        e.condition(CONDDEATH, "death", 0).actionLog("say", "m", 0, 1, 0);
        EntityMXBean ent = t.entity("jmx");
        ConditionMXBean cond = t.condition("jmx", "death");
        ActionMXBean act = action("jmx", "death", "say");

        ent.control("HDISABLE", "HRECURSE");
        assertEquals(List.of(false, false, false), enabledTree("jmx"));
        ent.control("henable", "hrecurse");
        assertEquals(List.of(true, true, true), enabledTree("jmx"));
        cond.control("HDISABLE", "");
        assertEquals(List.of(true, false, true), enabledTree("jmx"));
        cond.control("HENABLE", "0");

        ent.control("HADDFLAGS", "HENTITYKEEPONDEATH");
        assertEquals(HENTITYKEEPONDEATH, ent.control("HGETFLAGS", ""));
        assertEquals(HENTITYKEEPONDEATH, ent.control("6", "0"), "numbers are accepted too");
        assertEquals("HENTITYKEEPONDEATH", ent.getFlags());
        cond.control("HSETFLAGS", "HREARMAFTERRESTART|HCONDINDEPENDENT");
        assertEquals(HREARMAFTERRESTART | HCONDINDEPENDENT, cond.control("HGETFLAGS", ""));
        assertEquals("HREARMAFTERRESTART|HCONDINDEPENDENT", cond.getFlags());
        act.control("HADDFLAGS", "HACTIONKEEPONFAIL | HACTIONBREAKONFAIL");
        assertEquals("HACTIONBREAKONFAIL|HACTIONKEEPONFAIL", act.getFlags());
        act.control("HREMOVEFLAGS", "0x4");
        assertEquals("HACTIONKEEPONFAIL", act.getFlags());

        refusedOverJmx("EINVAL", () -> act.control("HADDFLAGS", "HACTIONDONOW"));
        refusedOverJmx("EINVAL", () -> ent.control("HFROBNICATE", ""));
        refusedOverJmx("EINVAL", () -> cond.control("HADDFLAGS", "HENTITYKEEPONDEATH"));
        refusedOverJmx("EINVAL", () -> ent.control("HADDFLAGS", "HRECURSE"));
        assertEquals("HACTIONKEEPONFAIL", act.getFlags());
        assertEquals("HREARMAFTERRESTART|HCONDINDEPENDENT", cond.getFlags());
        assertEquals("HENTITYKEEPONDEATH", ent.getFlags());
    }
}
