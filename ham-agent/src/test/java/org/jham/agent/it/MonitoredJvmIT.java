package org.jham.agent.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.jham.JvmConditions;
import org.jham.agent.monitor.MonitoredJvm;
import org.jham.agent.testing.Await;
import org.jham.agent.testing.Child;
import org.jham.agent.testing.TestHam;
import org.jham.mbean.EntityMXBean;
import org.jham.mbean.HeartbeatMXBean;
import org.jham.mbean.ObjectNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The agent in monitored JVMs: real child JVMs running {@code MonitoredApp}, which knows nothing of
 * the HAM, started with {@code -javaagent:ham-agent.jar=entity=...} (or given the agent by
 * {@code bin/hamctrl attach-jvm}), against a real HAM on a JMXMP port.
 */
class MonitoredJvmIT {
    private static final String JAR = Child.MODULE.resolve("target/ham-agent.jar").toString();
    private static final String CLASSES = Child.MODULE.resolve("target/test-classes").toString();

    /** The command of a MonitoredApp JVM; {@code agentArgs} null: without the agent. */
    private static List<String> app(String agentArgs, String... jvmOptions) {
        List<String> cmd = new ArrayList<>(List.of(Child.JAVA));
        if (agentArgs != null) {
            cmd.add("-javaagent:" + JAR + "=" + agentArgs);
        }
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", CLASSES, "org.jham.agent.testing.MonitoredApp"));
        return cmd;
    }

    private static void send(Child.Live c, String command) throws IOException {
        c.process.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
        c.process.getOutputStream().flush();
    }

    private static List<String> lines(Child.Live c, String prefix) {
        return c.output().lines().filter(l -> l.startsWith(prefix)).collect(Collectors.toList());
    }

    private static long count(Child.Live c, String prefix) {
        return lines(c, prefix).size();
    }

    /** The live processes whose command line holds {@code text}: the instances of an app a test started. */
    private static List<Long> instances(String text) {
        return ProcessHandle.allProcesses().filter(p -> p.isAlive() && p.info().commandLine().map(l -> l.contains(text))
                .orElse(false)).map(ProcessHandle::pid).sorted().collect(Collectors.toList());
    }

    /** Kills, by pid, what a failed test may have left behind. */
    private static void killInstances(String text) {
        if (text == null) {
            return;
        }
        for (long p : instances(text)) {
            ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static String read(java.nio.file.Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    private static EntityMXBean awaitSelfAttached(TestHam t, String ename, long pid) {
        EntityMXBean e = t.entity(ename);
        Await.until(ename + " self-attached with pid " + pid, () -> Arrays.asList(t.ham().getEntityNames()).contains(ename)
                && "SELFATTACHED".equals(e.getEntityType()) && e.getEntityPid() == pid);
        return e;
    }

    @Test
    void heartbeatsOfTheAgentReachTheHamAndTheJvmsOwnHeartbeatMBean() throws Exception {
        try (TestHam t = new TestHam();
             Child.Live c = new Child.Live(app("entity=jvm-hb,node=" + t.node + ",hb=100,low=5,high=10",
                     "-Djava.rmi.server.hostname=127.0.0.1"))) {
            long pid = t.track(c.process.pid());
            c.await("^app main \\d+$");
            EntityMXBean e = awaitSelfAttached(t, "jvm-hb", pid);
            assertEquals(100_000_000L, e.getHeartbeatPeriod());
            assertEquals(5, e.getHbLowMark());
            assertEquals(10, e.getHbHighMark());

            AtomicInteger atHam = new AtomicInteger();
            t.connection.mbeanServer().addNotificationListener(ObjectNames.entity("jvm-hb"), (Notification n, Object h) -> {
                if (ObjectNames.NOTIF_HEARTBEAT.equals(n.getType())) {
                    atHam.incrementAndGet();
                }
            }, null, null);
            Await.until("10 jham.heartbeat notifications from the entity's MBean", () -> atHam.get() >= 10);
            assertEquals("OK", e.getHeartbeatState());

            // The JVM's own side: jham:type=Heartbeat, through the JVM's local JMX agent.
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            String address;
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            try (JMXConnector jc = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                MBeanServerConnection mbs = jc.getMBeanServerConnection();
                HeartbeatMXBean hb = JMX.newMXBeanProxy(mbs, ObjectNames.HEARTBEAT, HeartbeatMXBean.class);
                assertArrayEquals(new String[] {"jvm-hb"}, hb.getEntities());
                List<Object> atJvm = new CopyOnWriteArrayList<>();
                mbs.addNotificationListener(ObjectNames.HEARTBEAT, (Notification n, Object h) -> atJvm.add(n.getUserData()),
                        null, null);
                long sent = hb.getHeartbeatsSent();
                Await.until("5 jham.heartbeat notifications from the JVM's Heartbeat MBean", () -> atJvm.size() >= 5);
                assertTrue(atJvm.stream().allMatch("jvm-hb"::equals), atJvm.toString());
                assertTrue(hb.getHeartbeatsSent() > sent);
            }
            assertEquals(List.of("jham agent: attached this JVM (pid " + pid + ") to the HAM at " + t.node
                    + " as 'jvm-hb', heartbeat every 100 ms by the agent"), lines(c, "jham agent:"));
        }
    }

    @Test
    void withBeatAppTheApplicationBeatsThroughTheHeartbeatClassTheAgentBrings() throws Exception {
        try (TestHam t = new TestHam();
             Child.Live c = new Child.Live(app("entity=jvm-app,node=" + t.node + ",hb=100,low=2,high=4,beat=app"))) {
            long pid = t.track(c.process.pid());
            EntityMXBean e = awaitSelfAttached(t, "jvm-app", pid);
            Await.until("MISSEDHIGH: the agent does not beat", () -> "MISSEDHIGH".equals(e.getHeartbeatState()));
            assertEquals(0, e.getHeartbeatCount());
            send(c, "beat 20 50"); // org.jham.Heartbeat is on no class path but the agent jar's
            c.await("^beats done$");
            Await.until("the application's beats counted", () -> e.getHeartbeatCount() >= 10);
            assertEquals(List.of("jham agent: attached this JVM (pid " + pid + ") to the HAM at " + t.node
                    + " as 'jvm-app', heartbeat every 100 ms by the application"), lines(c, "jham agent:"));
        }
    }

    @Test
    void aDeadlockedJvmStopsHeartbeatingAndRaisesItOnce() throws Exception {
        try (TestHam t = new TestHam();
             Child.Live c = new Child.Live(app("entity=jvm-dl,node=" + t.node + ",hb=100,low=3,high=8"))) {
            long pid = t.track(c.process.pid());
            EntityMXBean e = awaitSelfAttached(t, "jvm-dl", pid);
            e.condition("CONDHBEATMISSEDHIGH", "high", "");
            e.conditionRaise("deadlock", JvmConditions.TYPE_DEADLOCK, JvmConditions.CLASS_JVM,
                    JvmConditions.SEVERITY_CRITICAL, "");
            e.conditionRaise("lowmem", JvmConditions.TYPE_LOW_MEMORY, 0, 0, "");
            Await.until("heartbeats", () -> e.getHeartbeatCount() >= 10);
            assertEquals("OK", e.getHeartbeatState());
            assertEquals(0, t.firedCount("jvm-dl/high", "CONDHBEATMISSEDHIGH"));

            send(c, "deadlock");
            c.await("^deadlocked$");
            Await.until("CONDHBEATMISSEDHIGH and the deadlock raised", () -> t.firedCount("jvm-dl/high",
                    "CONDHBEATMISSEDHIGH") == 1 && t.firedCount("jvm-dl/deadlock", "CONDRAISE") == 1);
            assertEquals("MISSEDHIGH", e.getHeartbeatState());
            // Eight periods passed without a beat: the detector looked again each period, raising nothing more.
            assertEquals(1, t.firedCount("jvm-dl/deadlock", "CONDRAISE"));
            assertEquals(0, t.firedCount("jvm-dl/lowmem", "CONDRAISE"));
            List<String> told = lines(c, "jham agent: deadlock:");
            assertEquals(1, told.size(), c.output());
            assertTrue(told.get(0).contains("'worker-a'") && told.get(0).contains("'worker-b'"), told.get(0));
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "a hung JVM is still alive");
        }
    }

    @Test
    void lowMemoryAfterGcIsRaisedOncePerEpisode() throws Exception {
        try (TestHam t = new TestHam();
             Child.Live c = new Child.Live(app("entity=jvm-mem,node=" + t.node + ",hb=100,memory=50", "-XX:+UseG1GC",
                     "-Xmx64m"))) {
            long pid = t.track(c.process.pid());
            EntityMXBean e = awaitSelfAttached(t, "jvm-mem", pid);
            e.conditionRaise("lowmem", JvmConditions.TYPE_LOW_MEMORY, JvmConditions.CLASS_JVM,
                    JvmConditions.SEVERITY_WARNING, "");
            send(c, "fill 60");
            c.await("^filled$");
            Await.until("low memory raised", () -> t.firedCount("jvm-mem/lowmem", "CONDRAISE") == 1);
            awaitBeats(e, 10); // a second of checks (one per period) within the same episode
            assertEquals(1, t.firedCount("jvm-mem/lowmem", "CONDRAISE"));
            send(c, "free");
            Await.until("the episode's end told", () -> count(c, "jham agent: low memory after GC ended") == 1);
            send(c, "fill 60");
            Await.until("a second episode raised", () -> t.firedCount("jvm-mem/lowmem", "CONDRAISE") == 2);
            awaitBeats(e, 10);
            assertEquals(2, t.firedCount("jvm-mem/lowmem", "CONDRAISE"));
            assertEquals(2, count(c, "jham agent: low memory after GC: "), c.output());
        }
    }

    /** Waits for {@code n} more heartbeats: time enough for the agent's checks to run again. */
    private static void awaitBeats(EntityMXBean e, int n) {
        long from = e.getHeartbeatCount();
        Await.until(n + " more heartbeats", () -> e.getHeartbeatCount() >= from + n);
    }

    @Test
    void aKilledJvmDiesAndWithRestartYesComesBackAndAttachesItselfAgain() throws Exception {
        String app = null;
        try (TestHam t = new TestHam();
             Child.Live c = new Child.Live(app("entity=jvm-rs,node=" + t.node + ",hb=100,restart=yes"))) {
            app = "=entity=jvm-rs,node=" + t.node + ",";
            long pid = t.track(c.process.pid());
            EntityMXBean e = awaitSelfAttached(t, "jvm-rs", pid);
            Await.until("the restart action", () -> t.hasAction("jvm-rs", MonitoredJvm.DEATH_CONDITION,
                    MonitoredJvm.RESTART_ACTION));
            String line = t.action("jvm-rs", MonitoredJvm.DEATH_CONDITION, MonitoredJvm.RESTART_ACTION).getDetail();
            assertTrue(line.contains("'cd -- \"$0\" && exec \"$@\"' " + Child.MODULE + " " + Child.JAVA), line);
            assertTrue(line.contains("-javaagent:" + JAR + "=entity=jvm-rs,") && line.endsWith("MonitoredApp"), line);

            TestHam.kill(pid, "KILL");
            Await.until("CONDDEATH", () -> t.firedCount("jvm-rs/" + MonitoredJvm.DEATH_CONDITION, "CONDDEATH") == 1);
            long second = t.awaitPid("jvm-rs", pid);
            awaitSelfAttached(t, "jvm-rs", second);
            Await.until("heartbeats of the new JVM", () -> e.getHeartbeatCount() > 0);
            assertEquals(1, e.getNumRestarts());
            Await.until("the new JVM's main ran", () -> read(t.stateDir.resolve("output/jvm-rs.log"))
                    .contains("app main " + second));

            // The re-attached JVM found its condition and action kept (HREARMAFTERRESTART): again.
            // A child of the HAM now: its exit, not its connection closing, is the death, so the restart
            // armed in the spawner is the only one.
            TestHam.kill(second, "KILL");
            long third = t.awaitPid("jvm-rs", second);
            awaitSelfAttached(t, "jvm-rs", third);
            assertEquals(2, t.firedCount("jvm-rs/" + MonitoredJvm.DEATH_CONDITION, "CONDDEATH"));
            assertEquals(2, e.getNumRestarts());
            assertEquals(List.of(third), instances(app));
        } finally {
            killInstances(app);
        }
    }

    @ParameterizedTest(name = "detach-on-exit={0}")
    @CsvSource({"no, CONDDEATH", "yes, CONDDETACH"})
    void aNormalExitIsADeathUnlessTheAgentDetachesOnExit(String detachOnExit, String fires) throws Exception {
        try (TestHam t = new TestHam();
             Child.Live c = new Child.Live(app("entity=jvm-exit,node=" + t.node + ",detach-on-exit=" + detachOnExit))) {
            long pid = t.track(c.process.pid());
            EntityMXBean e = awaitSelfAttached(t, "jvm-exit", pid);
            e.condition("CONDDEATH", "death", "");
            e.condition("CONDDETACH", "detach", "");
            send(c, "exit 0");
            Await.until(fires, () -> t.firedCount("jvm-exit/" + (fires.equals("CONDDEATH") ? "death" : "detach"), fires) == 1);
            Await.until("the entity gone", () -> t.ham().getEntityNames().length == 0);
            assertEquals(1, t.firedCount("jvm-exit/death", "CONDDEATH") + t.firedCount("jvm-exit/detach", "CONDDETACH"));
            assertEquals(0, c.process.waitFor());
        }
    }

    private static Child.Result hamctrl(TestHam t, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Child.TOP.resolve("bin/hamctrl").toString(), "-node", t.node));
        cmd.addAll(List.of(args));
        return Child.run(cmd);
    }

    @Test
    void hamctrlAttachJvmLoadsTheAgentIntoARunningJvm() throws Exception {
        String app = null;
        try (TestHam t = new TestHam();
             Child.Live c = new Child.Live(app(null));
             Child.Live sleeper = new Child.Live(List.of("/bin/sleep", "1000"))) {
            long pid = t.track(c.process.pid());
            t.track(sleeper.process.pid());
            app = "=entity=jvm-dyn,node=" + t.node + ",";
            c.await("^app main \\d+$");

            Child.Result bad = hamctrl(t, "attach-jvm", Long.toString(pid), "jvm-dyn", "hb=5");
            assertEquals(1, bad.status(), bad.out());
            assertEquals("hamctrl: EINVAL: hb=5: below HAMHBEATMIN (10 ms)\n", bad.out());
            Child.Result notJvm = hamctrl(t, "attach-jvm", Long.toString(sleeper.process.pid()), "jvm-dyn");
            assertEquals(1, notJvm.status(), notJvm.out());
            assertTrue(notJvm.out().startsWith("hamctrl: EINVAL: process " + sleeper.process.pid() + " is not a JVM"),
                    notJvm.out());
            assertTrue(sleeper.process.isAlive(), "the attach mechanism's SIGQUIT was not sent to a non-JVM");
            assertEquals(0, t.ham().getEntityNames().length);
            assertEquals(0, count(c, "jham agent:"), c.output());

            Child.Result r = hamctrl(t, "attach-jvm", Long.toString(pid), "jvm-dyn", "hb=100", "restart=yes");
            assertEquals(0, r.status(), r.out());
            assertEquals("JVM " + pid + " attached: 'jvm-dyn' pid " + pid + " on " + t.node + "\n", r.out());
            EntityMXBean e = awaitSelfAttached(t, "jvm-dyn", pid);
            Await.until("heartbeats", () -> e.getHeartbeatCount() >= 5);
            Child.Result again = hamctrl(t, "attach-jvm", Long.toString(pid), "jvm-other");
            assertEquals(1, again.status(), again.out());
            assertTrue(again.out().startsWith("hamctrl: EEXIST: JVM " + pid + " is already monitored"), again.out());

            // Restarted, the JVM gets the agent on its command line: it attaches itself again.
            Await.until("the restart action", () -> t.hasAction("jvm-dyn", MonitoredJvm.DEATH_CONDITION,
                    MonitoredJvm.RESTART_ACTION));
            String line = t.action("jvm-dyn", MonitoredJvm.DEATH_CONDITION, MonitoredJvm.RESTART_ACTION).getDetail();
            assertTrue(line.contains(Child.JAVA + " -javaagent:" + JAR + "=entity=jvm-dyn,node=" + t.node
                    + ",hb=100,restart=yes -cp "), line);
            TestHam.kill(pid, "KILL");
            long next = t.awaitPid("jvm-dyn", pid);
            awaitSelfAttached(t, "jvm-dyn", next);
            assertEquals(List.of(next), instances(app));
        } finally {
            killInstances(app);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "hb=5           | jham agent: EINVAL: hb=5: below HAMHBEATMIN (10 ms); not attaching",
        "hb=100,low=6,high=2 | jham agent: EINVAL: low=6 is above high=2 (the guide: hpdl <= hpdh); not attaching",
        "frequency=3    | jham agent: EINVAL: unknown agent option 'frequency' (known: entity, node, hb, low, high, beat,"
            + " restart, detect, memory, detach-on-exit); not attaching"})
    void badOptionsLeaveTheApplicationRunningWithOneLineAndNothingElse(String options, String told) throws Exception {
        try (TestHam t = new TestHam();
             Child.Live c = new Child.Live(app("entity=jvm-bad,node=" + t.node + "," + options.trim()))) {
            t.track(c.process.pid());
            c.await("^app main \\d+$");
            send(c, "status");
            assertEquals("threads: []", c.await("^threads: .*"));
            assertEquals("mbeans: []", c.await("^mbeans: .*"));
            assertEquals(List.of(told.trim()), lines(c, "jham agent:"));
            assertEquals(0, t.ham().getEntityNames().length);
            assertTrue(c.process.isAlive());
        }
    }

    @Test
    void theAgentWaitsForAnUnreachableHamAndAttachesAgainAfterItCameBack() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String node = "127.0.0.1:" + port;
        try (Child.Live c = new Child.Live(app("entity=jvm-re,node=" + node + ",hb=100"))) {
            long pid = c.process.pid();
            c.await("^app main \\d+$");
            Await.until("the agent to tell it cannot reach the HAM", () -> count(c, "jham agent: the HAM at " + node
                    + " cannot be reached") == 1);
            try (TestHam first = new TestHam("--port", Integer.toString(port))) {
                awaitSelfAttached(first, "jvm-re", pid);
                first.server.stop(false);
            }
            Await.until("the agent to tell it lost the HAM", () -> count(c, "jham agent: lost the connection") == 1);
            try (TestHam second = new TestHam("--port", Integer.toString(port))) {
                second.track(pid);
                EntityMXBean e = awaitSelfAttached(second, "jvm-re", pid);
                Await.until("heartbeats to the new HAM", () -> e.getHeartbeatCount() >= 5);
            }
            assertEquals(1, count(c, "jham agent: the HAM at "), c.output());
            assertEquals(2, count(c, "jham agent: attached this JVM"), c.output());
            assertTrue(c.output().lines().allMatch(l -> l.startsWith("app main ") || l.startsWith("jham agent: ")),
                    "the JMXMP client's own complaints stay out of the application's output: " + c.output());
        }
    }
}
