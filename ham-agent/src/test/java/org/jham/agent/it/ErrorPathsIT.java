package org.jham.agent.it;

import static org.jham.HamConstants.CONDDEATH;
import static org.jham.HamConstants.CONDDETACH;
import static org.jham.HamConstants.CONDRESTART;
import static org.jham.HamConstants.HREARMAFTERRESTART;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.management.MBeanServerFactory;
import org.jham.ActionHandle;
import org.jham.ConditionHandle;
import org.jham.EntityHandle;
import org.jham.Errno;
import org.jham.Ham;
import org.jham.HamException;
import org.jham.agent.launch.HamOptions;
import org.jham.agent.launch.HamServer;
import org.jham.agent.testing.TestHam;
import org.jham.mbean.HamMXBean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every error of the foundation API gets its errno and changes nothing in the HAM. */
class ErrorPathsIT {
    private TestHam t;
    private EntityHandle e;
    private ConditionHandle death;

    @BeforeEach
    void start() throws Exception {
        t = new TestHam();
        e = Ham.attach("svc", t.node, -1, "/bin/sleep 1000", 0);
        death = e.condition(CONDDEATH, "death", HREARMAFTERRESTART);
        death.actionRestart("restart", "/bin/sleep 1000", HREARMAFTERRESTART);
        t.awaitPid("svc", 0);
    }

    @AfterEach
    void stop() {
        t.close();
    }

    private String tree() {
        HamMXBean h = t.ham();
        return h.getNumEntities() + "/" + h.getNumConditions() + "/" + h.getNumActions() + " "
                + String.join(",", h.getEntityNames());
    }

    /** Asserts the errno and that the tree is unchanged. */
    private void fails(Errno expected, Executable call) {
        String before = tree();
        HamException ex = assertThrows(HamException.class, call);
        assertEquals(expected, ex.errno(), ex.getMessage());
        assertTrue(ex.getMessage().startsWith(expected.name() + ": "), ex.getMessage());
        assertEquals(before, tree(), "a refused call changed the tree");
    }

    @Test
    void badNames() {
        fails(Errno.EINVAL, () -> Ham.attach("a/b", t.node, -1, "/bin/sleep 1", 0));
        fails(Errno.EINVAL, () -> Ham.attach(null, t.node, -1, "/bin/sleep 1", 0));
        fails(Errno.EINVAL, () -> Ham.attach("", t.node, -1, "/bin/sleep 1", 0));
        fails(Errno.EINVAL, () -> e.condition(CONDDEATH, "x/y", 0));
        fails(Errno.EINVAL, () -> death.actionLog("a/b", "m", 0, 1, 0));
        fails(Errno.ENAMETOOLONG, () -> Ham.attach("n".repeat(256), t.node, -1, "/bin/sleep 1", 0));
        // Combined path "svc/death/<aname>" longer than 255.
        fails(Errno.ENAMETOOLONG, () -> death.actionLog("a".repeat(255 - "svc/death/".length() + 1), "m", 0, 1, 0));
        ActionHandle fits = death.actionLog("a".repeat(255 - "svc/death/".length()), "m", 0, 1, 0);
        fits.remove(0);
    }

    @Test
    void duplicates() {
        fails(Errno.EEXIST, () -> Ham.attach("svc", t.node, -1, "/bin/sleep 1", 0));
        fails(Errno.EEXIST, () -> Ham.entity("svc", t.node, 0));
        fails(Errno.EEXIST, () -> e.condition(CONDDEATH, "death", 0));
        fails(Errno.EEXIST, () -> death.actionLog("restart", "m", 0, 1, 0));
        ConditionHandle other = e.condition(CONDDEATH, "death2", 0);
        fails(Errno.EEXIST, () -> other.actionRestart("again", "/bin/sleep 1", 0));
    }

    @Test
    void badFlagsTypesAndLines() {
        fails(Errno.EINVAL, () -> Ham.attach("x", t.node, -1, "/bin/sleep 1", 0x40));
        fails(Errno.EINVAL, () -> e.condition(CONDDEATH, "c", 0x40000));
        fails(Errno.EINVAL, () -> e.condition(42, "c", 0));
        fails(Errno.EINVAL, () -> death.actionLog("l", "m", 0, 1, 0x100));
        ConditionHandle restarted = e.condition(CONDRESTART, "r", 0);
        fails(Errno.EINVAL, () -> restarted.actionRestart("x", "/bin/sleep 1", 0));
        fails(Errno.EINVAL, () -> Ham.attach("x", t.node, -1, "sleep 1", 0));
        fails(Errno.EINVAL, () -> Ham.attach("x", t.node, -1, "/bin/sleep 'unterminated", 0));
        fails(Errno.EINVAL, () -> Ham.attach("x", t.node, 0, null, 0));
        fails(Errno.EINVAL, () -> Ham.attach("x", t.node, -7, "/bin/sleep 1", 0));
        fails(Errno.EINVAL, () -> Ham.detachName(t.node, null, 0));
        fails(Errno.EINVAL, () -> Ham.verbose(t.node, 99, 0));
        ConditionHandle global = Ham.entityHandle(t.node, null, 0).condition(CONDDEATH, "g", 0);
        fails(Errno.EINVAL, () -> global.actionRestart("r", "/bin/sleep 1", 0));
    }

    @Test
    void missingThings() {
        fails(Errno.ENOENT, () -> Ham.attach("x", t.node, -1, "/no/such/program", 0));
        fails(Errno.ESRCH, () -> Ham.attach("x", t.node, 999_999_999L, null, 0));
        fails(Errno.ENOENT, () -> Ham.entityHandle(t.node, "nobody", 0));
        fails(Errno.ENOENT, () -> Ham.conditionHandle(t.node, "svc", "nothing", 0));
        fails(Errno.ENOENT, () -> Ham.actionHandle(t.node, "svc", "death", "nothing", 0));
        fails(Errno.ENOENT, () -> Ham.detachName(t.node, "nobody", 0));
    }

    @Test
    void staleAndFreedHandles() {
        EntityHandle other = Ham.attach("other", t.node, -1, "/bin/sleep 1000", 0);
        ConditionHandle c = other.condition(CONDDETACH, "d", 0);
        t.awaitPid("other", 0);
        Ham.detachName(t.node, "other", 0);
        fails(Errno.ENOENT, () -> other.condition(CONDDEATH, "again", 0));
        fails(Errno.ENOENT, () -> c.actionLog("l", "m", 0, 1, 0));
        EntityHandle h = Ham.entityHandle(t.node, "svc", 0);
        h.free();
        fails(Errno.EINVAL, () -> h.condition(CONDDEATH, "z", 0));
        fails(Errno.EINVAL, h::free);
        // Freeing a handle never removes the object in the HAM.
        death.free();
        assertEquals(1, t.condition("svc", "death").getNumActions());
    }

    @Test
    void notConnectedOrUnreachable() {
        t.connection.close();
        try {
            HamException notConnected = assertThrows(HamException.class, () -> Ham.entityHandle(t.node, "svc", 0));
            assertEquals(Errno.EBADF, notConnected.errno());
        } finally {
            // Balance the count: TestHam.close() disconnects once more.
            Ham.connect(t.node);
        }
        HamException ex = assertThrows(HamException.class, () -> Ham.attach("x", "127.0.0.1:1", -1, "/bin/sleep 1", 0));
        assertEquals(Errno.EBADF, ex.errno());
    }

    @Test
    void nonLoopbackBindIsRefused() throws Exception {
        String external = java.net.InetAddress.getLocalHost().getHostAddress();
        if (java.net.InetAddress.getByName(external).isLoopbackAddress()) {
            external = "0.0.0.0";
        }
        HamOptions o = HamOptions.parse("--bind", external, "--port", "0", "--state-dir",
                t.stateDir.resolve("other").toString());
        HamException ex = assertThrows(HamException.class,
                () -> HamServer.start(o, MBeanServerFactory.newMBeanServer(), HamServer.GuardianLink.NONE, () -> { }));
        assertEquals(Errno.EACCES, ex.errno());
        assertTrue(ex.getMessage().contains("loopback"), ex.getMessage());
    }

    @Test
    void theListenerIsOnLoopbackOnly() throws Exception {
        // /proc/net/tcp and tcp6: "local_address" as hex IP:port, state 0A = LISTEN. A JVM socket
        // bound to 127.0.0.1 shows in tcp6 as the IPv4-mapped ::ffff:127.0.0.1.
        String port = String.format(":%04X", t.server.port());
        java.util.List<String> listening = new java.util.ArrayList<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            java.nio.file.Files.readAllLines(java.nio.file.Path.of(table)).stream().skip(1).map(String::trim)
                    .map(l -> l.split("\\s+")).filter(f -> f[1].endsWith(port) && f[3].equals("0A"))
                    .forEach(f -> listening.add(f[1]));
        }
        assertEquals(1, listening.size(), "one listener: " + listening);
        assertTrue(listening.get(0).equals("0100007F" + port)
                || listening.get(0).equals("0000000000000000FFFF00000100007F" + port),
                "listening on 127.0.0.1 only, not " + listening);
    }

    @Test
    void secondHamOnTheSameStateDirectoryIsRefused() {
        HamOptions o = HamOptions.parse("--port", "0", "--state-dir", t.stateDir.toString());
        HamException ex = assertThrows(HamException.class,
                () -> HamServer.start(o, MBeanServerFactory.newMBeanServer(), HamServer.GuardianLink.NONE, () -> { }));
        assertEquals(Errno.EBUSY, ex.errno());
    }
}
