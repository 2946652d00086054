package org.jham.agent.it;

import static org.jham.HamConstants.CONDATTACH;
import static org.jham.HamConstants.CONDDEATH;
import static org.jham.HamConstants.CONDDETACH;
import static org.jham.HamConstants.CONDHBEATMISSEDHIGH;
import static org.jham.HamConstants.CONDHBEATMISSEDLOW;
import static org.jham.HamConstants.HAMHBEATMIN;
import static org.jham.HamConstants.HENTITYKEEPONDEATH;
import static org.jham.agent.it.Notified.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import javax.management.Notification;
import javax.management.openmbean.CompositeData;
import org.jham.ConditionHandle;
import org.jham.EntityHandle;
import org.jham.Errno;
import org.jham.Ham;
import org.jham.HamConnection;
import org.jham.HamException;
import org.jham.agent.testing.Await;
import org.jham.agent.testing.Child;
import org.jham.agent.testing.TestHam;
import org.jham.mbean.EntityMXBean;
import org.jham.mbean.HamMXBean;
import org.jham.mbean.ObjectNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Self-attached entities and heartbeats: child JVMs ({@code SelfAttacher --stdin}) attach
 * themselves to a real HAM over JMXMP, beat, fall silent, detach, drop their connection or die;
 * the test JVM attaches itself too where the library's own bookkeeping is the point. Counts of
 * missed boundaries are read from the HAM (MissedHeartbeats, the notifications' detail), never
 * from the wall clock.
 */
class SelfAttachIT {
    private static final long MS = 1_000_000L;
    private static final String CP = Child.MODULE.resolve("target/ham-agent.jar") + ":"
            + Child.MODULE.resolve("target/test-classes");
    private static final String STAMP = "\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d:\\d{9}";
    private static final String LOW = "CONDHBEATMISSEDLOW";
    private static final String HIGH = "CONDHBEATMISSEDHIGH";

    private TestHam t;
    private final List<Attacher> children = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        t = new TestHam();
    }

    @AfterEach
    void stop() throws InterruptedException {
        try {
            for (Attacher c : children) {
                c.live.close();
            }
        } finally {
            t.close();
        }
    }

    /** A SelfAttacher child in --stdin mode: one command, one answer. */
    private final class Attacher {
        final Child.Live live;
        final long pid;
        private final Writer in;
        private int sent;

        Attacher() throws IOException {
            live = new Child.Live(List.of(Child.JAVA, "-cp", CP, "org.jham.agent.testing.SelfAttacher", "--stdin", t.node));
            children.add(this);
            pid = t.track(live.process.pid());
            in = new OutputStreamWriter(live.process.getOutputStream(), StandardCharsets.UTF_8);
        }

        /** Sends a command and returns its answer. */
        String cmd(String line) throws IOException {
            send(line);
            return live.await("^" + sent + " (.*)$");
        }

        /** Sends a command that gets no answer (exit, halt). */
        void send(String line) throws IOException {
            sent++;
            in.write(line + "\n");
            in.flush();
        }
    }

    private Attacher child() throws IOException {
        return new Attacher();
    }

    /** "condition:EVENT" of every fired notification about {@code ename}, in arrival order. */
    private List<String> events(String ename) {
        return t.fired.stream().filter(c -> c.get("entity").equals(ename))
                .map(c -> c.get("condition") + ":" + c.get("event")).collect(Collectors.toList());
    }

    private List<String> details(String ename, String event) {
        return t.fired.stream().filter(c -> c.get("entity").equals(ename) && c.get("event").equals(event))
                .map(c -> (String) c.get("detail")).collect(Collectors.toList());
    }

    private long count(String ename, String event) {
        return t.fired.stream().filter(c -> c.get("entity").equals(ename) && c.get("event").equals(event)).count();
    }

    private List<String> entityNames() {
        return Arrays.asList(t.ham().getEntityNames());
    }

    private void awaitBeats(EntityMXBean e, long atLeast) {
        Await.until(atLeast + " heartbeats", () -> e.getHeartbeatCount() >= atLeast);
    }

    // ------------------------------------------------------------------ heartbeats flowing

    @Test
    void heartbeatsOfAChildJvmReachTheEntityMBeanAndItsInfo() throws Exception {
        Attacher c = child();
        assertEquals("attached refs 1", c.cmd("attach hb 100 30 40"));
        EntityMXBean e = t.entity("hb");
        List<Notification> beats = new CopyOnWriteArrayList<>();
        t.connection.mbeanServer().addNotificationListener(ObjectNames.entity("hb"), (n, h) -> beats.add(n), null, null);
        assertEquals("beating", c.cmd("beat 20"));
        Await.until("5 jham.heartbeat notifications", () -> beats.size() >= 5);
        for (Notification n : beats) {
            assertEquals(ObjectNames.NOTIF_HEARTBEAT, n.getType());
            assertEquals(ObjectNames.entity("hb"), n.getSource());
        }
        awaitBeats(e, 5);
        assertEquals("SELFATTACHED", e.getEntityType());
        assertEquals(c.pid, e.getEntityPid());
        assertEquals(100 * MS, e.getHeartbeatPeriod());
        assertEquals(30, e.getHbLowMark());
        assertEquals(40, e.getHbHighMark());
        assertEquals("OK", e.getHeartbeatState());
        assertTrue(e.getLastHeartbeat().matches(STAMP), e.getLastHeartbeat());
        String info = e.getInfo();
        for (String line : List.of("HeartBeat Period : 100000000", "HB Low Mark : 30", "HB High Mark : 40",
                "HeartBeat State : OK")) {
            assertTrue(info.contains(line + "\n"), line + " in\n" + info);
        }
        assertTrue(info.matches("(?s).*Last Heartbeat : " + STAMP + "\n.*"), info);
        long seen = e.getHeartbeatCount();
        awaitBeats(e, seen + 5);
    }

    // ------------------------------------------------------------------ missed marks and heartbeat_healthy

    @Test
    void silenceFiresLowThenHighOnceAndHealthyResumesMonitoring() throws Exception {
        Path recovered = t.stateDir.resolve("recovered");
        Attacher c = child();
        // Marks of 2 s and 3 s: only the test's silences, never a stall of the machine, reach them.
        c.cmd("attach quiet 100 20 30");
        EntityHandle h = Ham.entityHandle(t.node, "quiet", 0);
        h.condition(CONDHBEATMISSEDLOW, "low", 0);
        ConditionHandle high = h.condition(CONDHBEATMISSEDHIGH, "high", 0);
        // The guide: heartbeat_healthy once "a recovery has been performed"; here the test says when.
        high.actionWaitfor("recovery", recovered.toString(), 600_000, 0);
        high.actionHeartbeatHealthy("healthy", 0);
        EntityMXBean e = t.entity("quiet");
        c.cmd("beat 20");
        awaitBeats(e, 5);
        assertEquals("OK", e.getHeartbeatState());

        c.cmd("silent");
        Await.until("HIGH", () -> count("quiet", HIGH) == 1);
        Notified.barrier(t);
        assertEquals(List.of("low:" + LOW, "high:" + HIGH), events("quiet"));
        assertEquals(List.of("missed 20 heartbeats"), details("quiet", LOW));
        assertEquals(List.of("missed 30 heartbeats"), details("quiet", HIGH));
        assertEquals("MISSEDHIGH", e.getHeartbeatState());
        assertEquals(30, e.getMissedHeartbeats(), "after HIGH the boundaries are no longer judged");

        // Beating again changes nothing until heartbeat_healthy: the entity is not judged.
        c.cmd("beat 20");
        awaitBeats(e, e.getHeartbeatCount() + 10);
        assertEquals("MISSEDHIGH", e.getHeartbeatState());
        assertEquals(30, e.getMissedHeartbeats());

        Files.createFile(recovered);
        Await.until("healthy: state OK", () -> "OK".equals(e.getHeartbeatState()));
        assertEquals(0, e.getMissedHeartbeats());
        awaitBeats(e, e.getHeartbeatCount() + 10);
        assertEquals("OK", e.getHeartbeatState());
        Files.delete(recovered);

        // Monitoring resumed: a new silence is a new episode.
        c.cmd("silent");
        Await.until("HIGH again", () -> count("quiet", HIGH) == 2);
        Notified.barrier(t);
        assertEquals(List.of("low:" + LOW, "high:" + HIGH, "low:" + LOW, "high:" + HIGH), events("quiet"));
        assertEquals(List.of("missed 20 heartbeats", "missed 20 heartbeats"), details("quiet", LOW));
        assertEquals("MISSEDHIGH", e.getHeartbeatState());
        assertEquals(30, e.getMissedHeartbeats());
    }

    // ------------------------------------------------------------------ deaths

    @Test
    void killMinus9OfASelfAttachedJvmIsADeath() throws Exception {
        Attacher c = child();
        c.cmd("attach k9 100 0 0");
        Ham.entityHandle(t.node, "k9", 0).condition(CONDDEATH, "death", 0);
        c.cmd("beat 20");
        awaitBeats(t.entity("k9"), 3);
        TestHam.kill(c.pid, "KILL");
        Await.until("CONDDEATH", () -> count("k9", "CONDDEATH") == 1);
        Await.until("the entity removed", () -> !entityNames().contains("k9"));
        Notified.barrier(t);
        assertEquals(List.of("death:CONDDEATH"), events("k9"));
        // Both the pid poll and the closed socket tell; whichever comes first is the one death.
        String detail = details("k9", "CONDDEATH").get(0);
        assertTrue(detail.equals("connection closed without ham_detach_self")
                || detail.startsWith("ended (status unknown"), detail);
    }

    @Test
    void exitWithoutDetachIsADeath() throws Exception {
        Attacher c = child();
        c.cmd("attach ex 0 0 0");
        Ham.entityHandle(t.node, "ex", 0).condition(CONDDEATH, "death", 0);
        c.send("exit 0");
        Await.until("CONDDEATH", () -> count("ex", "CONDDEATH") == 1);
        Notified.barrier(t);
        assertEquals(List.of("death:CONDDEATH"), events("ex"));
        assertFalse(entityNames().contains("ex"));
    }

    @Test
    void closingTheConnectionWithoutDetachIsADeathWhileThePidLives() throws Exception {
        Attacher c = child();
        assertEquals("attached refs 1", c.cmd("attach cc 100 0 0 " + HENTITYKEEPONDEATH));
        EntityHandle h = Ham.entityHandle(t.node, "cc", 0);
        h.condition(CONDDEATH, "death", 0);
        h.condition(CONDATTACH, "attach", 0);
        EntityMXBean e = t.entity("cc");
        // The self-attachment holds its own reference: the process's connects and disconnects
        // around it do not close the connection.
        assertEquals("refs 2", c.cmd("connect"));
        assertEquals("refs 1", c.cmd("disconnect"));
        c.cmd("beat 20");
        awaitBeats(e, 5);
        assertEquals("", e.getLastExit());

        // Dropping the last reference closes the connection while the process lives on.
        assertEquals("refs 0", c.cmd("disconnect"));
        Await.until("CONDDEATH", () -> count("cc", "CONDDEATH") == 1);
        assertEquals(List.of("connection closed without ham_detach_self"), details("cc", "CONDDEATH"));
        assertTrue(c.live.process.isAlive());
        assertEquals("connection closed without ham_detach_self", e.getLastExit());
        assertEquals(c.pid, e.getEntityPid());
        assertEquals("STOPPED", e.getHeartbeatState());
        // ham_heartbeat always succeeds, connection or not.
        assertEquals("hb ok", c.cmd("hb"));

        // Kept by HENTITYKEEPONDEATH, it can be attached again by a new process.
        Attacher again = child();
        assertEquals("attached refs 1", again.cmd("attach cc 100 0 0"));
        Await.until("CONDATTACH", () -> count("cc", "CONDATTACH") == 1);
        assertEquals(again.pid, e.getEntityPid());
        assertEquals("OK", e.getHeartbeatState());
        Notified.barrier(t);
        assertEquals(1, count("cc", "CONDDEATH"));
    }

    @Test
    void thePidDyingIsADeathWhileTheConnectionStaysOpen() throws Exception {
        Process sleeper = new ProcessBuilder("/bin/sleep", "1000").start();
        long pid = t.track(sleeper.pid());
        // The MBean takes the pid and connection of the caller; here the test's own connection.
        HamConnection conn = t.connection;
        conn.ham().attachSelf("bypid", pid, 0, 0, 0, "HENTITYKEEPONDEATH", conn.connectionId());
        Ham.entityHandle(t.node, "bypid", 0).condition(CONDDEATH, "death", 0);
        EntityMXBean e = t.entity("bypid");
        assertEquals("SELFATTACHED", e.getEntityType());
        TestHam.kill(pid, "KILL");
        Await.until("CONDDEATH", () -> count("bypid", "CONDDEATH") == 1);
        assertEquals(List.of("ended (status unknown: not a child of the HAM)"), details("bypid", "CONDDEATH"));
        assertEquals("ended (status unknown: not a child of the HAM)", e.getLastExit());
        assertEquals(1, conn.refCount());
        assertTrue(entityNames().contains("bypid"), "the connection is still open and usable");
    }

    // ------------------------------------------------------------------ detach

    @Test
    void detachSelfFiresDetachAndEndsMonitoring() throws Exception {
        EntityHandle global = Ham.entityHandle(t.node, null, 0);
        for (int type : new int[] {CONDHBEATMISSEDLOW, CONDHBEATMISSEDHIGH, CONDDEATH, CONDDETACH}) {
            global.condition(type, "any" + type, 0);
        }
        Attacher c = child();
        c.cmd("attach dt 100 20 20");
        c.cmd("attach ctl 100 20 20");
        c.cmd("beat 20");
        awaitBeats(t.entity("dt"), 3);
        awaitBeats(t.entity("ctl"), 3);

        assertEquals("detached refs 1", c.cmd("detach dt"));
        Await.until("CONDDETACH", () -> count("dt", "CONDDETACH") == 1);
        assertFalse(entityNames().contains("dt"));
        assertFalse(t.connection.mbeanServer().isRegistered(ObjectNames.entity("dt")));
        assertTrue(c.cmd("detach dt").startsWith("error EINVAL "), "no longer self-attached in that process");

        // ctl, attached with the same period and marks, shows when dt would have missed.
        c.cmd("silent");
        Await.until("ctl's HIGH", () -> count("ctl", HIGH) == 1);
        c.send("exit 0");
        Await.until("ctl's death", () -> count("ctl", "CONDDEATH") == 1);
        Notified.barrier(t);
        assertEquals(List.of("any" + CONDDETACH + ":CONDDETACH"), events("dt"));
    }

    // ------------------------------------------------------------------ the library in this JVM

    @Test
    void attachSelfReusesTheOpenConnectionAndDetachSelfReleasesIt() {
        HamConnection conn = t.connection;
        int before = conn.refCount();
        String id = conn.connectionId();
        Ham.entity("me", t.node, 0).condition(CONDDETACH, "detach", 0);
        Ham.entityHandle(t.node, "me", 0).condition(CONDATTACH, "attach", 0);
        EntityHandle me = Ham.attachSelf("me", t.node, 50 * MS, 0, 0, 0);
        try {
            assertEquals(before + 1, conn.refCount());
            assertEquals(id, conn.connectionId(), "the same connection, one more reference");
            Await.until("CONDATTACH (a placeholder filled)", () -> count("me", "CONDATTACH") == 1);
            EntityMXBean e = t.entity("me");
            assertEquals("SELFATTACHED", e.getEntityType());
            assertEquals(ProcessHandle.current().pid(), e.getEntityPid());
            Ham.heartbeat();
            awaitBeats(e, 1);
            me.heartbeat();
            awaitBeats(e, 2);

            HamException dup = refused(Errno.EEXIST, () -> Ham.attachSelf("me", t.node, 50 * MS, 0, 0, 0));
            assertTrue(dup.getMessage().contains("this process is already self-attached"), dup.getMessage());
            assertEquals(before + 1, conn.refCount());
            refused(Errno.EINVAL, () -> Ham.detachSelf(me, 0x100));
            refused(Errno.EINVAL, () -> me.detach(0));
            refused(Errno.EINVAL, () -> Ham.detachName(t.node, "me", 0));
            assertTrue(entityNames().contains("me"));
            assertEquals(before + 1, conn.refCount());
        } finally {
            Ham.detachSelf(me, 0);
        }
        assertEquals(before, conn.refCount());
        Await.until("CONDDETACH", () -> count("me", "CONDDETACH") == 1);
        assertFalse(entityNames().contains("me"));
    }

    @Test
    void heartbeatWithoutCommitmentDoesNothingAndNeverThrows() {
        EntityHandle svc = t.sleeper("svc", 0);
        // Not self-attached at all.
        Ham.heartbeat();
        svc.heartbeat();
        EntityHandle nohb = Ham.attachSelf("nohb", t.node, 0, 0, 0, 0);
        EntityHandle withhb = null;
        try {
            withhb = Ham.attachSelf("withhb", t.node, 50 * MS, 0, 0, 0);
            Ham.heartbeat();
            nohb.heartbeat();
            // Beats of one JVM travel together: once withhb's arrived, nohb's would have too.
            awaitBeats(t.entity("withhb"), 1);
            EntityMXBean n = t.entity("nohb");
            assertEquals(0, n.getHeartbeatCount());
            assertEquals(0, n.getHeartbeatPeriod());
            assertEquals("", n.getHeartbeatState());
            assertFalse(n.getInfo().contains("HeartBeat"), n.getInfo());
            assertEquals(0, t.entity("svc").getHeartbeatCount());
            refused(Errno.ENOENT, () -> t.connection.proxy(EntityMXBean.class, ObjectNames.entity("nohb")).heartbeat());
        } finally {
            Ham.detachSelf(nohb, 0);
            if (withhb != null) {
                Ham.detachSelf(withhb, 0);
            }
        }
    }

    // ------------------------------------------------------------------ errors

    @Test
    void badArgumentsAreRefusedByTheLibraryAndByTheHam() throws Exception {
        t.sleeper("svc", 0);
        Attacher c = child();
        c.cmd("attach other 0 0 0");
        HamConnection conn = t.connection;
        int refs = conn.refCount();
        List<String> tree = entityNames();
        long hp = 100 * MS;

        refused(Errno.EINVAL, () -> Ham.attachSelf("a/b", t.node, hp, 1, 2, 0));
        refused(Errno.EINVAL, () -> Ham.attachSelf(null, t.node, hp, 1, 2, 0));
        refused(Errno.EINVAL, () -> Ham.attachSelf("", t.node, hp, 1, 2, 0));
        refused(Errno.ENAMETOOLONG, () -> Ham.attachSelf("n".repeat(256), t.node, hp, 1, 2, 0));
        refused(Errno.EINVAL, () -> Ham.attachSelf("x", t.node, HAMHBEATMIN - 1, 1, 2, 0));
        refused(Errno.EINVAL, () -> Ham.attachSelf("x", t.node, 1, 0, 0, 0));
        refused(Errno.EINVAL, () -> Ham.attachSelf("x", t.node, -1, 0, 0, 0));
        refused(Errno.EINVAL, () -> Ham.attachSelf("x", t.node, hp, 3, 2, 0));
        refused(Errno.EINVAL, () -> Ham.attachSelf("x", t.node, hp, -1, 2, 0));
        refused(Errno.EINVAL, () -> Ham.attachSelf("x", t.node, hp, 0, -1, 0));
        refused(Errno.EINVAL, () -> Ham.attachSelf("x", t.node, hp, 1, 2, 0x4));
        // The HAM's own check: names held by another entity, or by another process's self-attachment.
        HamException taken = refused(Errno.EEXIST, () -> Ham.attachSelf("svc", t.node, hp, 1, 2, 0));
        assertTrue(taken.getMessage().contains("already exists"), taken.getMessage());
        refused(Errno.EEXIST, () -> Ham.attachSelf("other", t.node, hp, 1, 2, 0));
        assertEquals(refs, conn.refCount(), "a refused attach keeps no reference");

        // The HAM checks the same on its own (clients other than the library, e.g. jmxterm).
        HamMXBean ham = conn.ham();
        long me = ProcessHandle.current().pid();
        String id = conn.connectionId();
        refused(Errno.EINVAL, () -> ham.attachSelf("x", me, HAMHBEATMIN - 1, 0, 0, "0", id));
        refused(Errno.EINVAL, () -> ham.attachSelf("x", me, -1, 0, 0, "0", id));
        refused(Errno.EINVAL, () -> ham.attachSelf("x", me, hp, 3, 2, "0", id));
        refused(Errno.EINVAL, () -> ham.attachSelf("x", me, hp, -1, 0, "0", id));
        refused(Errno.EINVAL, () -> ham.attachSelf("a/b", me, hp, 1, 2, "0", id));
        refused(Errno.ENAMETOOLONG, () -> ham.attachSelf("n".repeat(256), me, hp, 1, 2, "0", id));
        refused(Errno.EINVAL, () -> ham.attachSelf("x", me, hp, 1, 2, "HCONDNOWAIT", id));
        refused(Errno.EINVAL, () -> ham.attachSelf("x", 0, hp, 1, 2, "0", id));
        refused(Errno.EEXIST, () -> ham.attachSelf("svc", me, hp, 1, 2, "0", id));
        Process gone = new ProcessBuilder("/bin/true").start();
        gone.waitFor();
        refused(Errno.ESRCH, () -> ham.attachSelf("x", gone.pid(), hp, 1, 2, "0", id));
        assertEquals(tree, entityNames(), "refused calls changed the tree");

        // Detaching: ham_detach_self only of this process's own self-attachment, ham_detach never.
        refused(Errno.EINVAL, () -> Ham.detachSelf(null, 0));
        refused(Errno.EINVAL, () -> Ham.detachSelf(Ham.entityHandle(t.node, "svc", 0), 0));
        refused(Errno.EINVAL, () -> Ham.detachSelf(Ham.entityHandle(t.node, "other", 0), 0));
        refused(Errno.EINVAL, () -> Ham.entityHandle(t.node, "other", 0).detach(0));
        refused(Errno.EINVAL, () -> Ham.detachName(t.node, "other", 0));
        refused(Errno.EINVAL, () -> conn.proxy(EntityMXBean.class, ObjectNames.entity("svc")).detachSelf("0"));
        assertEquals(tree, entityNames());
        assertEquals(refs, conn.refCount());

        // The limits themselves are accepted: HAMHBEATMIN, 0 (no heartbeat), hpdl == hpdh, entity flags.
        for (long period : new long[] {HAMHBEATMIN, 0}) {
            EntityHandle ok = Ham.attachSelf("x", t.node, period, 3, 3, HENTITYKEEPONDEATH);
            Ham.detachSelf(ok, 0);
        }
        assertEquals(refs, conn.refCount());
    }

    // ------------------------------------------------------------------ many entities, one JVM

    /**
     * 1,000 beats a second from one JVM, batched by its sender. The marks allow 3 s of silence, not
     * one period: on this kind of machine a stall of 100 ms happens, and a test asserts no upper
     * bound tighter than seconds. An entity whose beats the library drops or sends late would miss.
     */
    @Test
    void fiftyEntitiesOfOneJvmBeatingAt20HzMissNothing() throws Exception {
        EntityHandle global = Ham.entityHandle(t.node, null, 0);
        global.condition(CONDHBEATMISSEDLOW, "anylow", 0);
        global.condition(CONDHBEATMISSEDHIGH, "anyhigh", 0);
        Attacher c = child();
        // Beats start before the first attach, so no entity waits for its first beat.
        assertEquals("attached 50", c.cmd("many m 50 100 30 30 50"));
        // 5 s at 20 Hz: longer than the 3 s an entity without beats would take to miss.
        awaitBeats(t.entity("m-0"), 100);
        awaitBeats(t.entity("m-49"), 100);
        Notified.barrier(t);
        List<CompositeData> missed = t.fired.stream().filter(f -> ((String) f.get("entity")).startsWith("m-"))
                .collect(Collectors.toList());
        assertEquals(List.of(), missed, "false misses");
        for (int i = 0; i < 50; i++) {
            EntityMXBean e = t.entity("m-" + i);
            assertEquals("OK", e.getHeartbeatState(), "m-" + i);
            assertTrue(e.getHeartbeatCount() >= 90, "m-" + i + ": " + e.getHeartbeatCount());
        }
    }
}
