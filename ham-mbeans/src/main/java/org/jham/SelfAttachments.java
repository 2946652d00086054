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
    record Entry(HamConnection connection, String ename, long periodNanos) {
        boolean beats() {
            return periodNanos > 0;
        }
    }

    private static final Map<String, Entry> ENTRIES = new ConcurrentHashMap<>();
    private static final Map<HamConnection, HeartbeatSender> SENDERS = new ConcurrentHashMap<>();

    static String key(HamNode node, String ename) {
        return node.key() + "\u0000" + ename;
    }

    static synchronized void add(HamConnection c, String ename, long periodNanos) {
        ENTRIES.put(key(c.node(), ename), new Entry(c, ename, periodNanos));
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
