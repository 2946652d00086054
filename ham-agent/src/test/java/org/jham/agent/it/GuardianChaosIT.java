package org.jham.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.jham.agent.testing.Await;
import org.jham.agent.testing.Chaos;
import org.jham.agent.testing.Child;
import org.jham.agent.testing.GuardedHam;
import org.junit.jupiter.api.Test;

/**
 * Chaos, small N: {@code bin/ham}'s HAM is killed with SIGKILL round after round while two client
 * threads keep changing the tree through the client library (which reconnects by itself) and the
 * HAM's supervised processes die around the HAM's death: before it, in the gap while no HAM
 * runs, right after it. Afterwards every change a client saw acknowledged is in the tree and
 * nothing it never asked for is, every death was restarted exactly once, no service runs twice,
 * and Ham Failures counts the kills. {@code bench/takeover/run.sh --chaos N} runs it with large N.
 */
class GuardianChaosIT {
    /**
     * The race the chaos run found, made certain: the spawner restarts a service (an armed
     * restart) while the HAM is stopped, so the HAM dies without having saved the new instance;
     * the Guardian, knowing only the saved state, restarts the service itself, and the spawner's
     * instance must not be left running beside it.
     */
    @Test
    void anInstanceTheDeadHamNeverSavedDoesNotRunBesideTheGuardiansRestart() throws Exception {
        Chaos.Services svc = new Chaos.Services(1, new Random());
        String name = svc.name(0);
        GuardedHam ham = new GuardedHam();
        try {
            ok(ham, "start", name, svc.line(0));
            ok(ham, "condition", name, "CONDDEATH", "death", "HREARMAFTERRESTART");
            ok(ham, "restart", name + "/death", "again", svc.line(0), "HREARMAFTERRESTART");
            long first = ham.awaitPid(name, 0);
            long guardian = ham.awaitGuardian(0);
            long hamPid = ham.hamPid();

            // The HAM cannot take note of the restart; its spawner makes it anyway.
            assertEquals(0, Child.run("/bin/kill", "-STOP", Long.toString(hamPid)).status());
            GuardedHam.kill9(first);
            long unsaved = Await.value("the spawner's restart of " + name, () -> {
                List<Long> now = svc.running().getOrDefault(name, List.of());
                return now.size() == 1 && now.get(0) != first ? now.get(0) : null;
            });
            GuardedHam.kill9(hamPid);
            GuardedHam.awaitGone(hamPid);

            Await.until("the Guardian to answer as the HAM", () -> ham.hamPid() == guardian);
            long restarted = ham.awaitPid(name, first);
            Await.until(name + " running once, as pid " + restarted + " (not also as " + unsaved + ")",
                    () -> svc.running().getOrDefault(name, List.of()).equals(List.of(restarted)));
            assertEquals(1, ham.numberField(name, "Num Restarts"));
        } finally {
            ham.close();
            svc.killAll();
        }
    }

    private static void ok(GuardedHam ham, String... args) {
        Child.Result r = ham.hamctrl(args);
        assertEquals(0, r.status(), String.join(" ", args) + ": " + r.out());
    }

    /** One round of each kind (see {@link Chaos.Round}). */
    private static final int HAM_KILLS = 4;

    @Test
    void acknowledgedChangesSurviveRepeatedKill9OfTheHamAndEveryDeathIsRestartedOnce() throws Exception {
        long seed = System.nanoTime();
        // Closes the HAM and its Guardian, then kills the services.
        Chaos.Result r = Chaos.run(new GuardedHam(), HAM_KILLS, 3, 2, 50, new Random(seed), System.out);
        System.out.println("GuardianChaosIT seed " + seed + ": " + r.counts() + ", reconnects " + r.reconnects()
                + ", services " + r.services());

        assertEquals(HAM_KILLS, r.hamFailures(), "Ham Failures");
        assertEquals(HAM_KILLS, r.hamctrlHamFailures(), "hamctrl cat .info: Ham Failures");
        for (Chaos.Service s : r.services()) {
            assertEquals(s.kills(), s.numRestarts(), s.name() + ": one restart per kill (seed " + seed + ")");
            assertEquals(List.of(s.pid()), s.instances(), s.name() + ": exactly one instance runs, the HAM's");
        }
        assertTrue(r.problems().isEmpty(), "lost or invented changes (seed " + seed + "):\n"
                + String.join("\n", r.problems()));
        assertTrue(r.counts().getOrDefault("acknowledged", 0) >= HAM_KILLS * 30, "the clients made progress");
        assertTrue(r.reconnects() >= HAM_KILLS, "the client library reconnected after each kill");
        assertTrue(Chaos.judge(r).isEmpty(), String.join("\n", Chaos.judge(r)));
    }
}
