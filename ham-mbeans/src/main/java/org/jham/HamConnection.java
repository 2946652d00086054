package org.jham;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import org.jham.internal.Link;
import org.jham.internal.Remote;
import org.jham.mbean.HamMXBean;
import org.jham.mbean.ObjectNames;
import org.jham.recovery.HaConstants;
import org.jham.recovery.HaDescriptor;

/**
 * The one shared, reference-counted connection of this JVM to one HAM (seed 000), as returned by
 * {@link Ham#connect(String)}. There is one {@code HamConnection} object per node key
 * ({@link HamNode#key()}), so {@code Ham.connect()} and {@code Ham.connect("127.0.0.1:7770")} for
 * the same address return the same object. The first connect opens the underlying connection, each
 * later connect increments the count, each disconnect (or {@link #close()}) decrements it, and the
 * one that reaches zero closes it; a later connect opens a new one. Opening and closing are
 * serialized per node, so there is never more than one open connection to a node, whatever the
 * threads do.
 *
 * <p>Like {@code ham_disconnect}, {@link #close()} is one disconnect, not an idempotent close:
 * call it once per connect (try-with-resources does).
 *
 * <p>When the connection goes stale (the HAM died and its Guardian is taking over, or the HAM was
 * stopped and started again), the first call that fails on it waits up to the reconnect window
 * ({@value #RECONNECT_PROPERTY}, default {@value #DEFAULT_RECONNECT_MS} ms; 0 = no waiting) for a
 * HAM to answer on the same address, opens a new connection for all holders (once, however many
 * threads failed), attaches this JVM's self-attached entities again over it, and retries the call
 * transparently. A call the old HAM carried out but could not answer is then made a second time:
 * adding something that already exists gives EEXIST, as a caller retrying by hand would get.
 * Channels are part of their connection and are not reopened. Past the window, calls fail at
 * once with EBADF until the next connect, which opens a new connection as usual. Idle connections are kept alive, so the HAM
 * does not drop them.
 *
 * <p>Thread-safe.
 */
public final class HamConnection implements AutoCloseable {
    private static final ConcurrentMap<String, HamConnection> BY_KEY = new ConcurrentHashMap<>();
    /** The system property giving the reconnect window in milliseconds. */
    public static final String RECONNECT_PROPERTY = "jham.reconnect.ms";
    public static final long DEFAULT_RECONNECT_MS = 10_000;
    /** Between two tries to reach the HAM again. */
    static final long RECONNECT_RETRY_MS = 50;

    private final String key;
    /** The node of the open connection, or of the last one. */
    private volatile HamNode node;
    /**
     * The HA-aware connection (recovery library) over the open link: non-null exactly while
     * refs > 0; written only while holding this object's monitor. Its recovery function
     * reconnects; it is suspended once a recovery ran out of its window, until the next connect.
     */
    private volatile HaDescriptor<HamConnection, Link> ha;
    /** Written only while holding this object's monitor. */
    private volatile int refs;
    /** Channels opened over this connection and not closed yet; closed by the last disconnect. */
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    /** Stale connections replaced by a new one. */
    private volatile int recoveries;

    private HamConnection(String key, HamNode node) {
        this.key = key;
        this.node = node;
    }

    // ------------------------------------------------------------------ the registry (used by Ham)

    /** ham_connect: one more reference to the node's connection, opening it if needed. */
    static HamConnection acquire(HamNode node) {
        HamConnection c = BY_KEY.computeIfAbsent(node.key(), k -> new HamConnection(k, node));
        c.connect(node);
        return c;
    }

    /** ham_disconnect: one reference less; EINVAL when there is none. */
    static void release(HamNode node, DisconnectMode mode) {
        HamConnection c = BY_KEY.get(node.key());
        if (c == null) {
            throw new HamException(Errno.EINVAL, "no connection to " + node.key() + " to disconnect");
        }
        c.disconnect(mode);
    }

    /** The node's connection for calls that need a prior connect; EBADF when there is none. */
    static HamConnection require(HamNode node) {
        HamConnection c = BY_KEY.get(node.key());
        if (c == null || c.ha == null) {
            throw notConnected(node.key());
        }
        return c;
    }

    private static HamException notConnected(String key) {
        return new HamException(Errno.EBADF, "not connected to " + key + ": call Ham.connect first");
    }

    private synchronized void connect(HamNode n) {
        HaDescriptor<HamConnection, Link> d = ha;
        Link l = openLink(); // open while d is: only a disconnect, under this monitor, closes it
        if (d == null) {
            d = new HaDescriptor<>(this, Link.open(n), HamConnection::closeLink, HamConnection::stale);
            d.attach(HamConnection::reconnect, null, 0);
            node = n;
            ha = d;
        } else if (l.isBroken() || l.isClosed()) {
            // Lets go of the failed connection before opening its replacement: never two at once.
            // Its HAM may be being replaced (a takeover): wait for one as a failed call would.
            try {
                d.reopen(() -> openWithin(n, reconnectWindowMs()));
            } catch (IOException e) {
                throw new HamException(Errno.EBADF, "reconnecting to " + n.key() + ": " + Remote.reason(e), e);
            }
            node = n;
            d.control(HaConstants.HA_RECOVERY_ENABLE, 0);
        }
        refs++;
    }

    private static void closeLink(Link l) {
        if (!l.isClosed()) {
            l.close(DisconnectMode.ABRUPT);
        }
    }

    private synchronized void disconnect(DisconnectMode mode) {
        if (refs == 0) {
            throw new HamException(Errno.EINVAL, "no connection to " + key + " to disconnect");
        }
        refs--;
        if (refs > 0) {
            return;
        }
        // A channel left open would have its listener fail noisily when the link closes under it.
        for (Channel c : List.copyOf(channels)) {
            try {
                c.close();
            } catch (HamException e) {
                // The HAM may be gone already: the channel is closed on its side too.
            }
        }
        Link l = openLink();
        HaDescriptor<HamConnection, Link> d = ha;
        ha = null;
        // Closed while holding the monitor, so that a concurrent connect waits for it to finish;
        // then the descriptor, which ends a recovery in progress (its closer sees the link closed).
        IOException failed = l.close(mode == null ? DisconnectMode.GRACEFUL : mode);
        try {
            d.close();
        } catch (IOException e) {
            // closeLink does not fail on a closed link
        }
        if (failed != null) {
            throw new HamException(Errno.EBADF, "closing the connection to " + key + " failed: "
                    + Remote.reason(failed), failed);
        }
    }

    private Link current() {
        Link l = openLink();
        if (l == null) {
            throw notConnected(key);
        }
        return l;
    }

    /** The link of the open connection, or null when none is open (or it was disconnected meanwhile). */
    private Link openLink() {
        HaDescriptor<HamConnection, Link> d = ha;
        if (d == null) {
            return null;
        }
        try {
            return d.current();
        } catch (java.nio.channels.ClosedChannelException e) {
            return null;
        }
    }

    /**
     * True when the open connection was reported failed or closed by its transport (e.g. the HAM
     * stopped or died) and was not replaced yet. False when none is open. A monitored JVM's agent
     * polls it to re-attach itself.
     */
    public boolean isBroken() {
        Link l = openLink();
        return l != null && l.isBroken();
    }

    /**
     * An MXBean proxy for any jHAM MBean whose calls fail only with {@link HamException} (errno
     * mapped as everywhere in the library); each call goes over the connection open at that
     * moment, and is retried once a stale connection was replaced (see the class comment).
     */
    public <T> T proxy(Class<T> iface, ObjectName name) {
        return Remote.proxy(iface, name, new Remote.Caller() {
            public <R> R call(Remote.OnServer<R> op) {
                return callRecovering(op);
            }
        }, key);
    }

    /** A proxy without recovery: what the recovery itself calls. */
    <T> T plainProxy(Class<T> iface, ObjectName name) {
        return Remote.proxy(iface, name, () -> current().mbeanServer(), key);
    }

    private <R> R callRecovering(Remote.OnServer<R> op) {
        HaDescriptor<HamConnection, Link> d = ha;
        if (d == null) {
            throw notConnected(key);
        }
        try {
            return d.call(l -> op.on(l.mbeanServer()));
        } catch (IOException e) {
            throw notConnected(key); // the descriptor was closed: disconnected meanwhile
        }
    }

    /**
     * The failures that mean the connection is stale: the transport failed (EBADF caused by an
     * IOException). Not a missing reply in time (a slow HAM), nor anything the HAM answered.
     */
    private static boolean stale(Exception failure) {
        if (!(failure instanceof HamException) || ((HamException) failure).errno() != Errno.EBADF) {
            return false;
        }
        Throwable c = failure.getCause();
        return c instanceof IOException && !(c instanceof java.io.InterruptedIOException);
    }

    /**
     * The recovery function: waits up to the reconnect window for a HAM on the same address,
     * replaces the link (for every holder), and attaches this JVM's self-attached entities again.
     * Past the window recovery is suspended: calls fail at once until the next connect.
     */
    private static HamConnection reconnect(HamConnection c, Object handle) throws IOException {
        HaDescriptor<HamConnection, Link> d = c.ha;
        long window = reconnectWindowMs();
        if (d == null || window == 0 || c.inProcess()) {
            return null;
        }
        try {
            d.reopen(() -> openWithin(c.node, window));
        } catch (IOException e) {
            if (d.isOpen()) {
                d.control(HaConstants.HA_RECOVERY_SUSPEND, 0);
            }
            throw e;
        }
        c.recoveries++;
        SelfAttachments.reattach(c);
        return c;
    }

    /** Opens a link to {@code n}, trying again until one opens or {@code windowMs} has passed. */
    private static Link openWithin(HamNode n, long windowMs) throws IOException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(windowMs);
        while (true) {
            try {
                return Link.open(n);
            } catch (HamException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("no HAM at " + n.key() + " within " + windowMs + " ms: " + e.getMessage(), e);
                }
            }
            try {
                Thread.sleep(RECONNECT_RETRY_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while reconnecting to " + n.key());
            }
        }
    }

    private static long reconnectWindowMs() {
        String p = System.getProperty(RECONNECT_PROPERTY);
        if (p == null || p.isBlank()) {
            return DEFAULT_RECONNECT_MS;
        }
        try {
            return Math.max(0, Long.parseLong(p.trim()));
        } catch (NumberFormatException e) {
            throw new HamException(Errno.EINVAL, "system property " + RECONNECT_PROPERTY + "='" + p
                    + "' is not a number of milliseconds");
        }
    }

    /** How many times a stale connection was replaced transparently. */
    public int recoveries() {
        return recoveries;
    }

    // ------------------------------------------------------------------ public API

    /**
     * Opens a pulse channel for this process on the HAM (ChannelCreate): notify-pulse actions
     * aimed at {@code (node, channel.pid(), channel.chid())} arrive in its queue.
     *
     * @throws HamException EBADF when not connected
     */
    public Channel channel() {
        current();
        Channel c = Channel.open(this);
        channels.add(c);
        return c;
    }

    /** A channel closed itself. */
    void channelClosed(Channel c) {
        channels.remove(c);
    }

    /** The node of the open connection (or of the last one, when none is open). */
    public HamNode node() {
        return node;
    }

    /**
     * The open connection to the HAM's MBean server, for calls the handles do not cover (attributes,
     * notifications). Calls through it count as in flight for {@link DisconnectMode#GRACEFUL} and fail
     * with {@code IOException} once it is closed; their errors are plain JMX ones. Notification
     * listeners added through it are called on the JMX connector's notification thread: they must
     * not block it, e.g. on a connect or disconnect of the same node.
     *
     * @throws HamException EBADF when not connected
     */
    public MBeanServerConnection mbeanServer() {
        return current().mbeanServer();
    }

    /** True when the open connection is to a HAM in this JVM (its platform MBean server); false when none is open. */
    public boolean inProcess() {
        Link l = openLink();
        return l != null && l.inProcess();
    }

    /** The JMX connection id of the open connection (empty in-process); EBADF when none is open. */
    public String connectionId() {
        return current().connectionId();
    }

    /** How many connects are not yet balanced by a disconnect. */
    public int refCount() {
        return refs;
    }

    /**
     * The manager MBean, {@code jham:type=Ham}. Each call goes over the connection open at that
     * moment and fails only with {@link HamException} (EBADF when none is open).
     */
    public HamMXBean ham() {
        return proxy(HamMXBean.class, ObjectNames.HAM);
    }

    /**
     * One disconnect, {@link DisconnectMode#GRACEFUL}; the last one closes the connection.
     *
     * @throws HamException EINVAL when every connect was already balanced
     */
    @Override
    public void close() {
        disconnect(DisconnectMode.GRACEFUL);
    }

    @Override
    public String toString() {
        return "HamConnection[" + key + ", refs " + refs + (ha == null ? ", closed" : inProcess() ? ", in-process" : "")
                + "]";
    }
}
