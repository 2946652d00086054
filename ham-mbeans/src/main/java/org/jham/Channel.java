package org.jham;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.InstanceNotFoundException;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.jham.mbean.ChannelMXBean;
import org.jham.mbean.ObjectNames;

/**
 * A pulse channel of this process on a HAM (the guide's {@code ChannelCreate} +
 * {@code MsgReceivePulse}), from {@link HamConnection#channel()}: notify-pulse actions aimed at
 * {@code (node, pid(), chid())} land in its queue. It closes when this process exits, or with
 * {@link #close()}; pulses to a closed channel fail in the HAM (and such actions are removed
 * unless HACTIONKEEPONFAIL). The last disconnect of its connection closes it too. Thread-safe:
 * any thread may receive.
 */
public final class Channel implements AutoCloseable {
    private final HamConnection connection;
    private final long pid;
    private final int chid;
    private final ObjectName name;
    private final BlockingQueue<Pulse> queue = new LinkedBlockingQueue<>();
    private final NotificationListener listener = this::onNotification;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Channel(HamConnection connection, long pid, int chid) {
        this.connection = connection;
        this.pid = pid;
        this.chid = chid;
        this.name = ObjectNames.channel(pid, chid);
    }

    /** Opens a channel for this process over {@code connection} and subscribes to its pulses. */
    static Channel open(HamConnection connection) {
        long pid = ProcessHandle.current().pid();
        int chid = connection.ham().createChannel(pid);
        Channel c = new Channel(connection, pid, chid);
        try {
            connection.mbeanServer().addNotificationListener(c.name, c.listener, null, null);
        } catch (Exception e) {
            c.closeQuietly();
            throw HamException.fromWire(e);
        }
        return c;
    }

    /** The pid pulses are addressed to (this process). */
    public long pid() {
        return pid;
    }

    /** The channel id pulses are addressed to. */
    public int chid() {
        return chid;
    }

    /** Waits for the next pulse (MsgReceivePulse). */
    public Pulse receive() throws InterruptedException {
        return queue.take();
    }

    /** Waits at most {@code timeout} for the next pulse; null when none came. */
    public Pulse receive(Duration timeout) throws InterruptedException {
        return queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The next pulse if one is queued, else null. */
    public Pulse poll() {
        return queue.poll();
    }

    private void onNotification(Notification n, Object handback) {
        if (!ObjectNames.NOTIF_PULSE.equals(n.getType()) || !(n.getUserData() instanceof CompositeData)) {
            return;
        }
        CompositeData d = (CompositeData) n.getUserData();
        queue.add(new Pulse((Integer) d.get("code"), (Integer) d.get("value"), (String) d.get("source"),
                Instant.ofEpochMilli((Long) d.get("time"))));
    }

    /** Closes the channel in the HAM and stops listening. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        connection.channelClosed(this);
        try {
            connection.mbeanServer().removeNotificationListener(name, listener);
        } catch (InstanceNotFoundException | ListenerNotFoundException e) {
            // The HAM closed it already (e.g. it went away): nothing to undo.
        } catch (Exception e) {
            throw HamException.fromWire(e);
        }
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            connection.proxy(ChannelMXBean.class, name).close();
        } catch (HamException e) {
            if (e.errno() != Errno.ENOENT && e.errno() != Errno.EBADF) {
                throw e;
            }
        }
    }

    @Override
    public String toString() {
        return "Channel[" + pid + "/" + chid + " on " + connection.node().key() + "]";
    }
}
