package org.jham;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The entities this JVM attached itself as (ham_attach_self), each holding one reference to its
 * node's connection until ham_detach_self, and the heartbeat sender of each such connection.
 * Thread-safe.
 */
final class SelfAttachments {
    private SelfAttachments() {
    }

    /** One self-attached entity of this JVM. */
    record Entry(HamConnection connection, String ename, long periodNanos, int hpdl, int hpdh, int flags) {
        boolean beats() {
            return periodNanos > 0;
        }
    }

    private static final Map<String, Entry> ENTRIES = new ConcurrentHashMap<>();
    private static final Map<HamConnection, HeartbeatSender> SENDERS = new ConcurrentHashMap<>();

    static String key(HamNode node, String ename) {
        return node.key() + "\u0000" + ename;
    }

    static synchronized void add(HamConnection c, String ename, long periodNanos, int hpdl, int hpdh, int flags) {
        ENTRIES.put(key(c.node(), ename), new Entry(c, ename, periodNanos, hpdl, hpdh, flags));
        if (periodNanos > 0) {
            SENDERS.computeIfAbsent(c, HeartbeatSender::new).periodsChanged(smallestPeriod(c));
        }
    }

    private static long smallestPeriod(HamConnection c) {
        return ENTRIES.values().stream().filter(e -> e.connection() == c && e.beats())
                .mapToLong(Entry::periodNanos).min().orElse(0);
    }

    /** Forgets the entity; the last one of a connection stops its sender. */
    static synchronized Entry remove(HamNode node, String ename) {
        Entry e = ENTRIES.remove(key(node, ename));
        if (e != null && ENTRIES.values().stream().noneMatch(x -> x.connection() == e.connection() && x.beats())) {
            HeartbeatSender s = SENDERS.remove(e.connection());
            if (s != null) {
                s.stop();
            }
        } else if (e != null) {
            HeartbeatSender s = SENDERS.get(e.connection());
            if (s != null) {
                s.periodsChanged(smallestPeriod(e.connection()));
            }
        }
        return e;
    }

    /**
     * The connection was replaced (a HAM took over): each entity self-attached over it attaches
     * itself again over the new one, so the HAM watches its connection again. A HAM that restored
     * the entity keeps its tree and heartbeat state; one that lost it makes it anew. Failures are
     * reported on stderr: the entity's heartbeats then tell the HAM it lives, and the next
     * recovery tries again.
     */
    static void reattach(HamConnection c) {
        for (Entry e : ENTRIES.values()) {
            if (e.connection() != c) {
                continue;
            }
            try {
                c.plainProxy(org.jham.mbean.HamMXBean.class, org.jham.mbean.ObjectNames.HAM).attachSelf(e.ename(),
                        ProcessHandle.current().pid(), e.periodNanos(), e.hpdl(), e.hpdh(),
                        Integer.toString(e.flags()), c.connectionId());
            } catch (HamException ex) {
                System.err.println("jham: could not attach '" + e.ename() + "' again after reconnecting to "
                        + c.node().key() + ": " + ex.getMessage());
            }
        }
    }

    static Entry find(HamNode node, String ename) {
        return ENTRIES.get(key(node, ename));
    }

    /** ham_heartbeat: a beat for every self-attached entity of this JVM that committed to beat. */
    static void beatAll() {
        for (Entry e : ENTRIES.values()) {
            beat(e);
        }
    }

    static void beat(Entry e) {
        if (!e.beats()) {
            return;
        }
        HeartbeatSender s = SENDERS.get(e.connection());
        if (s != null) {
            s.beat(e.ename());
        }
    }

    static List<String> names() {
        List<String> out = new ArrayList<>();
        for (Entry e : ENTRIES.values()) {
            out.add(e.ename());
        }
        return out;
    }
}
