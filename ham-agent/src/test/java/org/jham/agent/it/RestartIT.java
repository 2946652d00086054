package org.jham.agent.it;

import static org.jham.HamConstants.CONDABNORMALDEATH;
import static org.jham.HamConstants.CONDATTACH;
import static org.jham.HamConstants.CONDDEATH;
import static org.jham.HamConstants.CONDDETACH;
import static org.jham.HamConstants.CONDRESTART;
import static org.jham.HamConstants.HENTITYKEEPONDEATH;
import static org.jham.HamConstants.HREARMAFTERRESTART;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jham.ConditionHandle;
import org.jham.EntityHandle;
import org.jham.Errno;
import org.jham.Ham;
import org.jham.HamException;
import org.jham.agent.testing.Await;
import org.jham.agent.testing.TestHam;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Simple restart end to end through the client library: a real HAM on a JMXMP loopback port,
 * real processes killed with real signals.
 */
class RestartIT {
    private TestHam t;

    @BeforeEach
    void start() throws Exception {
        t = new TestHam();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void processStartedByLineIsRestartedAfterKill9WithNewPidStatsAndLog() {
        // Given an entity started by the HAM with a rearmed death condition holding a restart
        EntityHandle e = Ham.attach("sleeper", t.node, -1, "/bin/sleep 1000", 0);
        ConditionHandle death = e.condition(CONDDEATH, "death", HREARMAFTERRESTART);
        death.actionRestart("restart", "/bin/sleep 1000", HREARMAFTERRESTART);
        e.condition(CONDRESTART, "back", HREARMAFTERRESTART)
                .actionLog("note", "sleeper is back", 1, 1, HREARMAFTERRESTART);
        long first = t.awaitPid("sleeper", 0);
        assertEquals("STARTED", t.entity("sleeper").getEntityType());

        // When it is killed with SIGKILL
        TestHam.kill(first, "KILL");

        // Then it runs again with a new pid, the stats say so, CONDRESTART fired, the log says so
        long second = t.awaitPid("sleeper", first);
        Await.until("Num Restarts 1", () -> t.entity("sleeper").getNumRestarts() == 1);
        String info = t.entity("sleeper").getInfo();
        assertTrue(info.contains("Entity Pid : " + second), info);
        assertTrue(info.contains("Num Restarts : 1"), info);
        assertTrue(info.contains("Last Death : "), info);
        assertTrue(info.contains("Restarted : "), info);
        assertTrue(t.entity("sleeper").getLastExit().contains("SIGKILL"));
        Await.until("CONDRESTART notification", () -> t.firedCount("sleeper/back", "CONDRESTART") == 1);
        Await.until("the log action's line", () -> t.activityLine("sleeper is back"));
        assertTrue(t.activityContains("restarted: entity 'sleeper' pid " + first + " -> " + second));

        // And the rearmed condition restarts it again
        TestHam.kill(second, "KILL");
        long third = t.awaitPid("sleeper", second);
        assertTrue(third != first);
        Await.until("Num Restarts 2", () -> t.entity("sleeper").getNumRestarts() == 2);
        assertEquals(1, t.ham().getNumEntities());
        assertEquals(2, t.ham().getNumConditions());
        assertEquals(2, t.ham().getNumActions());
    }

    @Test
    void processAttachedByPidIsRestartedAfterKill9() throws Exception {
        Process own = new ProcessBuilder("/bin/sleep", "1000").start();
        long pid = t.track(own.pid());
        EntityHandle e = Ham.attach("bypid", t.node, pid, null, 0);
        assertEquals("ATTACHED", t.entity("bypid").getEntityType());
        e.condition(CONDDEATH, "death", HREARMAFTERRESTART).actionRestart("restart", "/bin/sleep 1001", HREARMAFTERRESTART);

        TestHam.kill(pid, "KILL");

        long next = t.awaitPid("bypid", pid);
        Await.until("Num Restarts 1", () -> t.entity("bypid").getNumRestarts() == 1);
        assertEquals("/bin/sleep 1001", t.entity("bypid").getStartLine());
        assertTrue(ProcessHandle.of(next).get().info().commandLine().orElse("").contains("1001"));
        // The new instance is a child of the HAM: its death is seen at once and its status known.
        TestHam.kill(next, "KILL");
        t.awaitPid("bypid", next);
        Await.until("Num Restarts 2", () -> t.entity("bypid").getNumRestarts() == 2);
    }

    @Test
    void deathBySegvIsAbnormalAndAlsoDeathWhileNormalExitIsOnlyDeath() throws Exception {
        Path go = t.stateDir.resolve("go");
        Ham.attach("crasher", t.node, -1, "/bin/sleep 1000", HENTITYKEEPONDEATH);
        Ham.attach("quitter", t.node, -1, "/bin/sh -c 'while [ ! -e " + go + " ]; do sleep 0.05; done; exit 3'",
                HENTITYKEEPONDEATH);
        for (String n : new String[] {"crasher", "quitter"}) {
            EntityHandle e = Ham.entityHandle(t.node, n, 0);
            e.condition(CONDABNORMALDEATH, "abnormal", 0).actionLog("l1", n + " crashed", 1, 1, 0);
            e.condition(CONDDEATH, "death", 0).actionLog("l2", n + " died", 1, 1, 0);
        }
        long crasher = t.awaitPid("crasher", 0);
        t.awaitPid("quitter", 0);

        TestHam.kill(crasher, "SEGV");
        Files.createFile(go);

        Await.until("crasher death", () -> t.condition("crasher", "death").getTriggerCount() == 1);
        Await.until("quitter death", () -> t.condition("quitter", "death").getTriggerCount() == 1);
        assertEquals(1, t.condition("crasher", "abnormal").getTriggerCount());
        assertEquals(0, t.condition("quitter", "abnormal").getTriggerCount());
        assertEquals("signal 11 (SIGSEGV) abnormal", t.entity("crasher").getLastExit());
        assertEquals("exit 3", t.entity("quitter").getLastExit());
        Await.until("log lines", () -> t.activityLine("crasher crashed") && t.activityLine("quitter died"));
        assertFalse(t.activityLine("quitter crashed"));
        // HENTITYKEEPONDEATH kept both dead entities with their conditions.
        assertEquals(2, t.ham().getNumEntities());
    }

    @Test
    void entityThatDiesWithoutRestartIsRemovedUnlessKeptOnDeath() {
        Ham.attach("gone", t.node, -1, "/bin/sleep 1000", 0).condition(CONDDEATH, "death", 0)
                .actionLog("bye", "gone died", 1, 1, 0);
        long pid = t.awaitPid("gone", 0);
        TestHam.kill(pid, "TERM");
        Await.until("entity removed", () -> t.ham().getEntityNames().length == 0);
        Await.until("its death still logged", () -> t.activityLine("gone died"));
        HamException stale = assertThrows(HamException.class, () -> Ham.entityHandle(t.node, "gone", 0));
        assertEquals(Errno.ENOENT, stale.errno());
    }

    @Test
    void restartPrunesConditionsAndActionsWithoutRearm() {
        EntityHandle e = Ham.attach("pruned", t.node, -1, "/bin/sleep 1000", 0);
        ConditionHandle death = e.condition(CONDDEATH, "death", HREARMAFTERRESTART);
        death.actionRestart("restart", "/bin/sleep 1000", HREARMAFTERRESTART);
        death.actionLog("once", "performed once then removed", 1, 1, 0);
        e.condition(CONDDEATH, "notrearmed", 0).actionLog("l", "x", 1, 1, HREARMAFTERRESTART);
        long pid = t.awaitPid("pruned", 0);

        TestHam.kill(pid, "KILL");

        t.awaitPid("pruned", pid);
        Await.until("pruning", () -> t.entity("pruned").getConditionNames().length == 1);
        assertArrayEquals(new String[] {"death"}, t.entity("pruned").getConditionNames());
        assertArrayEquals(new String[] {"restart"}, t.condition("pruned", "death").getActionNames());
        Await.until("the pruned action ran once", () -> t.activityLine("performed once then removed"));
    }

    @Test
    void placeholderIsFilledByAttachAndCondAttachFires() {
        EntityHandle ph = Ham.entity("later", t.node, 0);
        assertEquals("PLACEHOLDER", t.entity("later").getEntityType());
        ph.condition(CONDATTACH, "joined", 0).actionLog("hello", "later joined", 1, 1, 0);

        Ham.attach("later", t.node, -1, "/bin/sleep 1000", 0);

        t.awaitPid("later", 0);
        assertEquals("STARTED", t.entity("later").getEntityType());
        Await.until("CONDATTACH", () -> t.condition("later", "joined").getTriggerCount() == 1);
        Await.until("its log line", () -> t.activityLine("later joined"));
        HamException dup = assertThrows(HamException.class, () -> Ham.attach("later", t.node, -1, "/bin/sleep 1", 0));
        assertEquals(Errno.EEXIST, dup.errno());
    }

    @Test
    void detachFiresCondDetachOnTheGlobalEntityAndLeavesTheProcessRunning() {
        Ham.entityHandle(t.node, null, 0).condition(CONDDETACH, "anydetach", 0).actionLog("l", "someone left", 1, 1, 0);
        Ham.attach("leaver", t.node, -1, "/bin/sleep 1000", 0);
        long pid = t.awaitPid("leaver", 0);

        Ham.detachName(t.node, "leaver", 0);

        Await.until("global CONDDETACH", () -> t.condition(null, "anydetach").getTriggerCount() == 1);
        assertEquals(0, t.ham().getEntityNames().length);
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the detached process runs on");
        Await.until("log", () -> t.activityLine("someone left"));
    }

    @Test
    void executeActionRunsAQuotedCommandAndCondAnyMatchesEveryEvent() throws Exception {
        Path dir = Files.createDirectories(t.stateDir.resolve("dir with space"));
        Path made = dir.resolve("after death");
        EntityHandle e = Ham.attach("worker", t.node, -1, "/bin/sleep 1000", 0);
        ConditionHandle death = e.condition(CONDDEATH, "death", HREARMAFTERRESTART);
        death.actionRestart("restart", "/bin/sleep 1000", HREARMAFTERRESTART);
        // The guide's quoting: a quoted part is one argument, spaces and all; no shell is involved.
        death.actionExecute("mark", "/usr/bin/touch '" + made + "'", HREARMAFTERRESTART);
        e.condition(org.jham.HamConstants.CONDANY, "any", HREARMAFTERRESTART).actionLog("l", "anything", 0, 1,
                HREARMAFTERRESTART);
        long pid = t.awaitPid("worker", 0);

        TestHam.kill(pid, "KILL");

        Await.until("the execute action's file", () -> Files.exists(made));
        t.awaitPid("worker", pid);
        // CONDANY saw the death and then the restart.
        Await.until("CONDANY twice", () -> t.condition("worker", "any").getTriggerCount() == 2);
        // Notifications reach the client asynchronously: wait for them, as for any event.
        Await.until("CONDANY for CONDDEATH", () -> t.firedCount("worker/any", "CONDDEATH") == 1);
        Await.until("CONDANY for CONDRESTART", () -> t.firedCount("worker/any", "CONDRESTART") == 1);
    }

    @Test
    void failedExecuteIsRemovedAndBreakOnFailStopsTheList() {
        EntityHandle e = Ham.attach("brittle", t.node, -1, "/bin/sleep 1000", org.jham.HamConstants.HENTITYKEEPONDEATH);
        ConditionHandle death = e.condition(CONDDEATH, "death", org.jham.HamConstants.HCONDKEEPONEMPTY);
        death.actionExecute("missing", "/no/such/tool", org.jham.HamConstants.HACTIONBREAKONFAIL);
        death.actionLog("after", "never reached", 0, 1, 0);
        long pid = t.awaitPid("brittle", 0);

        TestHam.kill(pid, "KILL");

        Await.until("the failed action removed", () -> t.condition("brittle", "death").getNumActions() == 1);
        assertArrayEquals(new String[] {"after"}, t.condition("brittle", "death").getActionNames());
        assertFalse(t.activityLine("never reached"));
        assertTrue(t.activityContains("action failed: brittle/death/missing"));
    }

    @Test
    void failedRestartRemovesTheEntity() throws Exception {
        Path exe = Files.createTempFile(t.stateDir, "vanishing", ".sh");
        Files.writeString(exe, "#!/bin/sh\nexec /bin/sleep 1000\n");
        exe.toFile().setExecutable(true);
        EntityHandle e = Ham.attach("fragile", t.node, -1, exe.toString(), 0);
        e.condition(CONDDEATH, "death", HREARMAFTERRESTART).actionRestart("restart", exe.toString(), HREARMAFTERRESTART);
        long pid = t.awaitPid("fragile", 0);
        Files.delete(exe);

        TestHam.kill(pid, "KILL");

        Await.until("entity removed after the failed restart", () -> t.ham().getEntityNames().length == 0);
        assertTrue(t.activityContains("action failed: fragile/death/restart"));
    }
}
