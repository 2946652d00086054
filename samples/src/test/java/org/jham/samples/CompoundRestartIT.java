package org.jham.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jham.mbean.EntityMXBean;
import org.junit.jupiter.api.Test;

/**
 * The guide's addnfs.c, ported: against a HAM started by {@code bin/ham}, the sample sets up
 * Fs-nfs2; both mounts run once at once (HACTIONDONOW); each {@code kill -9} restarts it and,
 * after the waits, runs the mounts again in order.
 */
class CompoundRestartIT {
    private static final int DELAY1 = 700;
    private static final int DELAY2 = 900;
    private static final List<String> ACTIONS = List.of("Restart", "Delay1", "MountDir1", "Delay2", "Mountdir2");

    /** A line of the trace: {@code fs-nfs2 started PID at MS} or {@code mounted dirN at MS}. */
    record Line(String what, long pid, long ms) {
        static final Pattern FORM = Pattern.compile("(fs-nfs2 started (\\d+)|mounted dir[12]) at (\\d+)");

        static Line parse(String s) {
            Matcher m = FORM.matcher(s);
            if (!m.matches()) {
                throw new AssertionError("unexpected trace line: " + s);
            }
            return m.group(2) != null ? new Line("started", Long.parseLong(m.group(2)), Long.parseLong(m.group(3)))
                    : new Line(m.group(1), 0, Long.parseLong(m.group(3)));
        }
    }

    static List<Line> read(Path trace) {
        try {
            List<Line> out = new ArrayList<>();
            for (String s : Files.readAllLines(trace)) {
                out.add(Line.parse(s));
            }
            return out;
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The trace once it has {@code n} lines (a mount's line is written by a process of its own). */
    static List<Line> await(Path trace, int n) {
        return Await.value(n + " lines in " + trace, () -> {
            List<Line> l = read(trace);
            return l.size() >= n ? l : null;
        });
    }

    /** The entity's {@code Restarted} stamp (the HAM's local time, ns) in ms since the epoch, rounded down. */
    static long restartedMillis(EntityMXBean e) {
        String s = e.getRestarted();
        LocalDateTime t = LocalDateTime.parse(s.substring(0, s.lastIndexOf(':')),
                DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss"));
        long nanos = Long.parseLong(s.substring(s.lastIndexOf(':') + 1));
        return t.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli() + nanos / 1_000_000;
    }

    @Test
    void mountsRunAtOnceThenAfterEachRestartInOrderAndAfterTheDelays() throws Exception {
        try (LiveHam ham = new LiveHam()) {
            Path trace = ham.stateDir.resolve("fs-nfs2.trace");
            LiveHam.Result setup = LiveHam.runSample(CompoundRestart.class, "-node", ham.node,
                    "-delay1", Integer.toString(DELAY1), "-delay2", Integer.toString(DELAY2), "-trace", trace.toString());
            assertEquals(0, setup.status(), setup.out());
            long pid = ham.awaitPid(CompoundRestart.ENTITY, 0);
            assertTrue(setup.out().contains("entity Fs-nfs2 pid " + pid + ": /bin/sh -c"), setup.out());
            assertTrue(setup.out().contains("Delay1     waitfor " + DELAY1 + " ms")
                    && setup.out().contains("Delay2     waitfor " + DELAY2 + " ms"), setup.out());
            assertEquals(ACTIONS, List.of(ham.condition("Fs-nfs2", "Death").getActionNames()));

            // HACTIONDONOW: each mount ran once when it was added (the two may finish in either order).
            List<Line> lines = await(trace, 3);
            assertEquals(3, lines.size(), lines.toString());
            assertEquals(new Line("started", pid, lines.get(0).ms()), lines.get(0));
            assertEquals(List.of("mounted dir1", "mounted dir2"),
                    lines.subList(1, 3).stream().map(Line::what).sorted().toList());

            for (int round = 1; round <= 2; round++) {
                pid = killAndSeeTheMountsAgain(ham, trace, pid, round, DELAY1, DELAY2);
            }
        }
    }

    /** The jmxterm script sets up the same: run with its own trace file, it behaves the same. */
    @Test
    void jmxtermScriptSetsUpTheSame() throws Exception {
        try (LiveHam ham = new LiveHam()) {
            Path trace = ham.stateDir.resolve("fs-nfs2.trace");
            Path script = ham.stateDir.resolve("compound-restart.jmx");
            Files.writeString(script, Files.readString(LiveHam.MODULE.resolve("jmxterm/compound-restart.jmx"))
                    .replace("/tmp/jham-fs-nfs2.trace", trace.toString()));
            LiveHam.Result r = LiveHam.run(List.of("bash", LiveHam.MODULE.resolve("jmxterm/run.sh").toString(),
                    script.toString(), ham.node));
            assertEquals(0, r.status(), r.out());
            long pid = ham.awaitPid(CompoundRestart.ENTITY, 0);
            assertTrue(r.out().contains("EntityPid = " + pid), r.out());
            assertTrue(r.out().contains("ActionNames = [ Restart, Delay1, MountDir1, Delay2, Mountdir2 ]"), r.out());
            assertEquals(3, await(trace, 3).size());

            killAndSeeTheMountsAgain(ham, trace, pid, 1, 2000, 2000);
        }
    }

    /**
     * Kills the entity and checks what follows: restarted (a new pid), then MountDir1 no sooner
     * than {@code delay1} after the restart, then Mountdir2 no sooner than {@code delay2} more,
     * with nothing pruned. Returns the new pid.
     */
    private static long killAndSeeTheMountsAgain(LiveHam ham, Path trace, long pid, int round, int delay1,
                                                 int delay2) {
        EntityMXBean e = ham.entity(CompoundRestart.ENTITY);
        int seen = read(trace).size();
        LiveHam.kill9(pid);
        long next = ham.awaitPid(CompoundRestart.ENTITY, pid);
        List<Line> lines = await(trace, seen + 3);
        List<Line> after = lines.subList(seen, lines.size());
        assertEquals(3, after.size(), "round " + round + ": " + after);
        // Restart first, then MountDir1 after Delay1, then Mountdir2 after Delay2.
        assertEquals(new Line("started", next, after.get(0).ms()), after.get(0), "round " + round);
        assertEquals("mounted dir1", after.get(1).what(), "round " + round + ": " + after);
        assertEquals("mounted dir2", after.get(2).what(), "round " + round + ": " + after);
        long restarted = restartedMillis(e);
        assertTrue(after.get(1).ms() >= restarted + delay1,
                "round " + round + ": dir1 at " + after.get(1).ms() + ", restarted at " + restarted);
        assertTrue(after.get(2).ms() >= restarted + delay1 + delay2,
                "round " + round + ": dir2 at " + after.get(2).ms() + ", restarted at " + restarted);
        assertEquals(round, e.getNumRestarts());
        // Everything was HREARMAFTERRESTART: nothing was pruned by the restart.
        assertEquals(ACTIONS, List.of(ham.condition("Fs-nfs2", "Death").getActionNames()), "round " + round);
        return next;
    }
}
