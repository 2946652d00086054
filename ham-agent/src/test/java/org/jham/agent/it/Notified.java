package org.jham.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.management.JMX;
import javax.management.openmbean.CompositeData;
import org.jham.EntityHandle;
import org.jham.Errno;
import org.jham.Ham;
import org.jham.HamException;
import org.jham.agent.testing.Await;
import org.jham.agent.testing.TestHam;
import org.jham.mbean.ActionMXBean;
import org.jham.mbean.ObjectNames;
import org.junit.jupiter.api.function.Executable;

/**
 * What a test saw of the {@code jham.condition} notifications of a {@link TestHam}, and a barrier
 * to tell "nothing fired" from "not yet delivered": the HAM sends these notifications from one
 * thread in order, so once a later one has arrived every earlier one has too.
 */
final class Notified {
    /** The barrier's entity; its raises fire its own condition (and global CONDRAISE/CONDANY ones). */
    static final String BARRIER = "zz-barrier";
    private static final int BARRIER_TYPE = 4242;

    private Notified() {
    }

    /** The events of the notifications for the condition at {@code path}, in arrival order. */
    static List<String> events(TestHam t, String path) {
        return t.fired.stream().filter(c -> c.get("path").equals(path)).map(c -> (String) c.get("event"))
                .collect(Collectors.toList());
    }

    /** The notifications of the condition at {@code path} fired for {@code entity}. */
    static List<CompositeData> of(TestHam t, String path, String entity) {
        return t.fired.stream().filter(c -> c.get("path").equals(path) && c.get("entity").equals(entity))
                .collect(Collectors.toList());
    }

    /** How many notifications of each condition path concern {@code entity}. */
    static Map<String, Long> perPath(TestHam t, String entity) {
        return t.fired.stream().filter(c -> c.get("entity").equals(entity))
                .collect(Collectors.groupingBy(c -> (String) c.get("path"), TreeMap::new, Collectors.counting()));
    }

    static void await(TestHam t, String path, String event, long count) {
        Await.until(count + " x " + event + " of " + path, () -> t.firedCount(path, event) >= count);
        assertEquals(count, t.firedCount(path, event), event + " of " + path + ": " + events(t, path));
    }

    /**
     * Returns once every notification the HAM sent before this call has arrived: raises an event
     * on the barrier entity (made on first use) and waits for its own notification.
     */
    static void barrier(TestHam t) {
        if (!List.of(t.ham().getEntityNames()).contains(BARRIER)) {
            Ham.entity(BARRIER, t.node, 0).conditionRaise("b", BARRIER_TYPE, 0, 0, 0);
        }
        long before = t.firedCount(BARRIER + "/b", "CONDRAISE");
        Ham.entityHandle(t.node, BARRIER, 0).raise(BARRIER_TYPE, 0, 0, 0);
        Await.until("the barrier notification", () -> t.firedCount(BARRIER + "/b", "CONDRAISE") > before);
    }

    /** A call refused with {@code errno}, whose message starts with it. */
    static HamException refused(Errno errno, Executable call) {
        HamException e = assertThrows(HamException.class, call);
        assertEquals(errno, e.errno(), e.getMessage());
        assertTrue(e.getMessage().startsWith(errno.name() + ": "), e.getMessage());
        return e;
    }

    /** The MBean of an action, read through the test's connection. */
    static ActionMXBean action(TestHam t, String ename, String cname, String aname) {
        return JMX.newMXBeanProxy(t.connection.mbeanServer(), ObjectNames.action(ename, cname, aname), ActionMXBean.class);
    }

    /** A placeholder's handle: an entity that can publish and hold conditions without any process. */
    static EntityHandle placeholder(TestHam t, String name) {
        return Ham.entity(name, t.node, 0);
    }
}
