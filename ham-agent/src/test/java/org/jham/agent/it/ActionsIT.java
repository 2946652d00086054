package org.jham.agent.it;

import static org.jham.HamConstants.CONDDEATH;
import static org.jham.HamConstants.CONDDETACH;
import static org.jham.HamConstants.HACTIONDONOW;
import static org.jham.HamConstants.HACTIONKEEPONFAIL;
import static org.jham.HamConstants.HCONDNOWAIT;
import static org.jham.HamConstants.HENTITYKEEPONDEATH;
import static org.jham.HamConstants.HREARMAFTERRESTART;
import static org.jham.HamConstants.VERBOSE_SET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.Notification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.jham.Channel;
import org.jham.ConditionHandle;
import org.jham.EntityHandle;
import org.jham.Errno;
import org.jham.Ham;
import org.jham.HamException;
import org.jham.Pulse;
import org.jham.agent.testing.Activity;
import org.jham.agent.testing.Await;
import org.jham.agent.testing.Child;
import org.jham.agent.testing.SigRecorder;
import org.jham.agent.testing.TestHam;
import org.jham.mbean.ActionMXBean;
import org.jham.mbean.ObjectNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The guide's actions (chapter 4 "Actions", and the ham_action_* reference pages) through the
 * client library against a real HAM: real children that die or detach fire the conditions, and
 * the effects are looked for where a user would see them (files, channels, signals, the activity
 * log, the action MBeans).
 */
class ActionsIT {
    /** Where the Await deadline (30 s) ends long before: a wait that long cannot be what ended it. */
    private static final int LONG_DELAY = 60_000;

    private TestHam t;
    private Activity activity;
    private Path dir;

    @BeforeEach
    void start() throws Exception {
        t = new TestHam();
        activity = new Activity(t);
        dir = Files.createDirectories(t.stateDir.resolve("it"));
    }

    @AfterEach
    void stop() {
        t.close();
    }

    // ---------------------------------------------------------------- helpers


    /** Kills the entity's process and waits until its condition fired {@code times} in all. */
    private void killAndAwait(String ename, String cname, long times) {
        TestHam.kill(t.entity(ename).getEntityPid(), "KILL");
        Await.until(ename + "/" + cname + " fired " + times + " times",
                () -> t.condition(ename, cname).getTriggerCount() >= times);
    }



    /** The guide's spelling of a shell command line: full path, arguments quoted with \'...\'. */
    private static String sh(String script) {
        return "/bin/sh -c \\'" + script + "\\'";
    }

    /** The file's text; empty while it does not exist. */
    private static String read(Path p) {
        try {
            if (!Files.exists(p)) {
                return "";
            }
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private void fails(Errno expected, Executable call) {
        int before = t.ham().getNumActions();
        HamException e = assertThrows(HamException.class, call);
        assertEquals(expected, e.errno(), e.getMessage());
        assertEquals(before, t.ham().getNumActions(), "a refused call changed the tree");
    }

    /** Pids never reach pid_max, so this one never exists. */
    private static long pidThatDoesNotExist() throws IOException {
        long none = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/kernel/pid_max")).get(0).trim());
        assertTrue(ProcessHandle.of(none).isEmpty());
        return none;
    }

    // ---------------------------------------------------------------- execute

    @Test
    void executeRunsItsCommandLineWhenTheEntityDiesAndWhenItDetaches() {
        Path died = dir.resolve("died");
        Path detached = dir.resolve("detached");
        // "The command line must contain the FULL path to the executable along with all parameters"
        t.sleeper("exec-dies", 0).condition(CONDDEATH, "death", 0)
                .actionExecute("mark", sh("echo died > " + died), 0);
        EntityHandle leaving = t.sleeper("exec-detaches", 0);
        leaving.condition(CONDDETACH, "detach", 0).actionExecute("mark", sh("echo detached > " + detached), 0);
        assertFalse(Files.exists(died), "nothing ran before the condition fired");

        TestHam.kill(t.entity("exec-dies").getEntityPid(), "KILL");
        Await.until("the death's execute wrote its file", () -> read(died).equals("died\n"));
        leaving.detach(0);
        Await.until("the detach's execute wrote its file", () -> read(detached).equals("detached\n"));
        assertTrue(activity.indexOf("action: exec-dies/death/mark EXECUTE for entity 'exec-dies'") >= 0);
    }

    // ---------------------------------------------------------------- waitfor

    @Test
    void waitforWithoutAPathDelaysTheNextActionsOfItsList() {
        Path done = dir.resolve("done");
        ConditionHandle death = t.sleeper("pauser", HENTITYKEEPONDEATH).condition(CONDDEATH, "death", 0);
        death.actionLog("before", "pause begins", 0, 1, 0);
        // "If path is NULL, the waitfor is for exactly delay msecs."
        death.actionWaitfor("pause", null, 1500, 0);
        death.actionExecute("stamp", sh("echo done > " + done), 0);
        death.actionLog("after", "pause ended", 0, 1, 0);

        killAndAwait("pauser", "death", 1);
        Await.until("the execute after the pause ran", () -> read(done).equals("done\n"));
        activity.await("] pause ended");

        List<String> lines = activity.lines();
        int before = Activity.indexOf(lines, "] pause begins");
        int pause = Activity.indexOf(lines, "action: pauser/death/pause WAITFOR");
        int stamp = Activity.indexOf(lines, "action: pauser/death/stamp EXECUTE");
        int after = Activity.indexOf(lines, "] pause ended");
        assertTrue(before >= 0 && before < pause && pause < stamp && stamp < after, String.join("\n", lines));
        // Stamps are truncated to the ms, hence one ms of slack.
        long waited = Activity.millis(lines.get(stamp)) - Activity.millis(lines.get(pause));
        assertTrue(waited >= 1499, "the execute ran " + waited + " ms after the waitfor began");
    }

    @Test
    void waitforWithAFilePathEndsAsSoonAsTheFileAppears() throws Exception {
        Path awaited = dir.resolve("ready");
        Path copy = dir.resolve("copy");
        ConditionHandle death = t.sleeper("file-waiter", HENTITYKEEPONDEATH).condition(CONDDEATH, "death", 0);
        // "the waitfor is for either delay msecs or until path appears in the namespace, whichever occurs earlier"
        death.actionWaitfor("ready", awaited.toString(), LONG_DELAY, 0);
        // Copies the file: had the wait ended before the file existed, the copy would be missing.
        death.actionExecute("copy", sh("cat " + awaited + " > " + copy), 0);

        killAndAwait("file-waiter", "death", 1);
        Await.until("the waitfor began", () -> t.action("file-waiter", "death", "ready").getRunCount() == 1);
        assertEquals(0, t.action("file-waiter", "death", "copy").getRunCount(), "the list waits for the file");
        Path tmp = dir.resolve("ready.tmp");
        Files.writeString(tmp, "token-41\n");
        Files.move(tmp, awaited, StandardCopyOption.ATOMIC_MOVE);

        // Well within the Await deadline of 30 s, so long before the 60 s delay ends.
        Await.until("the action after the waitfor ran", () -> read(copy).equals("token-41\n"));
        assertEquals(0, t.action("file-waiter", "death", "ready").getFailCount());
        assertTrue(t.hasAction("file-waiter", "death", "ready"), "a waitfor that ended well stays");
    }

    @Test
    void waitforForAPathThatNeverAppearsFailsAfterTheDelayRoundedUpTo100ms() {
        String never = dir.resolve("never").toString();
        ConditionHandle death = t.sleeper("never-seen", HENTITYKEEPONDEATH).condition(CONDDEATH, "death", 0);
        // "The waitfor call fails if the specified path does not appear in the specified interval."
        // "the delays will be the closest integral multiple of 100 msecs, rounding up": 250 -> 300.
        death.actionWaitfor("dropped", never, 250, 0);
        death.actionWaitfor("kept", never, 250, HACTIONKEEPONFAIL);
        death.actionLog("after", "both waits over", 0, 1, 0);

        killAndAwait("never-seen", "death", 1);
        activity.await("] both waits over");

        // Failed actions are removed unless HACTIONKEEPONFAIL.
        assertFalse(t.hasAction("never-seen", "death", "dropped"));
        assertTrue(t.hasAction("never-seen", "death", "kept"));
        assertEquals(1, t.action("never-seen", "death", "kept").getFailCount());
        assertEquals(1, t.action("never-seen", "death", "kept").getRunCount());
        List<String> lines = activity.lines();
        String failed = "action failed: never-seen/death/dropped: '" + never + "' did not appear within 300 ms";
        assertEquals(1, lines.stream().filter(l -> l.contains(failed)).count(), String.join("\n", lines));
        assertTrue(Activity.indexOf(lines, "action never-seen/death/dropped removed: failed") >= 0);
        long waited = Activity.millis(lines.get(Activity.indexOf(lines, failed)))
                - Activity.millis(lines.get(Activity.indexOf(lines, "action: never-seen/death/dropped WAITFOR")));
        assertTrue(waited >= 299, "failed after " + waited + " ms, before the rounded-up delay");
    }

    @Test
    void waitforForAnObjectNameEndsWhenThatMBeanIsRegisteredInTheHam() throws Exception {
        ObjectName server = new ObjectName("com.acme:type=Server,name=waitfor-it");
        ConditionHandle death = t.sleeper("mbean-waiter", HENTITYKEEPONDEATH).condition(CONDDEATH, "death", 0);
        death.actionWaitfor("server", server.toString(), LONG_DELAY, 0);
        death.actionLog("after", "the server MBean is up", 0, 1, 0);

        killAndAwait("mbean-waiter", "death", 1);
        Await.until("the waitfor began", () -> t.action("mbean-waiter", "death", "server").getRunCount() == 1);
        assertEquals(-1, activity.indexOf("] the server MBean is up"), "the list waits for the MBean");
        // Registered through JMX in the HAM's own MBean server, as an application inside it would.
        t.connection.mbeanServer().createMBean("javax.management.timer.Timer", server);
        try {
            activity.await("] the server MBean is up");
            assertEquals(0, t.action("mbean-waiter", "death", "server").getFailCount());
        } finally {
            t.connection.mbeanServer().unregisterMBean(server);
        }
    }

    @Test
    void waitforForATcpAddressEndsWhenSomethingListensThere() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        ConditionHandle death = t.sleeper("tcp-waiter", HENTITYKEEPONDEATH).condition(CONDDEATH, "death", 0);
        death.actionWaitfor("port", "tcp:127.0.0.1:" + port, LONG_DELAY, 0);
        death.actionLog("after", "port " + port + " listens", 0, 1, 0);

        killAndAwait("tcp-waiter", "death", 1);
        Await.until("the waitfor began", () -> t.action("tcp-waiter", "death", "port").getRunCount() == 1);
        assertEquals(-1, activity.indexOf("] port " + port + " listens"), "the list waits for the port");
        try (ServerSocket listening = new ServerSocket()) {
            listening.setReuseAddress(true);
            listening.bind(new InetSocketAddress("127.0.0.1", port));
            activity.await("] port " + port + " listens");
            assertEquals(0, t.action("tcp-waiter", "death", "port").getFailCount());
        }
    }

    @Test
    void waitforRefusesBadDelaysPathsAndNowaitConditions() {
        EntityHandle e = t.sleeper("bad-waits", 0);
        ConditionHandle death = e.condition(CONDDEATH, "death", 0);
        // "The delay specified is invalid. Only values greater than zero are permitted."
        fails(Errno.EINVAL, () -> death.actionWaitfor("zero", null, 0, 0));
        fails(Errno.EINVAL, () -> death.actionWaitfor("negative", null, -100, 0));
        fails(Errno.EINVAL, () -> death.actionWaitfor("negative-path", "/tmp", -1, 0));
        // Paths must be an absolute file path, an ObjectName or tcp:host:port.
        fails(Errno.EINVAL, () -> death.actionWaitfor("relative", "relative/file", 1000, 0));
        fails(Errno.EINVAL, () -> death.actionWaitfor("tcp", "tcp:nohostport", 1000, 0));
        fails(Errno.EINVAL, () -> death.actionWaitfor("tcp-port", "tcp:127.0.0.1:0", 1000, 0));
        fails(Errno.EINVAL, () -> death.actionWaitfor("mbean", "com.acme:novalue", 1000, 0));
        // "The condition into which the action is being added has the HCONDNOWAIT set."
        ConditionHandle nowait = e.condition(CONDDEATH, "nowait", HCONDNOWAIT);
        fails(Errno.EINVAL, () -> nowait.actionWaitfor("delay", null, 1000, 0));
        fails(Errno.EINVAL, () -> nowait.actionWaitfor("delay", dir.resolve("x").toString(), 1000, 0));
        assertEquals(0, t.condition("bad-waits", "death").getNumActions());
        assertEquals(0, t.condition("bad-waits", "nowait").getNumActions());
    }

    @Test
    void doNowIsIgnoredForWaitfor() {
        Path ran = dir.resolve("ran");
        ConditionHandle detach = t.sleeper("donow-wait", 0).condition(CONDDETACH, "detach", 0);
        // "Note that HACTIONDONOW is ignored for waitfor actions."
        detach.actionWaitfor("delay", null, 1000, HACTIONDONOW);
        // Same lane, FIFO: had the waitfor run now, it would have run (and been counted) first.
        detach.actionExecute("touch", sh("echo now > " + ran), HACTIONDONOW);
        Await.until("the execute ran at once", () -> Files.exists(ran));
        assertEquals(1, t.action("donow-wait", "detach", "touch").getRunCount());
        assertEquals(0, t.action("donow-wait", "detach", "delay").getRunCount());
        assertEquals(0, t.condition("donow-wait", "detach").getTriggerCount());
    }

    // ---------------------------------------------------------------- notify pulse

    @Test
    void notifyPulseArrivesOnTheChannelOfThisProcessEachTimeTheConditionFires() throws Exception {
        try (Channel ch = t.connection.channel()) {
            EntityHandle e = t.sleeper("pulsed", 0);
            ConditionHandle death = e.condition(CONDDEATH, "death", HREARMAFTERRESTART);
            death.actionRestart("restart", "/bin/sleep 1000", HREARMAFTERRESTART);
            death.actionNotifyPulse("tell", null, ch.pid(), ch.chid(), 3, 13, HREARMAFTERRESTART);
            e.condition(CONDDETACH, "detach", HREARMAFTERRESTART)
                    .actionNotifyPulse("bye", null, ch.pid(), ch.chid(), 4, 14, HREARMAFTERRESTART);
            assertNullPulse(ch);

            long first = t.entity("pulsed").getEntityPid();
            TestHam.kill(first, "KILL");
            assertPulse(ch, 3, 13, "pulsed/death/tell");
            long second = t.awaitPid("pulsed", first);
            TestHam.kill(second, "KILL");
            assertPulse(ch, 3, 13, "pulsed/death/tell");
            t.awaitPid("pulsed", second);
            e.detach(0);
            assertPulse(ch, 4, 14, "pulsed/detach/bye");
        }
    }

    private static void assertNullPulse(Channel ch) {
        assertEquals(null, ch.poll(), "no pulse before any condition fired");
    }

    private static Pulse assertPulse(Channel ch, int code, int value, String source) throws InterruptedException {
        Pulse p = ch.receive(Await.DEFAULT);
        assertNotNull(p, "no pulse " + code + " within " + Await.DEFAULT);
        assertEquals(code, p.code(), p.toString());
        assertEquals(value, p.value(), p.toString());
        assertEquals(source, p.source(), p.toString());
        return p;
    }

    @Test
    void aPulseToAChannelWhoseOwnerExitedFailsAndTheActionIsRemovedUnlessKeptOnFail() throws Exception {
        String jar = Child.MODULE.resolve("target/ham-agent.jar").toString();
        String classes = Child.MODULE.resolve("target/test-classes").toString();
        try (Child.Live owner = new Child.Live(List.of(Child.JAVA, "-cp", jar + ":" + classes,
                "org.jham.agent.testing.ChannelOwner", t.node))) {
            long ownerPid = t.track(owner.process.pid());
            String[] ch = owner.await("^channel (\\d+ \\d+)$").split(" ");
            assertEquals(ownerPid, Long.parseLong(ch[0]));
            int chid = Integer.parseInt(ch[1]);
            assertTrue(Arrays.asList(t.ham().getChannels()).contains(ownerPid + "/" + chid));

            EntityHandle e = t.sleeper("to-owner", 0);
            ConditionHandle death = e.condition(CONDDEATH, "death", HREARMAFTERRESTART);
            death.actionRestart("restart", "/bin/sleep 1000", HREARMAFTERRESTART);
            death.actionNotifyPulse("dropped", null, ownerPid, chid, 21, 1, HREARMAFTERRESTART);
            death.actionNotifyPulse("kept", null, ownerPid, chid, 22, 2, HREARMAFTERRESTART | HACTIONKEEPONFAIL);

            // While the owner runs, both pulses reach it.
            long pid = t.entity("to-owner").getEntityPid();
            TestHam.kill(pid, "KILL");
            owner.await("^pulse 21 1 (to-owner/death/dropped)$");
            owner.await("^pulse 22 2 (to-owner/death/kept)$");
            pid = t.awaitPid("to-owner", pid);

            // "notifications fail if the receiver does not exist anymore"
            try (OutputStream in = owner.process.getOutputStream()) {
                in.write("exit\n".getBytes(StandardCharsets.UTF_8));
            }
            Await.until("the owner exited", () -> !owner.process.isAlive());
            TestHam.kill(pid, "KILL");
            // "and they will automatically get removed and cleaned up"
            Await.until("the failed pulse removed", () -> !t.hasAction("to-owner", "death", "dropped"));
            Await.until("the kept pulse failed once", () -> t.action("to-owner", "death", "kept").getFailCount() == 1);
            assertEquals(2, t.action("to-owner", "death", "kept").getRunCount());
            activity.await("action failed: to-owner/death/dropped: ");
            assertTrue(activity.indexOf("action to-owner/death/dropped removed: failed") >= 0);
            assertTrue(activity.indexOf("action to-owner/death/kept removed") < 0);

            // Kept, it fails again at the next firing.
            pid = t.awaitPid("to-owner", pid);
            TestHam.kill(pid, "KILL");
            Await.until("the kept pulse failed twice", () -> t.action("to-owner", "death", "kept").getFailCount() == 2);
            assertFalse(Arrays.asList(t.ham().getChannels()).contains(ownerPid + "/" + chid), "the channel closed");
        }
    }

    @Test
    void aPulseToAChannelNeverOpenedFailsWithEnoent() {
        long self = ProcessHandle.current().pid();
        ConditionHandle death = t.sleeper("no-channel", HENTITYKEEPONDEATH).condition(CONDDEATH, "death", 0);
        death.actionNotifyPulse("nowhere", null, self, 999_999, 1, 1, 0);
        death.actionLog("after", "after the lost pulse", 0, 1, 0);

        killAndAwait("no-channel", "death", 1);
        activity.await("] after the lost pulse");
        String failed = "action failed: no-channel/death/nowhere: ENOENT: no channel " + self + "/999999";
        assertTrue(activity.indexOf(failed) >= 0,
                String.join("\n", activity.lines()));
        assertFalse(t.hasAction("no-channel", "death", "nowhere"));
    }

    @Test
    void aPulseReachesAChannelOnAnotherNode() throws Exception {
        try (TestHam b = new TestHam(); Channel ch = b.connection.channel()) {
            // "Pulses can be delivered to remote nodes by specifying the appropriate node specifier."
            ConditionHandle death = t.sleeper("pulse-far", HENTITYKEEPONDEATH).condition(CONDDEATH, "death", 0);
            death.actionNotifyPulse("far", b.node, ch.pid(), ch.chid(), 7, 77, 0);
            assertTrue(Arrays.asList(b.ham().getChannels()).contains(ch.pid() + "/" + ch.chid()));
            assertFalse(Arrays.asList(t.ham().getChannels()).contains(ch.pid() + "/" + ch.chid()),
                    "the channel is on HAM B only");

            killAndAwait("pulse-far", "death", 1);
            assertPulse(ch, 7, 77, "pulse-far/death/far");
            assertEquals(1, t.action("pulse-far", "death", "far").getRunCount());
            assertEquals(0, t.action("pulse-far", "death", "far").getFailCount());
        }
    }

    // ---------------------------------------------------------------- notify signal

    @Test
    void notifySignalDeliversTheSignalWithItsValueAndAJhamSignalNotification() throws Exception {
        List<CompositeData> notices = new CopyOnWriteArrayList<>();
        NotificationListener l = (Notification n, Object h) -> {
            if (ObjectNames.NOTIF_SIGNAL.equals(n.getType())) {
                notices.add((CompositeData) n.getUserData());
            }
        };
        t.connection.mbeanServer().addNotificationListener(ObjectNames.HAM, l, null, null);
        long nobody = pidThatDoesNotExist();
        try (SigRecorder r = new SigRecorder()) {
            ConditionHandle death = t.sleeper("signaller", HENTITYKEEPONDEATH).condition(CONDDEATH, "death", 0);
            // SIGRTMIN+1, the guide example's MYSIG.
            death.actionNotifySignal("tell", null, r.pid, 35, 5, 4242, 0);
            death.actionNotifySignal("nobody", null, nobody, 35, 5, 1, 0);
            death.actionNotifySignal("nobody-kept", null, nobody, 35, 5, 1, HACTIONKEEPONFAIL);

            killAndAwait("signaller", "death", 1);
            r.awaitReceived(35, 4242);
            Await.until("the jham.signal notification", () -> !notices.isEmpty());
            CompositeData n = notices.get(0);
            assertEquals(r.pid, n.get("pid"));
            assertEquals(35, n.get("signal"));
            assertEquals(5, n.get("code"));
            assertEquals(4242, n.get("value"));
            assertEquals("signaller/death/tell", n.get("source"));

            // A signal to a pid that does not exist fails: removed, or kept with its failure counted.
            Await.until("the failed signal removed", () -> !t.hasAction("signaller", "death", "nobody"));
            Await.until("the kept one failed", () -> t.action("signaller", "death", "nobody-kept").getFailCount() == 1);
            assertTrue(activity.indexOf("action failed: signaller/death/nobody: ESRCH") >= 0,
                    String.join("\n", activity.lines()));
            assertEquals(1, notices.size(), "no notification for signals that were not sent: " + notices);
            assertEquals(List.of(new SigRecorder.Received(35, SigRecorder.SI_QUEUE, 4242)), r.received());
        } finally {
            t.connection.mbeanServer().removeNotificationListener(ObjectNames.HAM, l);
        }
    }

    // ---------------------------------------------------------------- heartbeat_healthy and log

    @Test
    void heartbeatHealthyNeverFails() {
        EntityHandle e = t.sleeper("healthy", 0);
        e.conditionRaise("raised", 0, 0, 0, 0).actionHeartbeatHealthy("reset", 0);

        e.raise(1, 1, 1, 0);
        e.raise(1, 1, 1, 0);
        Await.until("run twice", () -> t.action("healthy", "raised", "reset").getRunCount() == 2);
        Await.until("logged twice", () -> activity.count("heartbeat state of entity 'healthy' reset to healthy") == 2);
        assertEquals(0, t.action("healthy", "raised", "reset").getFailCount());
        assertEquals("HEARTBEAT_HEALTHY", t.action("healthy", "raised", "reset").getActionType());
    }

    @Test
    void logWritesOnlyWhenTheHamsVerbosityReachesTheActionsVerbosity() {
        EntityHandle e = t.sleeper("logger", 0);
        ConditionHandle raised = e.conditionRaise("raised", 0, 0, 0, 0);
        // TestHam runs with -V3.
        raised.actionLog("above", "verbosity four", 1, 4, 0);
        raised.actionLog("equal", "verbosity three", 1, 3, 0);
        raised.actionLog("below", "verbosity one", 0, 1, 0);
        raised.actionLog("zero", "verbosity zero", 0, 0, 0);

        e.raise(1, 1, 1, 0);
        // attachprefix puts the action's path before the message.
        activity.await("] logger/raised/equal: verbosity three");
        activity.await("] verbosity zero");
        assertTrue(activity.indexOf("] verbosity one") >= 0);
        // FIFO: "above" ran before "equal", and wrote nothing.
        assertEquals(1, t.action("logger", "raised", "above").getRunCount());
        assertEquals(-1, activity.indexOf("above: verbosity four"));
        assertEquals(-1, activity.indexOf("] verbosity four"));

        assertEquals(4, Ham.verbose(t.node, VERBOSE_SET, 4));
        e.raise(1, 1, 1, 0);
        activity.await("] logger/raised/above: verbosity four");
        assertEquals(2, activity.count("logger/raised/equal: verbosity three"));
        assertEquals(0, t.action("logger", "raised", "above").getFailCount());
    }

    // ---------------------------------------------------------------- HACTIONDONOW

    @Test
    void doNowRunsTheActionOnceAtOnceAndAgainEachTimeTheConditionFires() throws Exception {
        Path runs = dir.resolve("runs");
        EntityHandle e = t.sleeper("donow", 0);
        ConditionHandle raised = e.conditionRaise("raised", 0, 0, 0, 0);
        // "You can have an execute action take place immediately by setting the HACTIONDONOW flag."
        raised.actionExecute("append", sh("echo run >> " + runs), HACTIONDONOW);
        Await.until("the execute ran at once", () -> read(runs).equals("run\n"));
        assertEquals(0, t.condition("donow", "raised").getTriggerCount(), "without the condition firing");
        assertEquals(1, t.action("donow", "raised", "append").getRunCount());

        e.raise(1, 1, 1, 0);
        Await.until("run again when fired", () -> read(runs).equals("run\nrun\n"));
        e.raise(1, 1, 1, 0);
        Await.until("and again", () -> read(runs).equals("run\nrun\nrun\n"));
        assertEquals(3, t.action("donow", "raised", "append").getRunCount());

        // "restart ... never HACTIONDONOW"
        ConditionHandle death = e.condition(CONDDEATH, "death", 0);
        fails(Errno.EINVAL, () -> death.actionRestart("restart", "/bin/sleep 1000", HACTIONDONOW));
        assertEquals(0, t.condition("donow", "death").getNumActions());
    }
}
