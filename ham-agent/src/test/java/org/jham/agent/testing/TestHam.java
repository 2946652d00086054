package org.jham.agent.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.JMX;
import javax.management.MBeanServerFactory;
import javax.management.Notification;
import javax.management.openmbean.CompositeData;
import org.jham.Ham;
import org.jham.HamConnection;
import org.jham.agent.launch.HamOptions;
import org.jham.agent.launch.HamServer;
import org.jham.mbean.ConditionMXBean;
import org.jham.mbean.EntityMXBean;
import org.jham.mbean.HamMXBean;
import org.jham.mbean.ObjectNames;

/**
 * A real HAM for functional tests: its own MBeanServer, a real JMXMP connector on an ephemeral
 * loopback port, a temporary state directory; a client connection to it; and cleanup of every
 * process the test or the HAM started, by pid.
 */
public final class TestHam implements AutoCloseable {
    public final Path stateDir;
    public final HamServer server;
    public final String node;
    public final HamConnection connection;
    public final List<CompositeData> fired = new CopyOnWriteArrayList<>();
    private final Set<Long> pids = ConcurrentHashMap.newKeySet();

    public TestHam(String... extraOptions) throws IOException {
        stateDir = Files.createTempDirectory("jham-test");
        List<String> opts = new ArrayList<>(List.of("--port", "0", "--state-dir", stateDir.toString(), "--fresh",
                "-V3", "-t", "relative", "-f", stateDir.resolve("activity.log").toString(), "--poll-ms", "10"));
        opts.addAll(List.of(extraOptions));
        server = HamServer.start(HamOptions.parse(opts.toArray(new String[0])), MBeanServerFactory.newMBeanServer(),
                HamServer.GuardianLink.NONE, () -> { });
        node = "127.0.0.1:" + server.port();
        connection = Ham.connect(node);
        try {
            connection.mbeanServer().addNotificationListener(ObjectNames.HAM, (Notification n, Object h) -> {
                if (ObjectNames.NOTIF_CONDITION.equals(n.getType())) {
                    fired.add((CompositeData) n.getUserData());
                }
            }, null, null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public HamMXBean ham() {
        return JMX.newMXBeanProxy(connection.mbeanServer(), ObjectNames.HAM, HamMXBean.class);
    }

    public EntityMXBean entity(String ename) {
        return JMX.newMXBeanProxy(connection.mbeanServer(), ObjectNames.entity(ename), EntityMXBean.class);
    }

    public ConditionMXBean condition(String ename, String cname) {
        return JMX.newMXBeanProxy(connection.mbeanServer(), ObjectNames.condition(ename, cname), ConditionMXBean.class);
    }

    /** Remembers a pid to kill at the end of the test. */
    /** A /bin/sleep started by the HAM as {@code name}, running. */
    public org.jham.EntityHandle sleeper(String name, int flags) {
        org.jham.EntityHandle e = Ham.attach(name, node, -1, "/bin/sleep 1000", flags);
        awaitPid(name, 0);
        return e;
    }

    public org.jham.mbean.ActionMXBean action(String ename, String cname, String aname) {
        return connection.proxy(org.jham.mbean.ActionMXBean.class, ObjectNames.action(ename, cname, aname));
    }

    public boolean hasAction(String ename, String cname, String aname) {
        return java.util.Arrays.asList(condition(ename, cname).getActionNames()).contains(aname);
    }

    public long track(long pid) {
        pids.add(pid);
        return pid;
    }

    /** The entity's current pid once it is alive and different from {@code not}; tracked for cleanup. */
    public long awaitPid(String ename, long not) {
        return track(Await.value("entity " + ename + " to run with a pid other than " + not, () -> {
            long p = entity(ename).getEntityPid();
            return p > 0 && p != not && ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false) ? p : null;
        }));
    }

    public long firedCount(String path, String event) {
        return fired.stream().filter(c -> c.get("path").equals(path) && c.get("event").equals(event)).count();
    }

    /**
     * Whether a log action wrote {@code message}: a line that is the message after its stamp, or
     * after its action's path prefix (attachprefix).
     */
    public boolean activityLine(String message) {
        for (String line : ham().getRecentActivity()) {
            if (line.endsWith("] " + message) || line.endsWith(": " + message)) {
                return true;
            }
        }
        return false;
    }

    public boolean activityContains(String text) {
        for (String line : ham().getRecentActivity()) {
            if (line.contains(text)) {
                return true;
            }
        }
        return false;
    }

    public static void kill(long pid, String signal) {
        try {
            Process k = new ProcessBuilder("/bin/kill", "-" + signal, Long.toString(pid)).inheritIO().start();
            if (k.waitFor() != 0) {
                throw new AssertionError("kill -" + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        try {
            if (server.awaitStopped(java.time.Duration.ZERO)) {
                // No calls to a stopped HAM: OpenDMK's client may deadlock failing over a dead link.
                throw new IllegalStateException("stopped");
            }
            for (String e : ham().getEntityNames()) {
                long p = entity(e).getEntityPid();
                if (p > 0) {
                    pids.add(p);
                }
            }
        } catch (RuntimeException ignored) {
            // The HAM may already be stopped by the test; the pids seen so far are still killed.
        }
        try {
            connection.close();
        } finally {
            server.stop(true);
            for (long p : pids) {
                ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
