package org.jham.agent.process;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.jham.agent.testing.Await;
import org.junit.jupiter.api.Test;

/** Liveness as the HAM judges it, on real processes. */
class ProcStatTest {
    @Test
    void liveProcessHasAStartTimeAndDeadOneHasNone() throws Exception {
        Process p = new ProcessBuilder("/bin/sleep", "60").start();
        try {
            OptionalLong st = ProcStat.liveStartTime(p.pid());
            assertTrue(st.isPresent());
            assertTrue(ProcStat.isSameLiveProcess(p.pid(), st.getAsLong()));
            assertFalse(ProcStat.isSameLiveProcess(p.pid(), st.getAsLong() + 1), "a reused pid has another start time");
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertFalse(ProcStat.liveStartTime(p.pid()).isPresent());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void zombieCountsAsDead() throws Exception {
        // A parent that never reaps its exited child keeps it a zombie (perl does not reap unless asked).
        Process sh = new ProcessBuilder("/usr/bin/perl", "-e",
                "$p = fork(); exit 0 unless $p; $| = 1; print \"$p\\n\"; sleep 60").start();
        try {
            long zombie = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(sh.getInputStream()))
                    .readLine().trim());
            Await.until("the unreaped child to be judged dead", () -> ProcStat.liveStartTime(zombie).isEmpty());
            assertTrue(ProcessHandle.of(zombie).map(ProcessHandle::isAlive).orElse(false),
                    "the JDK still calls the zombie alive, which is why the HAM reads /proc");
        } finally {
            sh.destroyForcibly();
            sh.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
