package org.jham.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.remote.JMXConnectionNotification;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import org.jham.DisconnectMode;
import org.jham.Errno;
import org.jham.HamException;
import org.jham.HamNode;
import org.jham.mbean.ObjectNames;

/**
 * One open connection to a HAM: a JMXMP connector, or the platform MBean server when the HAM runs
 * inside this JVM. Every call made through {@link #mbeanServer()} is counted while in flight, so
 * that a graceful close can let those calls finish and refuse new ones.
 *
 * <p>OpenDMK's JMXMP client has no bound on its handshake (a listener that accepts but never
 * answers holds {@code connect()} forever) nor on {@code close()}, so both run on a short-lived
 * daemon thread and the caller waits at most the request timeout (connect) or
 * {@value #CLOSE_TIMEOUT_MS} ms (close); a thread still blocked after that is left to end when the
 * peer closes the socket, and a connect that succeeds after its caller gave up is closed at once.
 * A connection that has already failed is closed in the background, without waiting.
 *
 * <p>A failed JMXMP connection stays failed ({@link Transport} keeps OpenDMK from reconnecting on
 * its own, which can hang): {@link #isBroken()} turns true on the connector's FAILED or CLOSED
 * notification, and the owner opens a new link. A keep-alive ({@value #KEEPALIVE_PROPERTY}) stops
 * the server from dropping idle connections.
 *
 * <p>Thread-safe.
 */
public final class Link {
    /** System property: the JMXMP request timeout in milliseconds. */
    public static final String REQUEST_TIMEOUT_PROPERTY = "jham.request.timeout.ms";
    public static final long DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
    /** The OpenDMK environment key of the request timeout (Long, ms); without it a call to a hung HAM waits forever. */
    static final String REQUEST_TIMEOUT_ENV = "jmx.remote.x.request.timeout";
    /** System property: the keep-alive period in milliseconds (see {@link #DEFAULT_KEEPALIVE_MS}). */
    public static final String KEEPALIVE_PROPERTY = "jham.keepalive.ms";
    /**
     * How often the client checks an idle connection, which also keeps the JMXMP server from
     * dropping it: the server's {@code jmx.remote.x.server.connection.timeout} (2 minutes by
     * default) must be longer.
     */
    public static final long DEFAULT_KEEPALIVE_MS = 30_000;
    static final String KEEPALIVE_ENV = "jmx.remote.x.client.connection.check.period";
    /** The longest a caller waits for the connector to close. A normal JMXMP close takes ~100 ms. */
    public static final long CLOSE_TIMEOUT_MS = 5_000;

    private final HamNode node;
    private final JMXConnector connector;
    private final MBeanServerConnection tracked;
    private final long requestTimeoutMs;
    private final AtomicBoolean broken;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object idle = new Object();
    private volatile boolean closing;
    /** Set by an ABRUPT close: calls still in flight fail with EBADF, whatever the HAM answers. */
    private volatile boolean abrupt;

    private Link(HamNode node, JMXConnector connector, MBeanServerConnection raw, long requestTimeoutMs,
            AtomicBoolean broken) {
        this.node = node;
        this.connector = connector;
        this.requestTimeoutMs = requestTimeoutMs;
        this.broken = broken;
        InvocationHandler h = (Object self, Method m, Object[] args) -> invoke(raw, self, m, args);
        this.tracked = (MBeanServerConnection) Proxy.newProxyInstance(MBeanServerConnection.class.getClassLoader(),
                new Class<?>[] {MBeanServerConnection.class}, h);
    }

    /**
     * Opens a connection: in-process when the node is local and this JVM's platform MBean server
     * has {@code jham:type=Ham}, else JMXMP.
     *
     * @throws HamException EBADF when the HAM cannot be reached, EACCES when it refuses the
     *                      credentials, EINVAL for a bad request timeout property
     */
    public static Link open(HamNode node) {
        long timeout = positiveMs(REQUEST_TIMEOUT_PROPERTY, DEFAULT_REQUEST_TIMEOUT_MS);
        if (node.isLocal()) {
            MBeanServer platform = ManagementFactory.getPlatformMBeanServer();
            if (platform.isRegistered(ObjectNames.HAM)) {
                return new Link(node, null, platform, timeout, new AtomicBoolean());
            }
        }
        Map<String, Object> env = new HashMap<>();
        env.put(REQUEST_TIMEOUT_ENV, timeout);
        env.put(KEEPALIVE_ENV, positiveMs(KEEPALIVE_PROPERTY, DEFAULT_KEEPALIVE_MS));
        // The context class loader may be null (agents, some containers): name ours, which sees OpenDMK.
        env.put(JMXConnectorFactory.PROTOCOL_PROVIDER_CLASS_LOADER, Link.class.getClassLoader());
        AtomicBoolean broken = new AtomicBoolean();
        JMXConnector c = null;
        try {
            if ("jmxmp".equals(node.url().getProtocol())) {
                env.put(Transport.ENV_KEY, Transport.create(node.url().getHost(), node.url().getPort(),
                        Link.class.getClassLoader(), broken));
            }
            c = JMXConnectorFactory.newJMXConnector(node.url(), env);
            c.addConnectionNotificationListener((Notification n, Object handback) -> {
                String type = n.getType();
                if (JMXConnectionNotification.FAILED.equals(type) || JMXConnectionNotification.CLOSED.equals(type)) {
                    broken.set(true);
                }
            }, null, null);
            connect(c, env, timeout, "jham-connect " + node.key());
            return new Link(node, c, c.getMBeanServerConnection(), timeout, broken);
        } catch (GaveUp e) {
            // The connect thread owns the connector now and closes it if it ever connects.
            throw new HamException(Errno.EBADF, "cannot connect to " + node.url() + ": " + Remote.reason(e), e);
        } catch (SecurityException e) {
            throw closeAfter(c, new HamException(Errno.EACCES, "access to " + node.url() + " refused: "
                    + Remote.reason(e), e));
        } catch (IOException | RuntimeException e) {
            throw closeAfter(c, new HamException(Errno.EBADF, "cannot connect to " + node.url() + ": "
                    + Remote.reason(e), e));
        }
    }

    /**
     * Connects on a daemon thread and waits at most {@code timeoutMs}. Whoever settles first wins:
     * if the caller gives up, the connect thread closes the connector should it connect later, so
     * that no connection is left open that nobody owns.
     *
     * @throws GaveUp when the caller gave up waiting
     */
    private static void connect(JMXConnector c, Map<String, Object> env, long timeoutMs, String threadName)
            throws IOException {
        AtomicBoolean settled = new AtomicBoolean();
        FutureTask<Void> task = new FutureTask<>(() -> {
            c.connect(env);
            if (!settled.compareAndSet(false, true)) {
                closeInBackground(c, threadName);
            }
            return null;
        });
        start(task, threadName);
        try {
            await(task, timeoutMs);
        } catch (InterruptedIOException e) {
            if (settled.compareAndSet(false, true)) {
                throw new GaveUp(e);
            }
            // Connected just as the time ran out: take it (the task is about to return).
            await(task, CLOSE_TIMEOUT_MS);
        }
    }

    /** The caller stopped waiting for a connect; the connect thread cleans up after it. */
    private static final class GaveUp extends InterruptedIOException {
        private static final long serialVersionUID = 1L;

        GaveUp(InterruptedIOException why) {
            super(why.getMessage());
            initCause(why.getCause());
        }
    }

    /**
     * Closes a connector without waiting: nobody is left to report a failure to, the connection
     * having failed or been given up already.
     */
    private static void closeInBackground(JMXConnector c, String threadName) {
        start(() -> {
            try {
                c.close();
            } catch (IOException | RuntimeException ignored) {
                // See above: the connection was already failed or abandoned.
            }
        }, threadName + " (close)");
    }

    private static HamException closeAfter(JMXConnector c, HamException failure) {
        if (c != null) {
            IOException e = closeConnector(c, "jham-close (failed connect)");
            if (e != null) {
                failure.addSuppressed(e);
            }
        }
        return failure;
    }

    /** Closes a connector, waiting at most {@link #CLOSE_TIMEOUT_MS}; returns the failure or null. */
    private static IOException closeConnector(JMXConnector c, String threadName) {
        try {
            bounded(threadName, CLOSE_TIMEOUT_MS, () -> {
                c.close();
                return null;
            });
            return null;
        } catch (IOException e) {
            return e;
        } catch (RuntimeException e) {
            return new IOException(Remote.reason(e), e);
        }
    }

    /**
     * Runs a possibly blocking connector operation on a new daemon thread and waits for it at most
     * {@code timeoutMs}; when the time is up the thread is left behind and the caller gets an
     * {@link InterruptedIOException}.
     */
    static <T> T bounded(String threadName, long timeoutMs, Callable<T> op) throws IOException {
        FutureTask<T> task = new FutureTask<>(op);
        start(task, threadName);
        return await(task, timeoutMs);
    }

    private static void start(Runnable task, String threadName) {
        Thread t = new Thread(task, threadName);
        t.setDaemon(true);
        t.start();
    }

    private static <T> T await(FutureTask<T> task, long timeoutMs) throws IOException {
        try {
            return task.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new InterruptedIOException("no answer within " + timeoutMs + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException i = new InterruptedIOException("interrupted while waiting");
            i.initCause(e);
            throw i;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IOException(Remote.reason(cause), cause);
        }
    }

    static long configuredRequestTimeoutMs() {
        return positiveMs(REQUEST_TIMEOUT_PROPERTY, DEFAULT_REQUEST_TIMEOUT_MS);
    }

    /** A positive number of milliseconds from a system property, or the default when unset. */
    static long positiveMs(String property, long dflt) {
        String p = System.getProperty(property);
        if (p == null || p.isBlank()) {
            return dflt;
        }
        try {
            long v = Long.parseLong(p.trim());
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below, like a non-positive value
        }
        throw new HamException(Errno.EINVAL, "system property " + property + "='" + p
                + "' is not a positive number of milliseconds");
    }

    public HamNode node() {
        return node;
    }

    /** True when this is the platform MBean server of this JVM (the HAM runs here). */
    /**
     * The JMX connection id, the same the HAM's connector server reports (so the HAM can tell
     * which self-attached entities a closed connection carried); empty in-process.
     */
    public String connectionId() {
        if (connector == null) {
            return "";
        }
        try {
            return connector.getConnectionId();
        } catch (IOException e) {
            throw new HamException(Errno.EBADF, "the connection to " + node.url() + " failed: " + Remote.reason(e), e);
        }
    }

    public boolean inProcess() {
        return connector == null;
    }

    /** The connection, counting each call while it is in flight; after close every call fails with IOException. */
    public MBeanServerConnection mbeanServer() {
        return tracked;
    }

    /** True once the transport reported the connection failed or closed; a link never recovers. */
    /** True once {@link #close} was called. */
    public boolean isClosed() {
        return closing;
    }

    public boolean isBroken() {
        return broken.get();
    }

    /** Calls in flight now. */
    public int inFlight() {
        return inFlight.get();
    }

    public long requestTimeoutMs() {
        return requestTimeoutMs;
    }

    /**
     * Closes the connection. New calls fail at once; GRACEFUL first waits for the calls in flight
     * (at most the request timeout), ABRUPT does not, and those calls fail with EBADF (one whose
     * successful answer arrived first keeps it: its effect happened).
     *
     * @return the failure of closing the connector, or null; the link is closed either way
     */
    public IOException close(DisconnectMode mode) {
        closing = true;
        abrupt = mode == DisconnectMode.ABRUPT;
        if (mode == DisconnectMode.GRACEFUL) {
            awaitIdle();
        }
        if (connector == null) {
            return null;
        }
        if (isBroken()) {
            // The transport already failed: closing it only releases resources (OpenDMK first waits
            // about a second for a connected state that will not come), nothing to wait for.
            closeInBackground(connector, "jham-close " + node.key());
            return null;
        }
        return closeConnector(connector, "jham-close " + node.key());
    }

    private void awaitIdle() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(requestTimeoutMs);
        synchronized (idle) {
            while (inFlight.get() > 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return;
                }
                try {
                    idle.wait(left);
                } catch (InterruptedException e) {
                    // Close now; the caller's thread keeps its interrupt.
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private Object invoke(MBeanServerConnection raw, Object self, Method m, Object[] args) throws Throwable {
        if (m.getDeclaringClass() == Object.class) {
            return Remote.objectMethod(self, m, args, "MBeanServerConnection[" + node.key()
                    + (inProcess() ? ", in-process" : "") + "]");
        }
        // Count first, then look at closing: close() sets closing, then waits for the count, so no
        // call slips past a graceful close.
        inFlight.incrementAndGet();
        try {
            if (closing) {
                throw new IOException("the connection to " + node.key() + " is closed");
            }
            if (broken.get()) {
                // Known dead: fail now rather than wait in OpenDMK for a state that will not come.
                throw new IOException("the connection to " + node.key() + " is lost");
            }
            return m.invoke(raw, args);
        } catch (InvocationTargetException e) {
            if (abrupt) {
                // The HAM may still answer an interrupted call (its handler sees the close as an
                // interrupt) before the transport is down; the caller asked for a closed link.
                IOException closed = new IOException("the connection to " + node.key()
                        + " was closed abruptly while the call was in flight");
                closed.addSuppressed(e.getCause());
                throw closed;
            }
            throw e.getCause();
        } finally {
            if (inFlight.decrementAndGet() == 0 && closing) {
                synchronized (idle) {
                    idle.notifyAll();
                }
            }
        }
    }

    @Override
    public String toString() {
        return "Link[" + node.key() + (inProcess() ? ", in-process" : "") + (closing ? ", closed" : "")
                + (isBroken() ? ", broken" : "") + ", in flight " + inFlight.get() + "]";
    }
}
