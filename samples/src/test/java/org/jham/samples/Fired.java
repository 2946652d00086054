package org.jham.samples;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.Notification;
import javax.management.NotificationFilterSupport;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.jham.mbean.ObjectNames;

/** The {@code jham.condition} notifications of a HAM, in the order they came, from creation on. */
final class Fired implements AutoCloseable {
    /** One fired condition: its path, the event that fired it, the entity's pid then, the detail. */
    record Event(String entity, String path, String event, long pid, String detail) {
    }

    private final LiveHam ham;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final NotificationListener listener = this::onNotification;

    Fired(LiveHam ham) throws Exception {
        this.ham = ham;
        NotificationFilterSupport filter = new NotificationFilterSupport();
        filter.enableType(ObjectNames.NOTIF_CONDITION);
        ham.connection.mbeanServer().addNotificationListener(ObjectNames.HAM, listener, filter, null);
    }

    private void onNotification(Notification n, Object handback) {
        if (n.getUserData() instanceof CompositeData d) {
            events.add(new Event((String) d.get("entity"), (String) d.get("path"), (String) d.get("event"),
                    (Long) d.get("pid"), (String) d.get("detail")));
        }
    }

    /** The events that fired for {@code entity} while it ran as {@code pid}, in order. */
    List<String> events(String entity, long pid) {
        return events.stream().filter(e -> e.entity().equals(entity) && e.pid() == pid).map(Event::event).toList();
    }

    long count(String entity, String event, long pid) {
        return events(entity, pid).stream().filter(event::equals).count();
    }

    /** The missed-heartbeat events of {@code entity} as {@code pid}, once there are {@code n}. */
    List<String> awaitMissed(String entity, long pid, int n) {
        return Await.value(n + " missed-heartbeat conditions of " + entity + " pid " + pid, () -> {
            List<String> missed = events(entity, pid).stream().filter(e -> e.startsWith("CONDHBEATMISSED")).toList();
            return missed.size() >= n ? missed : null;
        });
    }

    /** Waits for CONDHBEATMISSEDLOW then CONDHBEATMISSEDHIGH of {@code entity} as {@code pid}, in that order. */
    void awaitLowThenHigh(String entity, long pid) {
        List<String> missed = awaitMissed(entity, pid, 2);
        if (!missed.subList(0, 2).equals(List.of("CONDHBEATMISSEDLOW", "CONDHBEATMISSEDHIGH"))) {
            throw new AssertionError("expected LOW then HIGH for " + entity + " pid " + pid + ", got " + missed);
        }
    }

    @Override
    public void close() {
        try {
            ham.connection.mbeanServer().removeNotificationListener(ObjectNames.HAM, listener);
        } catch (Exception e) {
            // The HAM or the connection is gone: nothing is listening any more.
        }
    }
}
