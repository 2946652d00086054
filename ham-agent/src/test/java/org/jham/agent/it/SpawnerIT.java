package org.jham.agent.it;

import static org.jham.HamConstants.CONDABNORMALDEATH;
import static org.jham.HamConstants.CONDDEATH;
import static org.jham.HamConstants.HENTITYKEEPONDEATH;
import static org.jham.HamConstants.HREARMAFTERRESTART;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jham.ConditionHandle;
import org.jham.EntityHandle;
import org.jham.Ham;
import org.jham.agent.testing.Await;
import org.jham.agent.testing.TestHam;
import org.junit.jupiter.api.Test;

/** How the HAM starts processes and hears of their ends: native spawner, its loss, the JDK fallback. */
class SpawnerIT {

    /** The spawner of the newest HAM in this JVM: the latest-started ham-spawner child. */
    private static ProcessHandle newestSpawner() {
        return ProcessHandle.current().children()
                .filter(p -> p.info().command().orElse("").endsWith("ham-spawner"))
                .max((x, y) -> x.info().startInstant().orElseThrow().compareTo(y.info().startInstant().orElseThrow()))
                .orElseThrow(() -> new AssertionError("no ham-spawner child: was it built (gcc)?"));
    }

    @Test
    void nativeSpawnerTellsAnExitCodeFromADeathBySignal() throws Exception {
        try (TestHam t = new TestHam()) {
            assertTrue(t.activityContains("spawning with native ham-spawner"), "the native spawner is in use");
            // It ends at once: subscribe on a placeholder first, then let the attach fill it.
            EntityHandle e = Ham.entity("exits139", t.node, HENTITYKEEPONDEATH);
            e.condition(CONDABNORMALDEATH, "abnormal", 0);
            e.condition(CONDDEATH, "death", 0);
            Ham.attach("exits139", t.node, -1, "/bin/sh -c 'exit 139'", 0);
            Await.until("its death", () -> t.condition("exits139", "death").getTriggerCount() == 1);
            assertEquals("exit 139", t.entity("exits139").getLastExit());
            assertEquals(0, t.condition("exits139", "abnormal").getTriggerCount(), "exit(139) is no SIGSEGV");
        }
    }

    @Test
    void aRestartBehindAnotherActionIsRunByTheHamAfterIt() throws Exception {
        try (TestHam t = new TestHam()) {
            EntityHandle e = Ham.attach("ordered", t.node, -1, "/bin/sleep 1000", 0);
            ConditionHandle death = e.condition(CONDDEATH, "death", HREARMAFTERRESTART);
            death.actionLog("first", "logged before the restart", 0, 1, HREARMAFTERRESTART);
            death.actionRestart("restart", "/bin/sleep 1000", HREARMAFTERRESTART);
            long pid = t.awaitPid("ordered", 0);

            TestHam.kill(pid, "KILL");

            t.awaitPid("ordered", pid);
            Await.until("the log action", () -> t.activityLine("logged before the restart"));
            List<String> lines = List.of(t.ham().getRecentActivity());
            int logged = indexOf(lines, "logged before the restart");
            int restarted = indexOf(lines, "restarted: entity 'ordered'");
            assertTrue(logged >= 0 && restarted > logged, "the list ran in order: " + lines);
        }
    }

    @Test
    void anEntityStartedButNotYetSavedDiesWithTheHamItsConfirmedAndOtherChildrenLiveOn() throws Exception {
        java.nio.file.Path out = java.nio.file.Files.createTempDirectory("jham-held");
        org.jham.agent.process.ProcessWatcher watcher = new org.jham.agent.process.ProcessWatcher(20, t -> { });
        org.jham.agent.process.ProcessLauncher launcher = new org.jham.agent.process.ProcessLauncher(out, watcher);
        long held = 0;
        long saved = 0;
        long plain = 0;
        try {
            assertTrue(launcher.describe().contains("native"), launcher.describe());
            held = launcher.startEntity(List.of("/bin/sleep", "1003"), "held").pid();
            org.jham.agent.process.Child c = launcher.startEntity(List.of("/bin/sleep", "1004"), "saved");
            saved = c.pid();
            c.saved();
            plain = launcher.start(List.of("/bin/sleep", "1005"), "plain").pid();

            launcher.close(); // as the HAM's death closes the spawner's stdin

            long h = held;
            Await.until("the unconfirmed instance killed", () -> !org.jham.agent.testing.GuardedHam.alive(h));
            long sv = saved;
            long pl = plain;
            assertTrue(org.jham.agent.testing.GuardedHam.alive(sv), "a saved instance outlives the HAM");
            assertTrue(org.jham.agent.testing.GuardedHam.alive(pl), "an execute's process outlives the HAM");
        } finally {
            for (long p : new long[] {held, saved, plain}) {
                if (p > 0) {
                    ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            watcher.close();
        }
    }

    @Test
    void aDetachedProcessIsNotRestartedByTheSpawner() throws Exception {
        try (TestHam t = new TestHam()) {
            Ham.attach("leaving", t.node, -1, "/bin/sleep 1002", 0).condition(CONDDEATH, "death", HREARMAFTERRESTART)
                    .actionRestart("restart", "/bin/sleep 1002", HREARMAFTERRESTART);
            long pid = t.awaitPid("leaving", 0);
            Ham.detachName(t.node, "leaving", 0);

            TestHam.kill(pid, "KILL");

            // The spawner restarts an armed child in the same step as it reaps it: once the pid is
            // gone from /proc, a replacement would already exist.
            Await.until("the killed process reaped", () -> ProcessHandle.of(pid).isEmpty());
            assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("")
                    .equals("/bin/sleep 1002")), "nothing restarted the detached process");
        }
    }

    @Test
    void afterStopAMonitoredProcessThatDiesIsNotRestarted() throws Exception {
        try (TestHam t = new TestHam()) {
            Ham.attach("kept", t.node, -1, "/bin/sleep 1003", 0).condition(CONDDEATH, "death", HREARMAFTERRESTART)
                    .actionRestart("restart", "/bin/sleep 1003", HREARMAFTERRESTART);
            long pid = t.awaitPid("kept", 0);
            t.server.stop(false);
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "it outlives the HAM");

            TestHam.kill(pid, "KILL");

            Await.until("the killed process gone or a zombie", () -> org.jham.agent.process.ProcStat.liveStartTime(pid).isEmpty());
            assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("")
                    .equals("/bin/sleep 1003")), "a stopped HAM restarted nothing");
        }
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void theJdkSpawnerIsTheFallbackAndStillRestarts() throws Exception {
        System.setProperty("jham.spawner", "jdk");
        try (TestHam t = new TestHam()) {
            assertTrue(t.activityContains("spawning with JDK ProcessBuilder"));
            Ham.attach("viajdk", t.node, -1, "/bin/sleep 1000", 0).condition(CONDDEATH, "death", HREARMAFTERRESTART)
                    .actionRestart("restart", "/bin/sleep 1000", HREARMAFTERRESTART);
            long pid = t.awaitPid("viajdk", 0);
            TestHam.kill(pid, "SEGV");
            t.awaitPid("viajdk", pid);
            assertEquals("signal 11 (SIGSEGV) abnormal", t.entity("viajdk").getLastExit());
        } finally {
            System.clearProperty("jham.spawner");
        }
    }

    @Test
    void childrenOfAKilledSpawnerAreStillWatchedAndRestarted() throws Exception {
        try (TestHam t = new TestHam()) {
            Ham.attach("orphan", t.node, -1, "/bin/sleep 1000", 0).condition(CONDDEATH, "death", HREARMAFTERRESTART)
                    .actionRestart("restart", "/bin/sleep 1000", HREARMAFTERRESTART);
            long pid = t.awaitPid("orphan", 0);
            ProcessHandle newest = newestSpawner();
            TestHam.kill(newest.pid(), "KILL");
            Await.until("the spawner gone", () -> !newest.isAlive());

            TestHam.kill(pid, "KILL");

            long next = t.awaitPid("orphan", pid);
            Await.until("Num Restarts 1", () -> t.entity("orphan").getNumRestarts() == 1);
            assertTrue(ProcessHandle.of(next).map(ProcessHandle::isAlive).orElse(false));
        }
    }
}
