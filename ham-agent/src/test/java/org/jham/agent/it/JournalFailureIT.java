package org.jham.agent.it;

import static org.jham.HamConstants.CONDDEATH;
import static org.jham.HamConstants.HREARMAFTERRESTART;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jham.EntityHandle;
import org.jham.Errno;
import org.jham.Ham;
import org.jham.HamException;
import org.jham.agent.engine.Image;
import org.jham.agent.engine.StateLog;
import org.jham.agent.testing.Await;
import org.jham.agent.testing.TestHam;
import org.junit.jupiter.api.Test;

/**
 * A journal that cannot be written (a full or broken disk): a caller's change is answered with
 * EIO (it could not be made durable), but recovery the HAM runs by itself goes on, reported.
 */
class JournalFailureIT {
    /** A state log whose every write fails, as on a full disk. */
    private static final StateLog BROKEN = new StateLog() {
        public void entity(Image.Entity image) {
            throw new java.io.UncheckedIOException(new java.io.IOException("No space left on device"));
        }

        public void entityRemoved(String ename) {
            entity(null);
        }

        public void ham(Image.Ham image) {
            entity(null);
        }
    };

    @Test
    void aCallerGetsEioButARestartStillHappens() throws Exception {
        try (TestHam t = new TestHam()) {
            EntityHandle e = Ham.attach("svc", t.node, -1, "/bin/sleep 1000", 0);
            // A log action first: the HAM runs this restart itself (the spawner is not armed).
            org.jham.ConditionHandle death = e.condition(CONDDEATH, "death", HREARMAFTERRESTART);
            death.actionLog("first", "svc died", 0, 1, HREARMAFTERRESTART);
            death.actionRestart("restart", "/bin/sleep 1000", HREARMAFTERRESTART);
            long pid = t.awaitPid("svc", 0);

            t.server.engine().setStateLog(BROKEN);
            HamException refused = assertThrows(HamException.class, () -> e.condition(CONDDEATH, "more", 0));
            assertEquals(Errno.EIO, refused.errno(), refused.getMessage());

            TestHam.kill(pid, "KILL");
            long next = t.awaitPid("svc", pid);
            Await.until("the failed save reported", () -> t.activityContains("STATE NOT SAVED for entity 'svc'"));
            assertEquals(1, t.entity("svc").getNumRestarts());
            t.track(next);
        }
    }
}
