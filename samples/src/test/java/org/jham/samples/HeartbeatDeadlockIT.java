package org.jham.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jham.mbean.EntityMXBean;
import org.junit.jupiter.api.Test;

/**
 * The guide's mutexdeadlock.c made to heartbeat, ported: run as a JVM of its own against a HAM
 * started by {@code bin/ham}, it beats until its two threads deadlock; the HAM warns (LOW), then
 * (HIGH) dumps its threads and kills it; the death restarts it, and the new instance attaches
 * itself, sets its recovery up again, beats, deadlocks and is recovered in turn.
 */
class HeartbeatDeadlockIT {
    private static final String ENTITY = HeartbeatDeadlock.ENTITY;

    @Test
    void deadlockedProcessIsDumpedKilledAndRestartedAndTheNewInstanceIsWatchedTheSameWay() throws Exception {
        // Every instance's command line names this log: after the HAM is gone, any instance left
        // (say, one restarted while the HAM was being stopped) is found by it and killed.
        Path log = Files.createTempDirectory("jham-deadlock").resolve("mutex-deadlock-heartbeat.log");
        try (LiveHam ham = new LiveHam(); Fired fired = new Fired(ham);
             LiveHam.Live first = new LiveHam.Live(LiveHam.sampleCommand(HeartbeatDeadlock.class,
                     "-f", log.toString(), "-l", "-node", ham.node, "-period", "200", "-low", "5", "-high", "15",
                     "-rounds", "30"))) {
            long pid = ham.track(first.process.pid());
            EntityMXBean e = ham.entity(ENTITY);
            awaitAttachedAndBeating(e, pid);
            assertEquals(List.of("death", "heartbeat-missed-high", "heartbeat-missed-low"),
                    List.of(e.getConditionNames()).stream().sorted().toList());
            assertEquals(List.of("terminate"), List.of(ham.condition(ENTITY, "heartbeat-missed-high").getActionNames()));

            // Deadlocked: the heartbeats stop; LOW warns, then HIGH dumps the threads and kills.
            fired.awaitLowThenHigh(ENTITY, pid);
            assertTrue(first.process.waitFor(60, TimeUnit.SECONDS), "the deadlocked JVM was killed");
            assertEquals(137, first.process.exitValue(), "killed by SIGKILL");
            assertTrue(ham.activityContains(ENTITY + "/heartbeat-missed-low/warn: pid " + pid + " missed 5 heartbeats"));
            assertDeadlockedAtTheEnd(log, pid);
            assertDumpShowsTheDeadlock(ham, pid);

            // The death restarts it; the new instance attaches itself and beats.
            long second = ham.awaitPid(ENTITY, pid);
            awaitAttachedAndBeating(e, second);
            assertEquals(1, e.getNumRestarts());
            assertEquals(1, fired.count(ENTITY, "CONDDEATH", pid));
            // Everything was set up again by the new instance (the restart pruned the old set).
            assertEquals(List.of("death", "heartbeat-missed-high", "heartbeat-missed-low"),
                    List.of(e.getConditionNames()).stream().sorted().toList());

            // It deadlocks too, and is recovered the same way.
            fired.awaitLowThenHigh(ENTITY, second);
            long third = ham.awaitPid(ENTITY, second);
            awaitAttachedAndBeating(e, third);
            assertEquals(2, e.getNumRestarts());
            assertDeadlockedAtTheEnd(log, second);
            assertDumpShowsTheDeadlock(ham, second);
            assertEquals(List.of(third), Instances.of(log.toString()), "one instance runs at a time");
        } finally {
            Instances.kill(log.toString());
        }
    }

    /** kill PID (SIGTERM, as Ctrl-C would): it detaches itself, and the HAM lets it go. */
    @Test
    void stoppedOnPurposeItDetachesItselfAndIsNotRestarted() throws Exception {
        Path log = Files.createTempDirectory("jham-deadlock").resolve("mutex-deadlock-heartbeat.log");
        try (LiveHam ham = new LiveHam(); Fired fired = new Fired(ham);
             LiveHam.Live sample = new LiveHam.Live(LiveHam.sampleCommand(HeartbeatDeadlock.class,
                     "-f", log.toString(), "-l", "-node", ham.node, "-period", "200", "-high", "15", "-rounds", "1000"))) {
            long pid = ham.track(sample.process.pid());
            awaitAttachedAndBeating(ham.entity(ENTITY), pid);

            sample.process.destroy();

            assertTrue(sample.process.waitFor(60, TimeUnit.SECONDS));
            assertEquals(143, sample.process.exitValue(), "ended by SIGTERM");
            Await.until("the entity gone", () -> !List.of(ham.ham().getEntityNames()).contains(ENTITY));
            assertTrue(read(log).contains(ENTITY + ": pid " + pid + " stopped, detached itself"),
                    String.join("\n", read(log)));
            assertTrue(ham.activityContains("entity '" + ENTITY + "' removed: detached itself"));
            assertEquals(0, fired.count(ENTITY, "CONDDEATH", pid), "no death, so nothing restarted");
            assertEquals(List.of(), Instances.of(log.toString()));
        } finally {
            Instances.kill(log.toString());
        }
    }

    private static void awaitAttachedAndBeating(EntityMXBean e, long pid) {
        Await.until("pid " + pid + " attached itself and beating", () -> e.getEntityPid() == pid
                && "SELFATTACHED".equals(e.getEntityType()) && e.getHeartbeatCount() >= 5
                && "OK".equals(e.getHeartbeatState()));
    }

    /** The guide's tail of the threads' log: each thread holds one lock and waits for the other. */
    private static void assertDeadlockedAtTheEnd(Path log, long pid) {
        List<String> lines = instanceLines(log, pid);
        String t1 = "";
        String t2 = "";
        for (String l : lines) {
            if (l.startsWith("Thread 1: ")) {
                t1 = l;
            } else if (l.startsWith("\tThread 2: ")) {
                t2 = l;
            }
        }
        assertEquals("Thread 1: Waiting for lock b", t1, String.join("\n", lines));
        assertEquals("\tThread 2: Waiting for lock a", t2, String.join("\n", lines));
        assertTrue(lines.contains("Thread 1: Performing computation")
                && lines.contains("\tThread 2: Performing computation"), "both threads worked before they deadlocked");
    }

    /** The lines the instance {@code pid} wrote: from its own first line to the next instance's. */
    private static List<String> instanceLines(Path log, long pid) {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String l : read(log)) {
            if (l.startsWith(ENTITY + ": pid ") && l.endsWith(" starting")) {
                in = l.equals(ENTITY + ": pid " + pid + " starting");
            }
            if (in) {
                out.add(l);
            }
        }
        assertTrue(!out.isEmpty(), "no lines of pid " + pid + " in " + log);
        return out;
    }

    /** The HIGH action's thread dump (jcmd's output in the HAM's exec log) names the deadlock. */
    private static void assertDumpShowsTheDeadlock(LiveHam ham, long pid) {
        Path exec = ham.stateDir.resolve("output/" + ENTITY + ".exec.log");
        String dump = Await.value("the thread dump of pid " + pid + " in " + exec, () -> {
            String all = String.join("\n", read(exec));
            int at = all.indexOf(pid + ":\n");
            int deadlock = at < 0 ? -1 : all.indexOf("Found one Java-level deadlock", at);
            return deadlock < 0 ? null : all.substring(deadlock);
        });
        assertTrue(dump.contains("\"Thread 1\":\n  waiting for ownable synchronizer")
                && dump.contains("which is held by \"Thread 2\""), dump);
    }

    static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
