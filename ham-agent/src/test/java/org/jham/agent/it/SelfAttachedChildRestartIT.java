package org.jham.agent.it;

import static org.jham.HamConstants.CONDDEATH;
import static org.jham.HamConstants.HREARMAFTERRESTART;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Set;
import java.util.stream.Collectors;
import org.jham.EntityHandle;
import org.jham.Ham;
import org.jham.agent.testing.Await;
import org.jham.agent.testing.Child;
import org.jham.agent.testing.TestHam;
import org.jham.mbean.EntityMXBean;
import org.junit.jupiter.api.Test;

/**
 * A JVM the HAM started (so its spawner is armed to restart it) attaches itself; each kill -9
 * brings back exactly one new instance. The dying JVM's connection closes as it dies, and that
 * must not count as a second death that runs the restart a second time.
 */
class SelfAttachedChildRestartIT {
    @Test
    void killedSelfAttachedChildIsRestartedOnceEachTimeWithItsExactStatus() throws Exception {
        // Unique, so the processes of this test can be told apart from any other on the machine.
        String ename = "selfchild" + System.nanoTime();
        try (TestHam t = new TestHam()) {
            try {
                String cp = Child.MODULE.resolve("target/ham-agent.jar") + ":" + Child.MODULE.resolve("target/test-classes");
                String line = Child.JAVA + " -cp " + cp + " org.jham.agent.testing.SelfAttacher " + t.node + " " + ename
                        + " 100 0 0 50 -1";
                EntityHandle e = Ham.attach(ename, t.node, -1, line, 0);
                e.condition(CONDDEATH, "death", HREARMAFTERRESTART).actionRestart("restart", line, HREARMAFTERRESTART);
                EntityMXBean m = t.entity(ename);
                long pid = t.awaitPid(ename, 0);
                for (int round = 1; round <= 4; round++) {
                    long running = pid;
                    Await.until("pid " + running + " attached itself and beats", () -> m.getEntityPid() == running
                            && "SELFATTACHED".equals(m.getEntityType()) && m.getHeartbeatCount() > 0);

                    TestHam.kill(running, "KILL");

                    pid = t.awaitPid(ename, running);
                    long next = pid;
                    Await.until("pid " + next + " attached itself", () -> m.getEntityPid() == next
                            && "SELFATTACHED".equals(m.getEntityType()));
                    assertEquals(round, m.getNumRestarts(), "round " + round);
                    assertEquals("signal 9 (SIGKILL)", m.getLastExit(), "round " + round);
                    assertEquals(Set.of(next), instances(ename), "round " + round + ": one instance runs");
                    assertEquals(round, t.firedCount(ename + "/death", "CONDDEATH"), "round " + round);
                }
                assertFalse(t.activityContains("runs unmonitored"), "no second instance was started");
            } finally {
                for (long p : instances(ename)) {
                    ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
    }

    private static Set<Long> instances(String marker) {
        return ProcessHandle.allProcesses()
                .filter(h -> h.isAlive() && h.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .map(ProcessHandle::pid).collect(Collectors.toSet());
    }
}
