package org.jham.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jham.agent.testing.Await;
import org.jham.agent.testing.Child;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HAM as users run it: its own JVM from the built jar, driven by {@code bin/hamctrl}, by the
 * jmxterm sample script, and installed by {@code -javaagent} in a host JVM.
 */
class HamProcessIT {
    private final Set<Long> pids = new HashSet<>();
    private Path state;
    private Child.Live ham;
    private String node;

    @BeforeEach
    void startHam() throws Exception {
        state = Files.createTempDirectory("jham-proc");
        ham = new Child.Live(List.of(Child.JAVA, "-cp", Child.MODULE.resolve("target/ham-agent.jar").toString(),
                "org.jham.agent.launch.HamMain", "--foreground", "--no-guardian", "--port", "0", "--state-dir", state.toString(),
                "--fresh", "-V2", "-f", state.resolve("activity.log").toString()));
        pids.add(ham.process.pid());
        node = ham.await("jHAM listening on service:jmx:jmxmp://(127\\.0\\.0\\.1:\\d+)");
    }

    @AfterEach
    void cleanup() throws Exception {
        ham.close();
        for (long p : pids) {
            ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private Child.Result hamctrl(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Child.TOP.resolve("bin/hamctrl").toString(), "-node", node));
        cmd.addAll(List.of(args));
        return Child.run(cmd);
    }

    private long pidOf(String ename) {
        Child.Result r = hamctrl("cat", ename);
        Matcher m = Pattern.compile("Entity Pid : (\\d+)").matcher(r.out());
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private long awaitNewPid(String ename, long old) {
        long p = Await.value(ename + " running with a pid other than " + old, () -> {
            long now = pidOf(ename);
            return now > 0 && now != old ? now : null;
        });
        pids.add(p);
        return p;
    }

    @Test
    void hamctrlTourRestartsAKilledProcess() {
        assertEquals(0, hamctrl("start", "web", "/bin/sleep 1000").status());
        assertEquals(0, hamctrl("condition", "web", "CONDDEATH", "death", "HREARMAFTERRESTART").status());
        Child.Result add = hamctrl("restart", "web/death", "restart", "/bin/sleep 1000", "HREARMAFTERRESTART");
        assertEquals(0, add.status(), add.out());
        assertEquals(".info\nweb\n", hamctrl("ls").out());
        assertEquals(".info\ndeath\n", hamctrl("ls", "web").out());
        String action = hamctrl("cat", "web/death/restart").out();
        assertTrue(action.contains("Path : web/death/restart") && action.contains("Action ReArm : ON")
                && action.contains("Restart Line : /bin/sleep 1000"), action);
        long first = awaitNewPid("web", 0);

        assertEquals(0, Child.run("/bin/kill", "-9", Long.toString(first)).status());

        long second = awaitNewPid("web", first);
        Await.until("Num Restarts : 1", () -> hamctrl("cat", "web").out().contains("Num Restarts : 1"));
        assertTrue(hamctrl("log", "50").out().contains("restarted: entity 'web' pid " + first + " -> " + second));
        String top = hamctrl("cat", ".info").out();
        assertTrue(top.contains("Num Entities : 1") && top.contains("Num Actions : 1"), top);

        // Errors come back as errno text and exit status 1; bad usage is 2.
        Child.Result dup = hamctrl("start", "web", "/bin/sleep 1");
        assertEquals(1, dup.status());
        assertTrue(dup.out().contains("EEXIST: entity 'web' already exists"), dup.out());
        assertEquals(2, hamctrl("condition", "web").status());
        Child.Result missing = hamctrl("ls", "nosuch");
        assertEquals(1, missing.status());
        assertTrue(missing.out().startsWith("hamctrl: ENOENT: "), missing.out());

        // Verbosity: -verbose increments, +verbose decrements, =verbose reads.
        assertEquals("3", hamctrl("-verbose").out().trim());
        assertEquals("2", hamctrl("+verbose").out().trim());
        assertEquals("2", hamctrl("=verbose").out().trim());

        // -stop stops the HAM; the monitored process keeps running.
        assertEquals(0, hamctrl("-stop").status());
        Await.until("the HAM process to exit", () -> !ham.process.isAlive());
        assertTrue(ProcessHandle.of(second).map(ProcessHandle::isAlive).orElse(false));
        assertTrue(Files.exists(state.resolve("activity.log")));
    }

    @Test
    void visibleByLocalPidTheWayJConsoleConnects() throws Exception {
        // JConsole's local-pid path: attach, start the local management agent, connect, list MBeans.
        com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(
                Long.toString(ham.process.pid()));
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        try (javax.management.remote.JMXConnector c = javax.management.remote.JMXConnectorFactory.connect(
                new javax.management.remote.JMXServiceURL(address))) {
            javax.management.MBeanServerConnection s = c.getMBeanServerConnection();
            assertTrue(s.isRegistered(org.jham.mbean.ObjectNames.HAM));
            assertTrue(s.isRegistered(org.jham.mbean.ObjectNames.entity(null)), "the global entity");
            assertEquals(ham.process.pid(), s.getAttribute(org.jham.mbean.ObjectNames.HAM, "HamPid"));
        }
    }

    @Test
    void jmxtermScriptSetsUpSimpleRestart() throws Exception {
        Path script = Child.TOP.resolve("samples/jmxterm/simple-restart.jmx");
        Child.Result r = Child.run("bash", Child.TOP.resolve("samples/jmxterm/run.sh").toString(), script.toString(), node);
        assertEquals(0, r.status(), r.out());
        long first = awaitNewPid("sleeper", 0);
        assertTrue(r.out().contains(Long.toString(first)), "the script printed the pid: " + r.out());

        assertEquals(0, Child.run("/bin/kill", "-9", Long.toString(first)).status());

        awaitNewPid("sleeper", first);
        Await.until("Num Restarts : 1", () -> hamctrl("cat", "sleeper").out().contains("Num Restarts : 1"));
        Await.until("the log action ran", () -> hamctrl("log", "50").out().contains("sleeper was restarted"));
    }

    @Test
    void javaagentInstallsAHamInsideAHostJvm() throws Exception {
        Path agentState = Files.createTempDirectory("jham-agent");
        String jar = Child.MODULE.resolve("target/ham-agent.jar").toString();
        try (Child.Live host = new Child.Live(List.of(Child.JAVA,
                "-javaagent:" + jar + "=port=0,guardian=false,statedir=" + agentState + ",verbosity=2",
                "-cp", Child.MODULE.resolve("target/test-classes").toString(), "org.jham.agent.testing.SleepForever"))) {
            pids.add(host.process.pid());
            String agentNode = host.await("jham agent: HAM listening on service:jmx:jmxmp://(127\\.0\\.0\\.1:\\d+)");
            List<String> cmd = List.of(Child.TOP.resolve("bin/hamctrl").toString(), "-node", agentNode, "cat", ".info");
            Child.Result info = Child.run(cmd);
            assertEquals(0, info.status(), info.out());
            assertTrue(info.out().contains("Ham Pid : " + host.process.pid()), info.out());
            assertTrue(host.process.isAlive(), "the host application keeps running");
        }
    }

    @Test
    void agentLoadedIntoARunningJvmInstallsAHam() throws Exception {
        Path agentState = Files.createTempDirectory("jham-agentmain");
        String jar = Child.MODULE.resolve("target/ham-agent.jar").toString();
        try (Child.Live host = new Child.Live(List.of(Child.JAVA, "-cp",
                Child.MODULE.resolve("target/test-classes").toString(), "org.jham.agent.testing.SleepForever"))) {
            pids.add(host.process.pid());
            host.await("(sleeping)");
            com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(
                    Long.toString(host.process.pid()));
            try {
                vm.loadAgent(jar, "port=0,guardian=false,statedir=" + agentState);
            } finally {
                vm.detach();
            }
            String agentNode = host.await("jham agent: HAM listening on service:jmx:jmxmp://(127\\.0\\.0\\.1:\\d+)");
            Child.Result info = Child.run(List.of(Child.TOP.resolve("bin/hamctrl").toString(), "-node", agentNode,
                    "cat", ".info"));
            assertTrue(info.out().contains("Ham Pid : " + host.process.pid()), info.out());
        }
    }

    @Test
    void badAgentOptionsLeaveTheHostRunning() throws Exception {
        String jar = Child.MODULE.resolve("target/ham-agent.jar").toString();
        try (Child.Live host = new Child.Live(List.of(Child.JAVA, "-javaagent:" + jar + "=port=banana",
                "-cp", Child.MODULE.resolve("target/test-classes").toString(), "org.jham.agent.testing.SleepForever"))) {
            pids.add(host.process.pid());
            host.await("(jham agent: not started: EINVAL)");
            host.await("(sleeping)");
            assertFalse(host.output().contains("Exception in thread"), host.output());
        }
    }
}
