package org.jham.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.jham.agent.testing.Await;
import org.jham.agent.testing.Child;
import org.jham.agent.testing.TestHam;
import org.jham.mbean.EntityMXBean;
import org.junit.jupiter.api.Test;

/** A child JVM attaches itself, beats, falls silent: LOW then HIGH; kill -9: CONDDEATH. */
class SelfAttachSmokeIT {
    @Test
    void silentSelfAttachedJvmFiresLowThenHighThenDies() throws Exception {
        try (TestHam t = new TestHam()) {
            String cp = Child.MODULE.resolve("target/ham-agent.jar") + ":" + Child.MODULE.resolve("target/test-classes");
            // Marks of 2 s and 3 s: a cold child JVM's first beat, or a stall of this machine, may
            // come 200 ms after the attach; only the silence at the end may reach them.
            try (Child.Live c = new Child.Live(List.of(Child.JAVA, "-cp", cp, "org.jham.agent.testing.SelfAttacher",
                    t.node, "jvm1", "100", "20", "30", "30", "60"))) {
                long pid = t.track(c.process.pid());
                c.await("^attached \\d+$");
                EntityMXBean e = t.entity("jvm1");
                assertEquals("SELFATTACHED", e.getEntityType());
                e.condition("CONDHBEATMISSEDLOW", "low", "");
                e.condition("CONDHBEATMISSEDHIGH", "high", "");
                e.condition("CONDDEATH", "death", "");
                Await.until("heartbeats counted", () -> e.getHeartbeatCount() >= 5);
                assertEquals("OK", e.getHeartbeatState());
                c.await("^beats done$");
                Await.until("MISSEDHIGH", () -> "MISSEDHIGH".equals(e.getHeartbeatState()));
                Await.until("LOW and HIGH fired once", () -> t.firedCount("jvm1/low", "CONDHBEATMISSEDLOW") == 1
                        && t.firedCount("jvm1/high", "CONDHBEATMISSEDHIGH") == 1);
                TestHam.kill(pid, "KILL");
                Await.until("death", () -> t.firedCount("jvm1/death", "CONDDEATH") == 1);
            }
        }
    }
}
