package org.jham;

import static org.jham.HamConstants.CONDDEATH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.UndeclaredThrowableException;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import javax.management.InstanceNotFoundException;
import javax.management.JMX;
import org.jham.mbean.EntityMXBean;
import org.jham.mbean.ObjectNames;
import org.jham.testing.Await;
import org.jham.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Handles and errno mapping through the public API, against a stand-in HAM over real JMXMP. */
class HandleTest {
    private TestServer s;
    private HamConnection conn;

    @BeforeEach
    void start() throws Exception {
        s = new TestServer();
        conn = Ham.connect(s.node);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            while (conn.refCount() > 0) {
                conn.close();
            }
        } finally {
            s.close();
        }
    }

    private static HamException fails(Errno expected, Executable call) {
        HamException e = assertThrows(HamException.class, call);
        assertEquals(expected, e.errno(), e.getMessage());
        assertTrue(e.getMessage().startsWith(expected.name() + ": "), e.getMessage());
        return e;
    }

    private boolean exists(javax.management.ObjectName n) {
        return s.mbs.isRegistered(n);
    }

    @Test
    void attachConditionActionsAndRemove() {
        EntityHandle e = Ham.attach("svc", s.node, -1, "/bin/sleep 1000", 0);
        assertEquals("svc", e.name());
        assertFalse(e.isGlobal());
        assertEquals(4242, e.pid());
        assertEquals("Entity Name : svc\n", e.info());
        assertEquals(1, conn.refCount(), "attach balanced its own connect");

        ConditionHandle death = e.condition(CONDDEATH, "death", HamConstants.HREARMAFTERRESTART);
        assertEquals("death", death.name());
        assertEquals("svc", death.entityName());
        ActionHandle restart = death.actionRestart("restart", "/bin/sleep 1000", 0);
        ActionHandle run = death.actionExecute("run", "/bin/true", 0);
        ActionHandle log = death.actionLog("log", "it died", 1, 1, 0);
        assertTrue(exists(ObjectNames.action("svc", "death", "restart")));
        assertTrue(restart.info().contains("RESTART"));
        assertEquals("death", run.conditionName());
        assertEquals("log", log.name());

        ActionHandle again = Ham.actionHandle(s.node, "svc", "death", "run", 0);
        again.remove(0);
        assertFalse(exists(ObjectNames.action("svc", "death", "run")));
        // The first handle to the removed action is now stale.
        fails(Errno.ENOENT, run::info);

        ConditionHandle byName = Ham.conditionHandle(s.node, "svc", "death", 0);
        assertEquals("svc", byName.entity().name());
        byName.remove(0);
        assertFalse(exists(ObjectNames.condition("svc", "death")));
        fails(Errno.ENOENT, death::info);
    }

    @Test
    void theGlobalEntity() {
        EntityHandle g = Ham.entityHandle(s.node, null, 0);
        assertTrue(g.isGlobal());
        assertNull(g.name());
        assertTrue(Ham.entityHandle(s.node, "", 0).isGlobal());
        assertTrue(Ham.entityHandle(s.node, "/", 0).isGlobal());
        ConditionHandle any = g.condition(HamConstants.CONDDETACH, "anydetach", 0);
        any.actionLog("l", "someone left", 1, 1, 0);
        assertTrue(exists(ObjectNames.action(null, "anydetach", "l")));
        assertNull(Ham.conditionHandle(s.node, null, "anydetach", 0).entityName());
        fails(Errno.EINVAL, () -> g.detach(0));
        // Path of the global entity's action: "/anydetach/<aname>".
        fails(Errno.ENAMETOOLONG, () -> any.actionLog("a".repeat(255 - "/anydetach/".length() + 1), "m", 0, 1, 0));
        any.actionLog("a".repeat(255 - "/anydetach/".length()), "m", 0, 1, 0);
    }

    @Test
    void detachAndDetachNameConnectOnTheirOwn() {
        EntityHandle e = Ham.attach("one", s.node, 1234, null, 0);
        Ham.entity("two", s.node, 0);
        conn.close();
        e.detach(0);
        assertFalse(exists(ObjectNames.entity("one")));
        Ham.detachName(s.node, "two", 0);
        assertFalse(exists(ObjectNames.entity("two")));
        fails(Errno.ENOENT, () -> Ham.detachName(s.node, "two", 0));
        fails(Errno.ENOENT, () -> e.detach(0));
        assertEquals(0, conn.refCount());
        Await.until("no connection left", () -> s.connectionIds().isEmpty());
    }

    @Test
    void errnoPrefixesFromTheHamAreMappedBack() {
        Ham.attach("svc", s.node, -1, "/bin/sleep 1000", 0);
        HamException dup = fails(Errno.EEXIST, () -> Ham.attach("svc", s.node, -1, "/bin/sleep 1000", 0));
        assertEquals("entity 'svc' already exists", dup.detail());
        fails(Errno.EEXIST, () -> Ham.entity("svc", s.node, 0));
        fails(Errno.ENOENT, () -> Ham.entityHandle(s.node, "nobody", 0));
        fails(Errno.ENOENT, () -> Ham.conditionHandle(s.node, "svc", "none", 0));
        fails(Errno.ENOENT, () -> Ham.actionHandle(s.node, "svc", "none", "none", 0));
        fails(Errno.EINVAL, () -> Ham.verbose(s.node, 99, 0));
        fails(Errno.EINVAL, () -> Ham.entityHandle(s.node, "svc", 0).condition(42, "c", 0));
        assertEquals(3, Ham.verbose(s.node, HamConstants.VERBOSE_SET, 3));
        assertEquals(4, Ham.verbose(s.node, HamConstants.VERBOSE_SET_INCR, 0));
        assertEquals(4, Ham.verbose(s.node, HamConstants.VERBOSE_GET, 0));
    }

    @Test
    void whateverTheHamThrowsBecomesAnErrno() {
        inject(() -> new IllegalStateException("EEXIST: injected"));
        HamException e = fails(Errno.EEXIST, () -> conn.ham().getInfo());
        assertEquals("injected", e.detail());
        inject(() -> new NoSuchElementException("ENOENT: injected"));
        fails(Errno.ENOENT, () -> conn.ham().getInfo());
        inject(() -> new NoSuchElementException("no prefix"));
        fails(Errno.ENOENT, () -> conn.ham().getInfo());
        inject(() -> new SecurityException("Access denied"));
        fails(Errno.EACCES, () -> conn.ham().getInfo());
        inject(() -> new IllegalStateException("no errno"));
        fails(Errno.EIO, () -> conn.ham().getInfo());
        inject(() -> new AssertionError("a bug in the HAM"));
        fails(Errno.EIO, () -> Ham.verbose(s.node, HamConstants.VERBOSE_GET, 0));
        inject(null);
        assertEquals(1, conn.refCount(), "the calls that connect on their own balanced their counts");
    }

    private void inject(Supplier<? extends Throwable> failure) {
        s.ham.failure = failure;
    }

    @Test
    void anObjectThatIsGoneIsEnoent() throws Exception {
        EntityHandle e = Ham.attach("svc", s.node, -1, "/bin/sleep 1000", 0);
        ConditionHandle c = e.condition(CONDDEATH, "death", 0);
        s.mbs.unregisterMBean(ObjectNames.condition("svc", "death"));
        HamException gone = fails(Errno.ENOENT, () -> c.actionLog("l", "m", 0, 1, 0));
        assertTrue(gone.getMessage().contains("jham:type=Condition,entity=svc,condition=death"), gone.getMessage());
        Ham.detachName(s.node, "svc", 0);
        fails(Errno.ENOENT, e::info);
        fails(Errno.ENOENT, () -> e.condition(CONDDEATH, "again", 0));
        // A raw proxy over mbeanServer() gets the plain JMX error; the handles map it.
        UndeclaredThrowableException raw = assertThrows(UndeclaredThrowableException.class,
                () -> JMX.newMXBeanProxy(conn.mbeanServer(), ObjectNames.entity("svc"), EntityMXBean.class).getInfo());
        assertTrue(raw.getCause() instanceof InstanceNotFoundException, String.valueOf(raw.getCause()));
    }

    @Test
    void freedHandlesAreEinvalAndFreeingNeverRemoves() {
        EntityHandle e = Ham.attach("svc", s.node, -1, "/bin/sleep 1000", 0);
        ConditionHandle c = e.condition(CONDDEATH, "death", 0);
        ActionHandle a = c.actionLog("log", "m", 0, 1, 0);
        e.free();
        c.free();
        a.free();
        assertTrue(e.isFreed());
        HamException used = fails(Errno.EINVAL, e::info);
        assertEquals("EINVAL: handle to entity 'svc' on " + conn.node().key() + " was freed", used.getMessage());
        fails(Errno.EINVAL, () -> e.condition(CONDDEATH, "x", 0));
        fails(Errno.EINVAL, () -> e.detach(0));
        fails(Errno.EINVAL, () -> c.actionLog("l2", "m", 0, 1, 0));
        fails(Errno.EINVAL, () -> c.remove(0));
        fails(Errno.EINVAL, c::entity);
        fails(Errno.EINVAL, () -> a.remove(0));
        HamException twice = fails(Errno.EINVAL, a::free);
        assertTrue(twice.getMessage().contains("action 'svc/death/log'"), twice.getMessage());
        assertTrue(exists(ObjectNames.entity("svc")));
        assertTrue(exists(ObjectNames.condition("svc", "death")));
        assertTrue(exists(ObjectNames.action("svc", "death", "log")));
        // A new handle to the same object works.
        assertEquals("log", Ham.actionHandle(s.node, "svc", "death", "log", 0).name());
    }

    @Test
    void badNamesAreRefusedBeforeAnyRemoteCall() {
        EntityHandle e = Ham.attach("svc", s.node, -1, "/bin/sleep 1000", 0);
        ConditionHandle death = e.condition(CONDDEATH, "death", 0);
        // The HAM would say EEXIST or EIO to anything that reached it.
        inject(() -> new IllegalStateException("EIO: the call reached the HAM"));
        fails(Errno.EINVAL, () -> Ham.attach("a/b", s.node, -1, "/bin/sleep 1", 0));
        fails(Errno.EINVAL, () -> Ham.attach(null, s.node, -1, "/bin/sleep 1", 0));
        fails(Errno.EINVAL, () -> Ham.attach("", s.node, -1, "/bin/sleep 1", 0));
        fails(Errno.ENAMETOOLONG, () -> Ham.attach("n".repeat(256), s.node, -1, "/bin/sleep 1", 0));
        fails(Errno.EINVAL, () -> Ham.entity("x/y", s.node, 0));
        fails(Errno.EINVAL, () -> Ham.detachName(s.node, null, 0));
        fails(Errno.EINVAL, () -> Ham.entityHandle(s.node, "a/b", 0));
        fails(Errno.EINVAL, () -> Ham.conditionHandle(s.node, "svc", null, 0));
        fails(Errno.EINVAL, () -> Ham.actionHandle(s.node, "svc", "death", "", 0));
        fails(Errno.EINVAL, () -> e.condition(CONDDEATH, "x/y", 0));
        fails(Errno.EINVAL, () -> death.actionLog("a/b", "m", 0, 1, 0));
        fails(Errno.EINVAL, () -> death.actionRestart(null, "/bin/sleep 1", 0));
        fails(Errno.ENAMETOOLONG, () -> death.actionExecute("a".repeat(255 - "svc/death/".length() + 1), "/bin/true", 0));
        fails(Errno.ENAMETOOLONG, () -> Ham.actionHandle(s.node, "svc", "death", "a".repeat(246), 0));
        inject(null);
        ActionHandle fits = death.actionLog("a".repeat(255 - "svc/death/".length()), "m", 0, 1, 0);
        fits.remove(0);
    }

    @Test
    void stopAsksTheHamAndBalancesItsConnect() {
        Ham.stop(s.node);
        assertEquals("graceful", s.ham.stopMode);
        Ham.stop(s.node, true);
        assertEquals("abrupt", s.ham.stopMode);
        assertEquals(1, conn.refCount());
    }

    @Test
    void aHamThatDropsTheConnectionWhileStoppingIsSuccess() {
        s.ham.onStop = () -> new Thread(() -> {
            try {
                s.stop();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }, "test-stop-server").start();
        conn.close();
        Ham.stop(s.node);
        Await.until("the server to stop", () -> !s.server.isActive());
        assertEquals(0, conn.refCount());
    }
}
