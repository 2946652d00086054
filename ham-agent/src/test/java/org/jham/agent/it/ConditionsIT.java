package org.jham.agent.it;

import static org.jham.HamConstants.CONDABNORMALDEATH;
import static org.jham.HamConstants.CONDANY;
import static org.jham.HamConstants.CONDATTACH;
import static org.jham.HamConstants.CONDDEATH;
import static org.jham.HamConstants.CONDDETACH;
import static org.jham.HamConstants.CONDRAISE;
import static org.jham.HamConstants.CONDRESTART;
import static org.jham.HamConstants.CONDSTATE;
import static org.jham.HamConstants.CONDSTATEANY;
import static org.jham.HamConstants.HCONDINDEPENDENT;
import static org.jham.HamConstants.HCONDNOWAIT;
import static org.jham.HamConstants.HCONDSTATEFROMSET;
import static org.jham.HamConstants.HCONDSTATETOINV;
import static org.jham.HamConstants.HCONDSTATETOSET;
import static org.jham.HamConstants.HDISABLE;
import static org.jham.HamConstants.HENTITYKEEPONDEATH;
import static org.jham.HamConstants.HGETFLAGS;
import static org.jham.HamConstants.HREARMAFTERRESTART;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jham.ActionHandle;
import org.jham.ConditionHandle;
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
import org.junit.jupiter.api.function.Executable;

/**
 * The guide's "Condition types" and ham_condition(): each type fires on its event for real
 * processes, seen through the jham.condition notifications and through the execute and log actions
 * the conditions hold; CONDANY, the global entity, disabled conditions, the lane flags, and every
 * refusal of ham_condition().
 */
class ConditionsIT {
    /** A sleeper that cannot leave core files behind when killed by a core-dump signal. */
    private static final String CORELESS_SLEEP = "/bin/sh -c 'ulimit -c 0; exec /bin/sleep 1000'";

    private TestHam t;

    @BeforeEach
    void start() throws Exception {
        t = new TestHam();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    private String touch(Path p) {
        return "/usr/bin/touch " + p;
    }

    private long logLines(String message) {
        return Arrays.stream(t.ham().getRecentActivity()).filter(l -> l.endsWith("] " + message)).count();
    }

    @Test
    void deathFiresWhenAChildTheHamStartedIsKilled() {
        Path mark = t.stateDir.resolve("child-died");
        EntityHandle e = Ham.attach("child", t.node, -1, "/bin/sleep 1000", 0);
        ConditionHandle death = e.condition(CONDDEATH, "death", 0);
        death.actionExecute("mark", touch(mark), 0);
        death.actionLog("say", "child died", 0, 1, 0);
        e.condition(CONDABNORMALDEATH, "abnormal", 0);
        long pid = t.awaitPid("child", 0);

        TestHam.kill(pid, "KILL");

        Notified.await(t, "child/death", "CONDDEATH", 1);
        assertEquals(pid, (long) Notified.of(t, "child/death", "child").get(0).get("pid"));
        Await.until("the execute action's file", () -> Files.exists(mark));
        Await.until("the log action's line", () -> t.activityLine("child died"));
        // Not restarted (no restart action), so the entity goes with its conditions.
        Await.until("the dead entity removed", () -> !List.of(t.ham().getEntityNames()).contains("child"));
        Notified.barrier(t);
        assertEquals(List.of(), Notified.events(t, "child/abnormal"), "SIGKILL makes no core file");
    }

    @Test
    void deathFiresWhenAProcessAttachedByPidIsKilled() throws Exception {
        Path mark = t.stateDir.resolve("bypid-died");
        Process own = new ProcessBuilder("/bin/sleep", "1000").start();
        long pid = t.track(own.pid());
        EntityHandle e = Ham.attach("bypid", t.node, pid, null, 0);
        assertEquals("ATTACHED", t.entity("bypid").getEntityType());
        ConditionHandle death = e.condition(CONDDEATH, "death", 0);
        death.actionExecute("mark", touch(mark), 0);

        TestHam.kill(pid, "KILL");

        Notified.await(t, "bypid/death", "CONDDEATH", 1);
        assertEquals(pid, (long) Notified.of(t, "bypid/death", "bypid").get(0).get("pid"));
        Await.until("the execute action's file", () -> Files.exists(mark));
        Await.until("the dead entity removed", () -> t.ham().getEntityNames().length == 0);
    }

    /** How one entity ends, and whether that is an abnormal death (a core-dump signal). */
    private record Ending(String name, String line, String signal, boolean abnormal, String lastExit) {
    }

    @Test
    void coreDumpSignalsFireAbnormalDeathAndDeathWhileOtherEndsFireOnlyDeath() throws Exception {
        Path go = t.stateDir.resolve("go");
        String exitLine = "/bin/sh -c 'while [ ! -e " + go + " ]; do sleep 0.05; done; exit %d'";
        List<Ending> endings = List.of(
                new Ending("segv", CORELESS_SLEEP, "SEGV", true, "signal 11 (SIGSEGV) abnormal"),
                new Ending("abrt", CORELESS_SLEEP, "ABRT", true, "signal 6 (SIGABRT) abnormal"),
                new Ending("quit", CORELESS_SLEEP, "QUIT", true, "signal 3 (SIGQUIT) abnormal"),
                new Ending("kill", "/bin/sleep 1000", "KILL", false, "signal 9 (SIGKILL)"),
                new Ending("term", "/bin/sleep 1000", "TERM", false, "signal 15 (SIGTERM)"),
                new Ending("exit0", String.format(exitLine, 0), null, false, "exit 0"),
                new Ending("exit3", String.format(exitLine, 3), null, false, "exit 3"));
        Map<String, Long> pids = new LinkedHashMap<>();
        for (Ending x : endings) {
            EntityHandle e = Ham.attach(x.name(), t.node, -1, x.line(), HENTITYKEEPONDEATH);
            e.condition(CONDABNORMALDEATH, "abnormal", 0).actionLog("l", x.name() + " died abnormally", 0, 1, 0);
            e.condition(CONDDEATH, "death", 0).actionLog("l", x.name() + " died", 0, 1, 0);
            e.condition(CONDANY, "any", 0);
            pids.put(x.name(), t.awaitPid(x.name(), 0));
        }
        // A process attached by pid: its exit status is not the HAM's to know, so only CONDDEATH.
        Process own = new ProcessBuilder("/bin/sh", "-c", "ulimit -c 0; exec /bin/sleep 1000").start();
        long ownPid = t.track(own.pid());
        EntityHandle byPid = Ham.attach("bypid", t.node, ownPid, null, HENTITYKEEPONDEATH);
        byPid.condition(CONDABNORMALDEATH, "abnormal", 0);
        byPid.condition(CONDDEATH, "death", 0);

        for (Ending x : endings) {
            if (x.signal() != null) {
                TestHam.kill(pids.get(x.name()), x.signal());
            }
        }
        TestHam.kill(ownPid, "SEGV");
        Files.createFile(go);

        for (Ending x : endings) {
            Await.until(x.name() + "'s death", () -> x.lastExit().equals(t.entity(x.name()).getLastExit()));
            // The death was handled under the same lock that counted the triggers: they are final.
            assertEquals(x.abnormal() ? 1 : 0, t.condition(x.name(), "abnormal").getTriggerCount(), x.name());
            assertEquals(1, t.condition(x.name(), "death").getTriggerCount(), x.name());
            assertEquals(1, t.condition(x.name(), "any").getTriggerCount(), x.name() + ": CONDANY once per death");
            Notified.await(t, x.name() + "/death", "CONDDEATH", 1);
            Await.until(x.name() + "'s death log", () -> t.activityLine(x.name() + " died"));
        }
        Await.until("bypid's death", () -> t.condition("bypid", "death").getTriggerCount() == 1);
        assertEquals(0, t.condition("bypid", "abnormal").getTriggerCount());
        Notified.barrier(t);
        for (Ending x : endings) {
            assertEquals(x.abnormal() ? List.of("CONDABNORMALDEATH") : List.of(), Notified.events(t, x.name() + "/abnormal"));
            assertEquals(x.abnormal(), t.activityLine(x.name() + " died abnormally"), x.name());
        }
        assertEquals(List.of(), Notified.events(t, "bypid/abnormal"));
    }

    @Test
    void detachFiresCondDetachAndEndsTheMonitoring() throws Exception {
        Path mark = t.stateDir.resolve("left");
        EntityHandle e = Ham.attach("leaver", t.node, -1, "/bin/sleep 1000", 0);
        ConditionHandle detach = e.condition(CONDDETACH, "detach", 0);
        detach.actionExecute("mark", touch(mark), 0);
        detach.actionLog("say", "leaver detached", 0, 1, 0);
        e.condition(CONDDEATH, "death", 0).actionLog("say", "leaver died", 0, 1, 0);
        long pid = t.awaitPid("leaver", 0);

        e.detach(0);

        Notified.await(t, "leaver/detach", "CONDDETACH", 1);
        Await.until("the execute action's file", () -> Files.exists(mark));
        Await.until("the log action's line", () -> t.activityLine("leaver detached"));
        assertEquals(0, t.ham().getEntityNames().length);
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "a detached process runs on");

        // The HAM no longer watches it: its death fires nothing.
        TestHam.kill(pid, "KILL");
        Await.until("the process gone", () -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        Notified.barrier(t);
        assertEquals(List.of(), Notified.events(t, "leaver/death"));
        assertFalse(t.activityLine("leaver died"));
    }

    @Test
    void attachFillingAPlaceholderFiresCondAttachAndStartsTheMonitoring() throws Exception {
        Path mark = t.stateDir.resolve("joined");
        Ham.entityHandle(t.node, null, 0).condition(CONDATTACH, "anyattach", 0);
        EntityHandle ph = Ham.entity("later", t.node, 0);
        ConditionHandle joined = ph.condition(CONDATTACH, "joined", 0);
        joined.actionExecute("mark", touch(mark), 0);
        joined.actionLog("say", "later joined", 0, 1, 0);
        ph.condition(CONDDEATH, "death", 0);
        assertEquals("PLACEHOLDER", t.entity("later").getEntityType());
        assertEquals(0, t.condition("later", "joined").getTriggerCount());

        Process own = new ProcessBuilder("/bin/sleep", "1000").start();
        long pid = t.track(own.pid());
        Ham.attach("later", t.node, pid, null, 0);

        Notified.await(t, "later/joined", "CONDATTACH", 1);
        assertEquals(pid, (long) Notified.of(t, "later/joined", "later").get(0).get("pid"));
        Await.until("the execute action's file", () -> Files.exists(mark));
        Await.until("the log action's line", () -> t.activityLine("later joined"));
        assertEquals("ATTACHED", t.entity("later").getEntityType());
        assertEquals(pid, t.entity("later").getEntityPid());
        // The global entity sees the placeholder filled and a brand-new entity alike.
        Ham.attach("fresh", t.node, -1, "/bin/sleep 1000", 0);
        t.awaitPid("fresh", 0);
        Await.until("global CONDATTACH for both", () -> Notified.of(t, "/anyattach", "later").size() == 1
                && Notified.of(t, "/anyattach", "fresh").size() == 1);

        // From the attach on, the process is monitored: its death fires CONDDEATH.
        TestHam.kill(pid, "KILL");
        Notified.await(t, "later/death", "CONDDEATH", 1);
    }

    @Test
    void restartFiresCondRestartAfterTheNewInstanceRuns() throws Exception {
        Path mark = t.stateDir.resolve("back");
        EntityHandle e = Ham.attach("phoenix", t.node, -1, "/bin/sleep 1000", 0);
        e.condition(CONDDEATH, "death", HREARMAFTERRESTART).actionRestart("restart", "/bin/sleep 1000", HREARMAFTERRESTART);
        ConditionHandle back = e.condition(CONDRESTART, "back", HREARMAFTERRESTART);
        back.actionExecute("mark", touch(mark), HREARMAFTERRESTART);
        back.actionLog("say", "phoenix is back", 0, 1, HREARMAFTERRESTART);
        long first = t.awaitPid("phoenix", 0);
        assertEquals(0, t.condition("phoenix", "back").getTriggerCount());

        TestHam.kill(first, "KILL");

        long second = t.awaitPid("phoenix", first);
        Notified.await(t, "phoenix/back", "CONDRESTART", 1);
        // "True after the entity is successfully restarted": it carries the new pid.
        assertEquals(second, (long) Notified.of(t, "phoenix/back", "phoenix").get(0).get("pid"));
        Await.until("the execute action's file", () -> Files.exists(mark));
        Await.until("the log action's line", () -> t.activityLine("phoenix is back"));

        TestHam.kill(second, "KILL");
        long third = t.awaitPid("phoenix", second);
        Notified.await(t, "phoenix/back", "CONDRESTART", 2);
        assertEquals(third, (long) Notified.of(t, "phoenix/back", "phoenix").get(1).get("pid"));
        Await.until("two log lines", () -> logLines("phoenix is back") == 2);
    }

    @Test
    void raiseAndStateReportsOfAMonitoredProcessFireTheirConditions() throws Exception {
        Path mark = t.stateDir.resolve("state5");
        EntityHandle e = Ham.attach("reporter", t.node, -1, "/bin/sleep 1000", 0);
        e.conditionRaise("raised", 3, 2, 1, 0).actionLog("say", "reporter raised", 0, 1, 0);
        e.conditionState("five", CONDSTATEANY, 5, 0).actionExecute("mark", touch(mark), 0);
        t.awaitPid("reporter", 0);

        e.raise(3, 2, 1, 0);
        Notified.await(t, "reporter/raised", "CONDRAISE", 1);
        Await.until("the log action's line", () -> t.activityLine("reporter raised"));
        assertEquals(0, t.condition("reporter", "five").getTriggerCount(), "a raise is no state change");

        e.reportState(5, 0);
        Notified.await(t, "reporter/five", "CONDSTATE", 1);
        Await.until("the execute action's file", () -> Files.exists(mark));
        assertEquals(1, t.condition("reporter", "raised").getTriggerCount(), "a state change is no raise");
    }

    @Test
    void condAnyFiresOnceForEachEventOfItsEntity() {
        EntityHandle ph = Ham.entity("busy", t.node, 0);
        ConditionHandle any = ph.condition(CONDANY, "any", HREARMAFTERRESTART);
        any.actionLog("say", "busy: something happened", 0, 1, HREARMAFTERRESTART);
        ph.condition(CONDDEATH, "death", HREARMAFTERRESTART).actionRestart("restart", CORELESS_SLEEP, HREARMAFTERRESTART);

        Ham.attach("busy", t.node, -1, CORELESS_SLEEP, 0);
        long first = t.awaitPid("busy", 0);
        Await.until("CONDATTACH", () -> Notified.events(t, "busy/any").size() == 1);
        ph.reportState(2, 0);
        Await.until("CONDSTATE", () -> Notified.events(t, "busy/any").size() == 2);
        ph.raise(1, 1, 1, 0);
        Await.until("CONDRAISE", () -> Notified.events(t, "busy/any").size() == 3);
        // An abnormal death is also a death: CONDANY still fires once for it.
        TestHam.kill(first, "SEGV");
        t.awaitPid("busy", first);
        Await.until("the death and the restart", () -> Notified.events(t, "busy/any").size() == 5);
        assertEquals(5, t.condition("busy", "any").getTriggerCount());
        Ham.detachName(t.node, "busy", 0);

        Await.until("CONDDETACH", () -> Notified.events(t, "busy/any").size() == 6);
        Notified.barrier(t);
        assertEquals(List.of("CONDATTACH", "CONDSTATE", "CONDRAISE", "CONDABNORMALDEATH", "CONDRESTART", "CONDDETACH"),
                Notified.events(t, "busy/any"));
        Await.until("its action ran once per event", () -> logLines("busy: something happened") == 6);
    }

    /** The global conditions' notifications about {@code entity}: path -> count. */
    private Map<String, Long> globalSeen(String entity) {
        Map<String, Long> m = Notified.perPath(t, entity);
        m.keySet().removeIf(p -> !p.startsWith("/"));
        return m;
    }

    @Test
    void conditionsOfTheGlobalEntityMatchTheEventsOfEveryEntity() {
        EntityHandle global = Ham.entityHandle(t.node, null, 0);
        assertTrue(global.isGlobal());
        Map<String, Integer> types = new LinkedHashMap<>();
        types.put("gattach", CONDATTACH);
        types.put("gdeath", CONDDEATH);
        types.put("gabnormal", CONDABNORMALDEATH);
        types.put("grestart", CONDRESTART);
        types.put("gdetach", CONDDETACH);
        types.put("graise", CONDRAISE);
        types.put("gstate", CONDSTATE);
        for (Map.Entry<String, Integer> x : types.entrySet()) {
            global.condition(x.getValue(), x.getKey(), 0).actionLog("say", "global " + x.getKey(), 0, 1, 0);
        }
        EntityHandle a = Ham.attach("alpha", t.node, -1, CORELESS_SLEEP, 0);
        a.condition(CONDDEATH, "death", HREARMAFTERRESTART).actionRestart("restart", CORELESS_SLEEP, HREARMAFTERRESTART);
        EntityHandle b = Ham.attach("beta", t.node, -1, "/bin/sleep 1000", 0);
        long alpha = t.awaitPid("alpha", 0);
        long beta = t.awaitPid("beta", 0);

        a.raise(1, 1, 1, 0);
        b.raise(2, 2, 2, 0);
        a.reportState(1, 0);
        b.reportState(7, 0);
        TestHam.kill(alpha, "SEGV");
        t.awaitPid("alpha", alpha);
        TestHam.kill(beta, "KILL");
        Await.until("beta removed after its death", () -> !List.of(t.ham().getEntityNames()).contains("beta"));
        a.detach(0);

        Map<String, Long> forAlpha = Map.of("/gattach", 1L, "/graise", 1L, "/gstate", 1L, "/gabnormal", 1L,
                "/gdeath", 1L, "/grestart", 1L, "/gdetach", 1L);
        Map<String, Long> forBeta = Map.of("/gattach", 1L, "/graise", 1L, "/gstate", 1L, "/gdeath", 1L);
        Await.until("the global notifications", () -> globalSeen("alpha").equals(forAlpha)
                && globalSeen("beta").equals(forBeta));
        Notified.barrier(t);
        assertEquals(forAlpha, globalSeen("alpha"));
        assertEquals(forBeta, globalSeen("beta"));
        for (String c : types.keySet()) {
            Await.until("the log action of " + c, () -> t.activityLine("global " + c));
        }
        assertEquals(2, t.condition(null, "gdeath").getTriggerCount());
        assertEquals(2, t.condition(null, "gattach").getTriggerCount());
        assertEquals(1, t.condition(null, "gabnormal").getTriggerCount());
    }

    @Test
    void aDisabledConditionNeverFires() {
        EntityHandle e = Ham.attach("muted", t.node, -1, "/bin/sleep 1000", HENTITYKEEPONDEATH);
        Map<String, Integer> types = Map.of("death", CONDDEATH, "raise", CONDRAISE, "state", CONDSTATE, "any", CONDANY);
        for (Map.Entry<String, Integer> x : types.entrySet()) {
            for (String suffix : List.of("-on", "-off")) {
                e.condition(x.getValue(), x.getKey() + suffix, 0).actionLog("say", x.getKey() + suffix + " ran", 0, 1, 0);
            }
            Ham.conditionHandle(t.node, "muted", x.getKey() + "-off", 0).control(HDISABLE, 0);
        }
        ConditionHandle globalOff = Ham.entityHandle(t.node, null, 0).condition(CONDANY, "g-off", 0);
        globalOff.actionLog("say", "g-off ran", 0, 1, 0);
        globalOff.control(HDISABLE, 0);
        assertFalse(t.condition("muted", "death-off").isEnabled());
        long pid = t.awaitPid("muted", 0);

        e.raise(1, 1, 1, 0);
        e.reportState(1, 0);
        TestHam.kill(pid, "KILL");
        Await.until("the death handled", () -> !t.entity("muted").getLastExit().isEmpty());

        assertEquals(1, t.condition("muted", "death-on").getTriggerCount());
        assertEquals(1, t.condition("muted", "raise-on").getTriggerCount());
        assertEquals(1, t.condition("muted", "state-on").getTriggerCount());
        assertEquals(3, t.condition("muted", "any-on").getTriggerCount());
        for (String off : List.of("death-off", "raise-off", "state-off", "any-off")) {
            assertEquals(0, t.condition("muted", off).getTriggerCount(), off);
            assertEquals(0, Notified.action(t, "muted", off, "say").getRunCount(), off + "'s action ran");
        }
        assertEquals(0, t.condition(null, "g-off").getTriggerCount());
        Await.until("the enabled conditions' log lines", () -> t.activityLine("death-on ran")
                && t.activityLine("any-on ran") && t.activityLine("raise-on ran") && t.activityLine("state-on ran"));
        Notified.barrier(t);
        for (String off : List.of("death-off", "raise-off", "state-off", "any-off")) {
            assertEquals(List.of(), Notified.events(t, "muted/" + off), off);
            assertFalse(t.activityLine(off + " ran"), off);
        }
        assertEquals(List.of(), Notified.events(t, "/g-off"));
    }

    /** Live lane threads of this JVM (the test's HAM runs in it); an independent lane is named after its condition. */
    private static Set<String> laneThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(th -> th.isAlive() && th.getName().startsWith("ham-lane-"))
                .map(Thread::getName).collect(Collectors.toSet());
    }

    @Test
    void nowaitWithIndependentIsNowait() {
        EntityHandle e = Notified.placeholder(t, "lanes");
        ConditionHandle both = e.condition(CONDRAISE, "both", HCONDNOWAIT | HCONDINDEPENDENT);
        assertEquals(HCONDNOWAIT | HCONDINDEPENDENT, both.control(HGETFLAGS, 0), "both flags are kept");
        // NOWAIT takes precedence: no waitfor, in the actions nor in their action-fail lists.
        Notified.refused(Errno.EINVAL, () -> both.actionWaitfor("wait", null, 100, 0));
        ActionHandle say = both.actionLog("say", "both ran", 0, 1, 0);
        Notified.refused(Errno.EINVAL, () -> say.failWaitfor("wait", null, 100, 0));
        assertEquals(List.of("say"), List.of(t.condition("lanes", "both").getActionNames()));
        // An independent condition without NOWAIT may wait, and gets a thread of its own.
        ConditionHandle indep = e.condition(CONDRAISE, "indep", HCONDINDEPENDENT);
        indep.actionWaitfor("wait", null, 100, 0);
        indep.actionLog("say", "indep ran", 0, 1, 0);

        e.raise(1, 1, 1, 0);

        Await.until("both lists ran", () -> t.activityLine("both ran") && t.activityLine("indep ran"));
        Set<String> lanes = laneThreads();
        assertTrue(lanes.contains("ham-lane-independent lanes/indep"), lanes.toString());
        // "both" ran in the NOWAIT lane, shared by every NOWAIT condition: no thread of its own.
        assertFalse(lanes.contains("ham-lane-independent lanes/both"), lanes.toString());
        assertTrue(lanes.contains("ham-lane-nowait"), lanes.toString());
    }

    /** The entity's condition names: a refused call must not change them. */
    private List<String> conditions(String ename) {
        return List.of(t.entity(ename).getConditionNames());
    }

    private void refusedUnchanged(String ename, Errno errno, Executable call) {
        List<String> before = conditions(ename);
        Notified.refused(errno, call);
        assertEquals(before, conditions(ename), "a refused ham_condition changed the entity");
    }

    @Test
    void hamConditionRefusesBadTypesNamesAndFlags() {
        EntityHandle e = Notified.placeholder(t, "svc");
        e.condition(CONDDEATH, "death", 0);
        // The HAM checks too, not only the library: the raw MBean, as JConsole or jmxterm call it.
        EntityMXBean raw = t.connection.proxy(EntityMXBean.class, ObjectNames.entity("svc"));

        for (int type : new int[] {10, 42, -1}) {
            refusedUnchanged("svc", Errno.EINVAL, () -> e.condition(type, "c", 0));
        }
        refusedUnchanged("svc", Errno.EINVAL, () -> raw.condition("CONDNOSUCH", "c", "0"));
        refusedUnchanged("svc", Errno.EINVAL, () -> raw.condition("99", "c", "0"));

        refusedUnchanged("svc", Errno.EEXIST, () -> e.condition(CONDDEATH, "death", 0));
        refusedUnchanged("svc", Errno.EEXIST, () -> e.condition(CONDRAISE, "death", 0));
        refusedUnchanged("svc", Errno.EEXIST, () -> e.conditionState("death", 1, 2, 0));
        refusedUnchanged("svc", Errno.EEXIST, () -> e.conditionRaise("death", 1, 2, 3, 0));
        refusedUnchanged("svc", Errno.EEXIST, () -> raw.condition("CONDRESTART", "death", "0"));

        refusedUnchanged("svc", Errno.EINVAL, () -> e.condition(CONDDEATH, "a/b", 0));
        refusedUnchanged("svc", Errno.EINVAL, () -> e.conditionState("a/b", 1, 2, 0));
        refusedUnchanged("svc", Errno.EINVAL, () -> raw.condition("CONDDEATH", "a/b", "0"));
        refusedUnchanged("svc", Errno.EINVAL, () -> e.condition(CONDDEATH, null, 0));
        refusedUnchanged("svc", Errno.EINVAL, () -> raw.condition("CONDDEATH", "", "0"));

        refusedUnchanged("svc", Errno.ENAMETOOLONG, () -> e.condition(CONDDEATH, "c".repeat(256), 0));
        refusedUnchanged("svc", Errno.ENAMETOOLONG, () -> raw.condition("CONDDEATH", "c".repeat(256), "0"));
        // The combined path "svc/<cname>" may be 255 characters, no more.
        String longest = "c".repeat(255 - "svc/".length());
        refusedUnchanged("svc", Errno.ENAMETOOLONG, () -> e.condition(CONDDEATH, longest + "c", 0));
        refusedUnchanged("svc", Errno.ENAMETOOLONG, () -> raw.condition("CONDDEATH", longest + "c", "0"));
        e.condition(CONDDEATH, longest, 0).remove(0);

        // The state flags belong to CONDSTATE conditions only.
        refusedUnchanged("svc", Errno.EINVAL, () -> e.condition(CONDDEATH, "s", HCONDSTATEFROMSET));
        refusedUnchanged("svc", Errno.EINVAL, () -> e.condition(CONDANY, "s", HCONDSTATETOINV));
        refusedUnchanged("svc", Errno.EINVAL, () -> e.conditionRaise("s", 1, 1, 1, HCONDSTATETOSET));
        refusedUnchanged("svc", Errno.EINVAL, () -> raw.condition("CONDRAISE", "s", "HCONDSTATEFROMINV"));
        refusedUnchanged("svc", Errno.EINVAL, () -> e.condition(CONDDEATH, "s", 0x40));
        e.condition(CONDSTATE, "s", HCONDSTATEFROMSET);
        assertEquals(List.of("death", "s"), conditions("svc"));

        // The same rules on the global entity.
        EntityHandle global = Ham.entityHandle(t.node, null, 0);
        global.condition(CONDDEATH, "gdeath", 0);
        refusedUnchanged("/", Errno.EEXIST, () -> global.condition(CONDDEATH, "gdeath", 0));
        refusedUnchanged("/", Errno.EINVAL, () -> global.condition(CONDDEATH, "g/x", 0));
        refusedUnchanged("/", Errno.EINVAL, () -> global.condition(42, "g", 0));
        refusedUnchanged("/", Errno.EINVAL, () -> global.condition(CONDDETACH, "g", HCONDSTATETOSET));
    }
}
