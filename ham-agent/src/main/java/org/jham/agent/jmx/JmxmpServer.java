package org.jham.agent.jmx;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.MBeanServer;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import org.jham.Errno;
import org.jham.HamException;

/**
 * The JMXMP connector server of a HAM. Loopback only until authentication exists: a non-loopback
 * bind address is refused. Started from a daemon thread, because the connector's threads inherit
 * daemon-ness and must not keep a host JVM alive. Thread-safe.
 */
public final class JmxmpServer implements AutoCloseable {
    /** Notifications buffered per connector before a slow client starts losing them (default 1,000). */
    static final int NOTIFICATION_BUFFER = 100_000;

    private final JMXConnectorServer connector;

    private JmxmpServer(JMXConnectorServer connector) {
        this.connector = connector;
    }

    /** Starts serving {@code server} on {@code bind:port} (port 0 = ephemeral). */
    public static JmxmpServer start(MBeanServer server, String bind, int port) {
        checkLoopback(bind);
        Map<String, Object> env = new HashMap<>();
        // agentmain runs with a null context class loader: name ours or "Unsupported protocol: jmxmp".
        env.put(JMXConnectorServerFactory.PROTOCOL_PROVIDER_CLASS_LOADER, JmxmpServer.class.getClassLoader());
        env.put("jmx.remote.x.notification.buffer.size", NOTIFICATION_BUFFER);
        // OpenDMK listens on every interface unless told otherwise: bind only the loopback address given.
        env.put("jmx.remote.server.address.wildcard", "false");
        // One parameter class loader per MBean loader, not one per request: see ReusedLoaderWrapping.
        env.put("jmx.remote.object.wrapping", new ReusedLoaderWrapping());
        AtomicReference<Object> result = new AtomicReference<>();
        Thread starter = new Thread(() -> {
            try {
                JMXConnectorServer cs = JMXConnectorServerFactory.newJMXConnectorServer(
                        new JMXServiceURL("jmxmp", bind, port), env, server);
                cs.start();
                result.set(cs);
            } catch (IOException | RuntimeException e) {
                result.set(e);
            }
        }, "ham-jmxmp-start");
        starter.setDaemon(true);
        starter.start();
        try {
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HamException(Errno.EIO, "interrupted while starting the JMXMP connector");
        }
        Object r = result.get();
        if (r instanceof JMXConnectorServer) {
            return new JmxmpServer((JMXConnectorServer) r);
        }
        Throwable t = (Throwable) r;
        throw new HamException(Errno.EIO, "cannot listen for JMXMP on " + bind + ":" + port + ": " + t.getMessage(), t);
    }

    static void checkLoopback(String bind) {
        InetAddress a;
        try {
            a = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new HamException(Errno.EINVAL, "bind address '" + bind + "' does not resolve");
        }
        if (!a.isLoopbackAddress()) {
            throw new HamException(Errno.EACCES, "refusing to listen on non-loopback address " + bind
                    + ": connections are not authenticated yet, so the HAM only binds loopback (e.g. 127.0.0.1)");
        }
    }

    /**
     * Tells {@code closed} the id of each client connection that closes or fails (a self-attached
     * entity's connection closing without ham_detach_self is its death).
     */
    public void onConnectionEnd(java.util.function.Consumer<String> closed) {
        connector.addNotificationListener((javax.management.Notification n, Object h) -> {
            if (n instanceof javax.management.remote.JMXConnectionNotification
                    && (javax.management.remote.JMXConnectionNotification.CLOSED.equals(n.getType())
                        || javax.management.remote.JMXConnectionNotification.FAILED.equals(n.getType()))) {
                closed.accept(((javax.management.remote.JMXConnectionNotification) n).getConnectionId());
            }
        }, null, null);
    }

    /** The address clients connect to, with the real port, e.g. {@code service:jmx:jmxmp://127.0.0.1:7770}. */
    public String address() {
        JMXServiceURL u = connector.getAddress();
        return "service:jmx:jmxmp://" + u.getHost() + ":" + u.getPort();
    }

    public int port() {
        return connector.getAddress().getPort();
    }

    @Override
    public void close() {
        try {
            connector.stop();
        } catch (IOException e) {
            throw new HamException(Errno.EIO, "stopping the JMXMP connector: " + e.getMessage(), e);
        }
    }
}
