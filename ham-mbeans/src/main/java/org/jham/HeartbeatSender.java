package org.jham;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends the heartbeats of one connection's self-attached entities from a thread of its own
 * ({@code ham-heartbeat-sender}): a beat is queued and sent at once when no call is in flight,
 * else with every other beat that came meanwhile, in one {@code heartbeats} call. So one JVM can
 * beat for a thousand entities at 10 Hz without a thousand round trips, and a beat waits at most
 * one round trip. ham_heartbeat "always succeeds": a beat that cannot be delivered is dropped (the
 * HAM then counts a miss; a broken connection is the entity's death anyway). Thread-safe.
 */
final class HeartbeatSender {
    private final HamConnection connection;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean stopped;

    HeartbeatSender(HamConnection connection) {
        this.connection = connection;
        this.thread = new Thread(this::run, "ham-heartbeat-sender " + connection.node().key());
        thread.setDaemon(true);
        thread.start();
    }

    void beat(String ename) {
        pending.add(ename);
        LockSupport.unpark(thread);
    }

    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }

    private void run() {
        while (!stopped) {
            if (pending.isEmpty()) {
                LockSupport.park(this);
                continue;
            }
            List<String> batch = new ArrayList<>();
            for (Iterator<String> i = pending.iterator(); i.hasNext(); ) {
                batch.add(i.next());
                i.remove();
            }
            try {
                connection.ham().heartbeats(batch.toArray(new String[0]));
                Heartbeat.sent(batch);
            } catch (HamException e) {
                // Dropped: see the class comment.
            }
        }
    }
}
