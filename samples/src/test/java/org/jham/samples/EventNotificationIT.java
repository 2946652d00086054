package org.jham.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jham.Ham;
import org.junit.jupiter.api.Test;

/**
 * The guide's regevent.c, ported, run the way the guide runs it: addinet.c ({@link SimpleRestart}
 * named inetd) and addnfs.c ({@link CompoundRestart}) set the entities up against a HAM started by
 * {@code bin/ham}; the client runs in a JVM of its own, prints a line per event, and quits when
 * inetd is detached. Then, as the guide's closing comment says, its actions left on Fs-nfs2 fail
 * at the next death and are removed.
 */
class EventNotificationIT {
    private static final String DEATH = "Inetd Death Pulse";
    private static final String RESTART_NOW = "Inetd Restart Pulse: Immediate";
    private static final String RESTART_LATER = "Inetd Restart Pulse: Delayed";
    private static final String NFS_PULSE = "Fs-nfs2 died: this is the possibly delayed pulse";
    private static final String NFS_SIGNAL = "FS-nfs2 died, this is the notify signal";
    private static final String QUIT = "Inetd detached, so quitting";

    @Test
    void clientGetsEachNotificationThenQuitsAndItsLeftoverActionsAreRemoved() throws Exception {
        try (LiveHam ham = new LiveHam()) {
            LiveHam.Result inetdSetup = LiveHam.runSample(SimpleRestart.class, "-node", ham.node,
                    "inetd", "/bin/sleep", "100000");
            assertEquals(0, inetdSetup.status(), inetdSetup.out());
            LiveHam.Result nfsSetup = LiveHam.runSample(CompoundRestart.class, "-node", ham.node, "-delay1", "800",
                    "-delay2", "800", "-trace", ham.stateDir.resolve("fs-nfs2.trace").toString());
            assertEquals(0, nfsSetup.status(), nfsSetup.out());
            long inetd = ham.awaitPid("inetd", 0);
            long nfs = ham.awaitPid("Fs-nfs2", 0);

            try (LiveHam.Live client = new LiveHam.Live(LiveHam.sampleCommand(EventNotification.class,
                    "-node", ham.node, "-delay", "1200"))) {
                ham.track(client.process.pid());
                // The first channel of this HAM: chids count from 1.
                assertEquals(0, client.awaitLine("EventNotification: pid " + client.process.pid() + ", channel 1 on "
                        + "service:jmx:jmxmp://" + ham.node
                        + ": receiving pulses (SIGWINCH for the signal, restart delay 1200 ms)"));

                LiveHam.kill9(inetd);
                inetd = ham.awaitPid("inetd", inetd);
                client.awaitLine(DEATH);
                int later = client.awaitLine(RESTART_LATER);
                int now = client.lines().indexOf(RESTART_NOW);
                assertTrue(now >= 0 && now < later, "immediate before delayed:\n" + client.output());

                LiveHam.kill9(nfs);
                nfs = ham.awaitPid("Fs-nfs2", nfs);
                int pulse = client.awaitLine(NFS_PULSE);
                List<String> out = client.lines();
                int signal = out.indexOf(NFS_SIGNAL);
                // DeathSep is independent: its signal is not held up by Death's Delay1 and Delay2.
                assertTrue(signal > 0 && signal < pulse, "the signal before the delayed pulse:\n" + client.output());
                assertEquals("Received signal 28, with code = 0, value 18", out.get(signal - 1));
                assertTrue(client.process.isAlive(), "SIGWINCH leaves the JVM alive");

                Ham.detachName(ham.node, "inetd", 0);
                client.awaitLine(QUIT);
                assertTrue(client.process.waitFor(30, TimeUnit.SECONDS), client.output());
                assertEquals(0, client.process.exitValue(), client.output());
                // Each of the guide's lines once, the quit last (the death and restart pulses come
                // from different lanes, so their relative order is not fixed).
                List<String> guide = client.lines().stream().filter(l -> !l.startsWith("EventNotification: ")
                        && !l.startsWith("Received signal")).toList();
                assertEquals(Stream.of(DEATH, RESTART_NOW, RESTART_LATER, NFS_SIGNAL, NFS_PULSE, QUIT).sorted().toList(),
                        guide.stream().sorted().toList(), client.output());
                assertEquals(QUIT, guide.get(guide.size() - 1));
                assertFalse(client.output().contains("Exception") || client.output().contains("SEVERE"),
                        client.output());
            }
            // Detached, inetd is no longer monitored but keeps running.
            assertEquals(List.of("Fs-nfs2"), List.of(ham.ham().getEntityNames()));
            assertTrue(ProcessHandle.of(inetd).map(ProcessHandle::isAlive).orElse(false));

            // The client is gone: the next death of Fs-nfs2 makes its actions fail, and the HAM
            // removes them (DeathSep goes with its only action).
            assertTrue(List.of(ham.entity("Fs-nfs2").getConditionNames()).contains("DeathSep"));
            LiveHam.kill9(nfs);
            ham.awaitPid("Fs-nfs2", nfs);
            Await.until("the client's actions on Fs-nfs2 to be removed", () ->
                    List.of(ham.entity("Fs-nfs2").getConditionNames()).equals(List.of("Death"))
                            && List.of(ham.condition("Fs-nfs2", "Death").getActionNames()).equals(
                                    List.of("Restart", "Delay1", "MountDir1", "Delay2", "Mountdir2")));
            assertTrue(ham.activityContains("action failed: Fs-nfs2/DeathSep/notifysignaldeath: ESRCH"));
            assertTrue(ham.activityContains("action failed: Fs-nfs2/Death/delayednfsdeathpulse: ENOENT"));
        }
    }
}
