package org.jham.agent.it;

import static org.jham.HamConstants.CONDDEATH;
import static org.jham.HamConstants.CONDRAISE;
import static org.jham.HamConstants.HGETFLAGS;
import static org.jham.HamConstants.HREARMAFTERRESTART;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.jham.ActionHandle;
import org.jham.ConditionHandle;
import org.jham.EntityHandle;
import org.jham.Errno;
import org.jham.Ham;
import org.jham.agent.testing.Await;
import org.jham.agent.testing.TestHam;
import org.jham.mbean.HamMXBean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * ham_entity_handle, ham_condition_handle, ham_action_handle (local and _node forms), the
 * _handle_free calls, ham_condition_remove and ham_action_remove, against a HAM monitoring a real
 * process: what a handle names, what it does once freed or once its item is gone, and every errno
 * of the guide for them.
 */
class HandlesIT {
    private TestHam t;
    private long pid;

    @BeforeEach
    void start() throws Exception {
        t = new TestHam();
        EntityHandle e = Ham.attach("svc", t.node, -1, "/bin/sleep 1000", 0);
        ConditionHandle death = e.condition(CONDDEATH, "death", HREARMAFTERRESTART);
        death.actionRestart("restart", "/bin/sleep 1000", HREARMAFTERRESTART);
        death.actionLog("say", "svc died", 0, 1, HREARMAFTERRESTART);
        pid = t.awaitPid("svc", 0);
    }

    @AfterEach
    void stop() {
        t.close();
    }

    /** The HAM's own checks, past the library's: its MBean as any JMX client calls it. */
    private HamMXBean raw() {
        return t.connection.ham();
    }

    private String tree() {
        HamMXBean h = t.ham();
        return h.getNumEntities() + "/" + h.getNumConditions() + "/" + h.getNumActions();
    }

    private void refusedUnchanged(Errno errno, Executable call) {
        String before = tree();
        Notified.refused(errno, call);
        assertEquals(before, tree(), "a refused call changed the tree");
    }

    @Test
    void handlesNameExistingItemsAndWorkOnThem() {
        EntityHandle e = Ham.entityHandle(t.node, "svc", 0);
        assertEquals("svc", e.name());
        assertFalse(e.isGlobal());
        assertEquals(pid, e.pid());
        assertTrue(e.info().startsWith("Path : svc\n"), e.info());
        ConditionHandle c = Ham.conditionHandle(t.node, "svc", "death", 0);
        assertEquals("svc", c.entityName());
        assertEquals("death", c.name());
        assertTrue(c.info().startsWith("Path : svc/death\n"), c.info());
        ActionHandle a = Ham.actionHandle(t.node, "svc", "death", "say", 0);
        assertEquals("death", a.conditionName());
        assertEquals("say", a.name());
        assertTrue(a.info().startsWith("Path : svc/death/say\n"), a.info());
        assertEquals(HREARMAFTERRESTART, a.control(HGETFLAGS, 0));

        // A looked-up handle is as good as the one the add returned.
        e.condition(CONDRAISE, "raised", 0);
        c.actionLog("more", "m", 0, 1, 0);
        assertArrayEquals(new String[] {"death", "raised"}, t.entity("svc").getConditionNames());
        assertArrayEquals(new String[] {"restart", "say", "more"}, t.condition("svc", "death").getActionNames());

        // The forms without a node name go to the local HAM (here: jham.node names the test's HAM).
        String old = System.getProperty("jham.node");
        System.setProperty("jham.node", t.node);
        try {
            Ham.connect();
            try {
                assertEquals(pid, Ham.entityHandle(null, "svc", 0).pid());
                assertTrue(Ham.conditionHandle(null, "svc", "raised", 0).info().contains("Condition type : CONDRAISE\n"));
                assertTrue(Ham.actionHandle(null, "svc", "death", "more", 0).info().startsWith("Path : svc/death/more\n"));
            } finally {
                Ham.disconnect();
            }
        } finally {
            if (old == null) {
                System.clearProperty("jham.node");
            } else {
                System.setProperty("jham.node", old);
            }
        }
    }

    @Test
    void missingItemsAreEnoent() {
        refusedUnchanged(Errno.ENOENT, () -> Ham.entityHandle(t.node, "nobody", 0));
        refusedUnchanged(Errno.ENOENT, () -> Ham.conditionHandle(t.node, "svc", "nothing", 0));
        refusedUnchanged(Errno.ENOENT, () -> Ham.conditionHandle(t.node, "nobody", "death", 0));
        refusedUnchanged(Errno.ENOENT, () -> Ham.conditionHandle(t.node, null, "death", 0));
        refusedUnchanged(Errno.ENOENT, () -> Ham.actionHandle(t.node, "svc", "death", "nothing", 0));
        refusedUnchanged(Errno.ENOENT, () -> Ham.actionHandle(t.node, "svc", "nothing", "say", 0));
        refusedUnchanged(Errno.ENOENT, () -> Ham.actionHandle(t.node, "nobody", "death", "say", 0));
        refusedUnchanged(Errno.ENOENT, () -> Ham.actionHandle(t.node, null, "death", "say", 0));
        refusedUnchanged(Errno.ENOENT, () -> raw().entityHandle("nobody", ""));
        refusedUnchanged(Errno.ENOENT, () -> raw().actionHandle("svc", "death", "nothing", ""));
    }

    @Test
    void badNamesAndFlagsAreEinval() {
        refusedUnchanged(Errno.EINVAL, () -> Ham.entityHandle(t.node, "s/v", 0));
        refusedUnchanged(Errno.EINVAL, () -> Ham.conditionHandle(t.node, "s/v", "death", 0));
        refusedUnchanged(Errno.EINVAL, () -> Ham.conditionHandle(t.node, "svc", "de/ath", 0));
        refusedUnchanged(Errno.EINVAL, () -> Ham.conditionHandle(t.node, "svc", null, 0));
        refusedUnchanged(Errno.EINVAL, () -> Ham.conditionHandle(t.node, "svc", "", 0));
        refusedUnchanged(Errno.EINVAL, () -> Ham.actionHandle(t.node, "svc", "death", "s/ay", 0));
        refusedUnchanged(Errno.EINVAL, () -> Ham.actionHandle(t.node, "svc", "death", null, 0));
        refusedUnchanged(Errno.EINVAL, () -> Ham.actionHandle(t.node, "svc", null, "say", 0));
        refusedUnchanged(Errno.EINVAL, () -> Ham.actionHandle(t.node, "svc", "", "say", 0));
        // The HAM refuses them too.
        refusedUnchanged(Errno.EINVAL, () -> raw().entityHandle("s/v", ""));
        refusedUnchanged(Errno.EINVAL, () -> raw().conditionHandle("svc", "de/ath", ""));
        refusedUnchanged(Errno.EINVAL, () -> raw().conditionHandle("svc", "", ""));
        refusedUnchanged(Errno.EINVAL, () -> raw().conditionHandle("svc", null, ""));
        refusedUnchanged(Errno.EINVAL, () -> raw().actionHandle("svc", "death", "s/ay", ""));
        refusedUnchanged(Errno.EINVAL, () -> raw().actionHandle("svc", "death", null, ""));
        // "There are no flags defined at this time."
        refusedUnchanged(Errno.EINVAL, () -> Ham.entityHandle(t.node, "svc", 1));
        refusedUnchanged(Errno.EINVAL, () -> Ham.conditionHandle(t.node, "svc", "death", HREARMAFTERRESTART));
        refusedUnchanged(Errno.EINVAL, () -> Ham.actionHandle(t.node, "svc", "death", "say", 2));
        // A null or empty entity name is no error: it is the global entity.
        assertTrue(Ham.entityHandle(t.node, null, 0).isGlobal());
        assertTrue(Ham.entityHandle(t.node, "", 0).isGlobal());
    }

    @Test
    void tooLongNamesAreEnametoolong() {
        refusedUnchanged(Errno.ENAMETOOLONG, () -> Ham.entityHandle(t.node, "e".repeat(256), 0));
        refusedUnchanged(Errno.ENAMETOOLONG, () -> Ham.conditionHandle(t.node, "svc", "c".repeat(256), 0));
        refusedUnchanged(Errno.ENAMETOOLONG, () -> Ham.actionHandle(t.node, "svc", "death", "a".repeat(256), 0));
        // The combined path is limited as well: "svc/<cname>" and "svc/death/<aname>" up to 255.
        refusedUnchanged(Errno.ENAMETOOLONG, () -> Ham.conditionHandle(t.node, "svc", "c".repeat(252), 0));
        refusedUnchanged(Errno.ENAMETOOLONG, () -> Ham.actionHandle(t.node, "svc", "death", "a".repeat(246), 0));
        refusedUnchanged(Errno.ENOENT, () -> Ham.actionHandle(t.node, "svc", "death", "a".repeat(245), 0));
        refusedUnchanged(Errno.ENAMETOOLONG, () -> raw().entityHandle("e".repeat(256), ""));
        refusedUnchanged(Errno.ENAMETOOLONG, () -> raw().conditionHandle("svc", "c".repeat(256), ""));
        refusedUnchanged(Errno.ENAMETOOLONG, () -> raw().actionHandle("svc", "death", "a".repeat(256), ""));
    }

    @Test
    void withoutAConnectionOrAReachableHamItIsEbadf() throws IOException {
        // The same HAM under another node name, to which this client never connected.
        String other = "localhost:" + t.server.port();
        Notified.refused(Errno.EBADF, () -> Ham.entityHandle(other, "svc", 0));
        Notified.refused(Errno.EBADF, () -> Ham.conditionHandle(other, "svc", "death", 0));
        Notified.refused(Errno.EBADF, () -> Ham.actionHandle(other, "svc", "death", "say", 0));
        Ham.connect(other);
        EntityHandle e;
        ConditionHandle c;
        try {
            e = Ham.entityHandle(other, "svc", 0);
            c = Ham.conditionHandle(other, "svc", "death", 0);
            assertEquals(pid, e.pid());
        } finally {
            Ham.disconnect(other);
        }
        // A handle outlives its connection, but needs one to be used.
        Notified.refused(Errno.EBADF, e::pid);
        Notified.refused(Errno.EBADF, () -> e.condition(CONDRAISE, "x", 0));
        Notified.refused(Errno.EBADF, () -> c.control(HGETFLAGS, 0));
        assertArrayEquals(new String[] {"death"}, t.entity("svc").getConditionNames());

        // A port nobody listens on.
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String dead = "127.0.0.1:" + port;
        Notified.refused(Errno.EBADF, () -> Ham.connect(dead));
        Notified.refused(Errno.EBADF, () -> Ham.entityHandle(dead, "svc", 0));
        Notified.refused(Errno.EBADF, () -> Ham.conditionHandle(dead, "svc", "death", 0));
        Notified.refused(Errno.EBADF, () -> Ham.actionHandle(dead, "svc", "death", "say", 0));
        Notified.refused(Errno.EBADF, () -> Ham.entity("x", dead, 0));
    }

    @Test
    void freeingAHandleFreesOnlyTheHandle() {
        EntityHandle e = Ham.entityHandle(t.node, "svc", 0);
        ConditionHandle c = Ham.conditionHandle(t.node, "svc", "death", 0);
        ActionHandle a = Ham.actionHandle(t.node, "svc", "death", "say", 0);
        String before = tree();

        e.free();
        c.free();
        a.free();

        assertTrue(e.isFreed() && c.isFreed() && a.isFreed());
        Notified.refused(Errno.EINVAL, () -> e.condition(CONDRAISE, "x", 0));
        Notified.refused(Errno.EINVAL, e::info);
        Notified.refused(Errno.EINVAL, () -> e.control(HGETFLAGS, 0));
        Notified.refused(Errno.EINVAL, () -> c.actionLog("x", "m", 0, 1, 0));
        Notified.refused(Errno.EINVAL, () -> c.remove(0));
        Notified.refused(Errno.EINVAL, () -> a.control(HGETFLAGS, 0));
        Notified.refused(Errno.EINVAL, () -> a.remove(0));
        Notified.refused(Errno.EINVAL, e::free);
        Notified.refused(Errno.EINVAL, c::free);
        Notified.refused(Errno.EINVAL, a::free);
        assertEquals(before, tree(), "freeing or using freed handles changed the tree");
        assertEquals(pid, Ham.entityHandle(t.node, "svc", 0).pid(), "a new handle finds the entity");

        // The items work on: the death is still acted on.
        TestHam.kill(pid, "KILL");
        t.awaitPid("svc", pid);
        Await.until("the log action", () -> t.activityLine("svc died"));
    }

    @Test
    void aHandleToARemovedItemIsEnoent() {
        EntityHandle e = Ham.entityHandle(t.node, "svc", 0);
        ConditionHandle c = e.conditionRaise("raised", 0, 0, 0, 0);
        ActionHandle a = c.actionLog("say", "m", 0, 1, 0);
        ConditionHandle sameC = Ham.conditionHandle(t.node, "svc", "raised", 0);

        c.remove(0);

        refusedUnchanged(Errno.ENOENT, () -> sameC.actionLog("more", "m", 0, 1, 0));
        refusedUnchanged(Errno.ENOENT, () -> sameC.control(HGETFLAGS, 0));
        refusedUnchanged(Errno.ENOENT, sameC::info);
        refusedUnchanged(Errno.ENOENT, () -> a.control(HGETFLAGS, 0));
        refusedUnchanged(Errno.ENOENT, () -> a.failLog("f", "m", 0, 1, 0));
        refusedUnchanged(Errno.ENOENT, () -> Ham.conditionHandle(t.node, "svc", "raised", 0));

        EntityHandle ph = Notified.placeholder(t, "ph");
        EntityHandle samePh = Ham.entityHandle(t.node, "ph", 0);
        Ham.detachName(t.node, "ph", 0);
        refusedUnchanged(Errno.ENOENT, () -> ph.condition(CONDRAISE, "x", 0));
        refusedUnchanged(Errno.ENOENT, () -> samePh.control(HGETFLAGS, 0));
        refusedUnchanged(Errno.ENOENT, samePh::info);
    }

    @Test
    void removeTakesItemsOutOfTheHamOnceThenIsEnoent() {
        ConditionHandle death = Ham.conditionHandle(t.node, "svc", "death", 0);
        ActionHandle say = Ham.actionHandle(t.node, "svc", "death", "say", 0);
        ConditionHandle lone = Ham.entityHandle(t.node, "svc", 0).conditionRaise("lone", 0, 0, 0, 0);
        ActionHandle only = lone.actionLog("only", "m", 0, 1, 0);
        assertEquals("1/2/3", tree());

        say.remove(0);
        assertArrayEquals(new String[] {"restart"}, t.condition("svc", "death").getActionNames());
        refusedUnchanged(Errno.ENOENT, () -> say.remove(0));
        refusedUnchanged(Errno.ENOENT, () -> Ham.actionHandle(t.node, "svc", "death", "say", 0));
        // An explicit remove of the last action leaves its condition.
        only.remove(0);
        assertArrayEquals(new String[0], t.condition("svc", "lone").getActionNames());
        assertEquals("1/2/1", tree());

        // A condition goes with its actions.
        ActionHandle restart = Ham.actionHandle(t.node, "svc", "death", "restart", 0);
        death.remove(0);
        assertArrayEquals(new String[] {"lone"}, t.entity("svc").getConditionNames());
        assertEquals("1/1/0", tree());
        refusedUnchanged(Errno.ENOENT, () -> death.remove(0));
        refusedUnchanged(Errno.ENOENT, () -> restart.remove(0));
        // Its restart is gone: the next death is not acted on, and the entity goes.
        TestHam.kill(pid, "KILL");
        Await.until("the entity removed after its death", () -> t.ham().getNumEntities() == 0);
        assertEquals(0, t.ham().getNumConditions());
    }

    @Test
    void theGlobalEntityHandleHoldsConditionsAndActions() {
        EntityHandle g = Ham.entityHandle(t.node, null, 0);
        assertTrue(g.isGlobal());
        assertNull(g.name());
        assertTrue(g.info().contains("Entity type : GLOBAL\n"), g.info());
        ConditionHandle added = g.condition(CONDRAISE, "graise", 0);
        assertNull(added.entityName());

        ConditionHandle c = Ham.conditionHandle(t.node, null, "graise", 0);
        assertTrue(c.info().startsWith("Path : /graise\n"), c.info());
        assertTrue(Ham.conditionHandle(t.node, "", "graise", 0).info().startsWith("Path : /graise\n"));
        c.actionLog("say", "global heard a raise", 0, 1, 0);
        ActionHandle a = Ham.actionHandle(t.node, null, "graise", "say", 0);
        assertTrue(a.info().startsWith("Path : /graise/say\n"), a.info());

        Ham.entityHandle(t.node, "svc", 0).raise(1, 2, 3, 0);
        Await.until("the global condition's action", () -> t.activityLine("global heard a raise"));
        Notified.await(t, "/graise", "CONDRAISE", 1);
        assertEquals(1, Notified.of(t, "/graise", "svc").size(), "it fired for the entity that raised");

        Notified.refused(Errno.EINVAL, () -> g.detach(0));
        a.remove(0);
        refusedUnchanged(Errno.ENOENT, () -> a.remove(0));
        c.remove(0);
        refusedUnchanged(Errno.ENOENT, () -> c.remove(0));
        refusedUnchanged(Errno.ENOENT, () -> Ham.conditionHandle(t.node, null, "graise", 0));
        g.free();
        assertTrue(Ham.entityHandle(t.node, null, 0).info().contains("Entity type : GLOBAL\n"), "never removed");
    }
}
