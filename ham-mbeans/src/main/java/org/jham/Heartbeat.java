package org.jham;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanServer;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import org.jham.mbean.HeartbeatMXBean;
import org.jham.mbean.ObjectNames;

/**
 * The tiny heartbeat API of a monitored JVM: {@link #beat()} is ham_heartbeat for every entity
 * this JVM attached itself as ({@link Ham#attachSelf}); it never blocks and always succeeds. The
 * agent registers {@code jham:type=Heartbeat} ({@link #registerMBean}), which emits a
 * {@code jham.heartbeat} notification for each heartbeat sent, so JConsole sees them live from
 * the monitored side too. Thread-safe.
 */
public final class Heartbeat {
    private Heartbeat() {
    }

    private static final AtomicLong SENT = new AtomicLong();
    private static volatile Emitter emitter;

    /** ham_heartbeat: one heartbeat for each self-attached entity of this JVM. */
    public static void beat() {
        SelfAttachments.beatAll();
    }

    /**
     * Checks the heartbeat parameters of ham_attach_self, the same in the library and in the HAM:
     * {@code hpNanos} 0 (none) or at least {@link HamConstants#HAMHBEATMIN}, {@code 0 <= hpdl <= hpdh}.
     *
     * @throws HamException EINVAL naming the bad value
     */
    public static void checkParameters(long hpNanos, int hpdl, int hpdh) {
        if (hpNanos < 0 || hpNanos > 0 && hpNanos < HamConstants.HAMHBEATMIN) {
            throw new HamException(Errno.EINVAL, "heartbeat period " + hpNanos + " ns is below HAMHBEATMIN ("
                    + HamConstants.HAMHBEATMIN + " ns); use 0 for no heartbeat");
        }
        if (hpdl < 0 || hpdh < 0 || hpdl > hpdh) {
            throw new HamException(Errno.EINVAL, "heartbeat marks must be 0 <= hpdl <= hpdh, were " + hpdl + " and " + hpdh);
        }
    }

    /** Heartbeats delivered to the HAM so far (one per entity per beat). */
    public static long sent() {
        return SENT.get();
    }

    /**
     * Registers {@code jham:type=Heartbeat} in {@code server} (the platform MBean server when null);
     * idempotent.
     */
    public static void registerMBean(MBeanServer server) {
        MBeanServer s = server == null ? ManagementFactory.getPlatformMBeanServer() : server;
        synchronized (Heartbeat.class) {
            if (emitter != null && s.isRegistered(ObjectNames.HEARTBEAT)) {
                return;
            }
            Emitter e = new Emitter();
            try {
                if (s.isRegistered(ObjectNames.HEARTBEAT)) {
                    s.unregisterMBean(ObjectNames.HEARTBEAT);
                }
                s.registerMBean(e, ObjectNames.HEARTBEAT);
            } catch (InstanceAlreadyExistsException ex) {
                return;
            } catch (JMException ex) {
                throw new HamException(Errno.EIO, "cannot register " + ObjectNames.HEARTBEAT + ": " + ex, ex);
            }
            emitter = e;
        }
    }

    /** Called by the sender after a batch was delivered. */
    static void sent(List<String> enames) {
        SENT.addAndGet(enames.size());
        Emitter e = emitter;
        if (e != null) {
            for (String n : enames) {
                e.emit(n);
            }
        }
    }

    /** {@code jham:type=Heartbeat} of a monitored JVM. */
    private static final class Emitter extends NotificationBroadcasterSupport implements HeartbeatMXBean {
        private final AtomicLong sequence = new AtomicLong();
        private volatile long lastBeat;

        Emitter() {
            super(new MBeanNotificationInfo[] {
                new MBeanNotificationInfo(new String[] {ObjectNames.NOTIF_HEARTBEAT}, Notification.class.getName(),
                        "a heartbeat of a self-attached entity of this JVM reached the HAM (message: the entity)")});
        }

        void emit(String ename) {
            long now = System.currentTimeMillis();
            lastBeat = now;
            Notification n = new Notification(ObjectNames.NOTIF_HEARTBEAT, ObjectNames.HEARTBEAT,
                    sequence.incrementAndGet(), now, ename);
            n.setUserData(ename);
            sendNotification(n);
        }

        @Override
        public String[] getEntities() {
            return SelfAttachments.names().toArray(new String[0]);
        }

        @Override
        public long getHeartbeatsSent() {
            return SENT.get();
        }

        @Override
        public long getLastHeartbeatMillis() {
            return lastBeat;
        }

        @Override
        public void beat() {
            Heartbeat.beat();
        }
    }
}
