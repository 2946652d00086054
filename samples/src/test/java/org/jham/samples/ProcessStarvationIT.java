package org.jham.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jham.mbean.EntityMXBean;
import org.junit.jupiter.api.Test;

/**
 * The guide's mutexstarvation.c with thread 2 made to heartbeat, ported: run as a JVM of its own
 * against a HAM started by {@code bin/ham}, the worker beats until the compute thread starts and
 * starves it; the HAM warns (LOW), then (HIGH) pulses the process to make the compute thread back
 * off and resets the heartbeat state (heartbeat_healthy); the worker beats again, and when the
 * compute thread comes back, the HAM sees the new starvation too.
 */
class ProcessStarvationIT {
    private static final String ENTITY = ProcessStarvation.ENTITY;
    private static final String BACKOFF = "Pulse from " + ENTITY + "/heartbeat-missed-high/backoff: Thread 2 starves,"
            + " telling Thread 1 to back off";

    @Test
    void starvedWorkerIsSeenTheComputeThreadBacksOffAndMonitoringResumes() throws Exception {
        Path log = Files.createTempDirectory("jham-starvation").resolve("mutex-starvation-heartbeat.log");
        try (LiveHam ham = new LiveHam(); Fired fired = new Fired(ham);
             LiveHam.Live sample = new LiveHam.Live(LiveHam.sampleCommand(ProcessStarvation.class,
                     "-f", log.toString(), "-l", "-node", ham.node, "-period", "250", "-low", "4", "-high", "8",
                     "-start", "4000", "-backoff", "3000"))) {
            long pid = ham.track(sample.process.pid());
            EntityMXBean e = ham.entity(ENTITY);
            // The worker alone: heartbeats flow.
            Await.until("attached and beating", () -> e.getEntityPid() == pid && "SELFATTACHED".equals(e.getEntityType())
                    && e.getHeartbeatCount() >= 5 && "OK".equals(e.getHeartbeatState()));
            assertEquals(List.of("backoff", "healthy"),
                    List.of(ham.condition(ENTITY, "heartbeat-missed-high").getActionNames()));

            // The compute thread starves it: LOW warns, HIGH asks for the back-off and resets the state.
            fired.awaitLowThenHigh(ENTITY, pid);
            assertTrue(ham.activityContains(ENTITY + "/heartbeat-missed-low/warn: pid " + pid
                    + " missed 4 heartbeats of 250 ms: the worker starves"));
            int backoff = awaitLine(log, BACKOFF, 0);
            int backedOff = awaitLine(log, "Thread 1: Unlocking lock a, backing off for 3000 ms", backoff);
            List<String> before = HeartbeatDeadlockIT.read(log).subList(0, backoff);
            assertTrue(before.contains("Thread 1: Locking lock a"), "the compute thread ran before the back-off");

            // Recovered: the worker has the lock and beats again, and the HAM judges it healthy.
            awaitLine(log, "\tThread 2: Locking lock a", backedOff);
            long beats = e.getHeartbeatCount();
            Await.until("heartbeats again, state OK", () -> e.getHeartbeatCount() >= beats + 5
                    && "OK".equals(e.getHeartbeatState()));

            // Monitoring resumed: when the compute thread is back, the new starvation fires LOW and HIGH again.
            int back = awaitLine(log, "Thread 1: back, competing for lock a again", backedOff);
            assertEquals(List.of("CONDHBEATMISSEDLOW", "CONDHBEATMISSEDHIGH", "CONDHBEATMISSEDLOW",
                    "CONDHBEATMISSEDHIGH"), fired.awaitMissed(ENTITY, pid, 4).subList(0, 4));
            awaitLine(log, BACKOFF, back);
            assertTrue(sample.process.isAlive(), "recovered, never killed");
            assertEquals(0, fired.count(ENTITY, "CONDDEATH", pid));
        } finally {
            Instances.kill(log.toString());
        }
    }

    /** The index of the first line equal to {@code line} at or after {@code from}, once it is there. */
    private static int awaitLine(Path log, String line, int from) {
        return Await.value("\"" + line + "\" in " + log + " after line " + from, () -> {
            List<String> lines = HeartbeatDeadlockIT.read(log);
            for (int i = from; i < lines.size(); i++) {
                if (lines.get(i).equals(line)) {
                    return i;
                }
            }
            return null;
        });
    }
}
