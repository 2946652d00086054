package org.jham.testing;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.Notification;
import javax.management.remote.JMXConnectionNotification;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.MBeanServerForwarder;
import javax.management.remote.JMXServiceURL;
import org.jham.mbean.ObjectNames;

/**
 * A stand-in HAM: a fresh MBean server with a {@link FakeHam} under {@code jham:type=Ham}, served
 * by a real JMXMP connector server on 127.0.0.1 and an ephemeral port. Counts the connections it
 * sees open at once, from the connector server's own notifications.
 */
public final class TestServer implements AutoCloseable {
    public final MBeanServer mbs = MBeanServerFactory.newMBeanServer();
    public final FakeHam ham = new FakeHam(mbs);
    public final JMXConnectorServer server;
    public final int port;
    /** The node name a client uses: {@code 127.0.0.1:<port>}. */
    public final String node;
    public final AtomicInteger opened = new AtomicInteger();
    public final AtomicInteger open = new AtomicInteger();
    public final AtomicInteger maxOpen = new AtomicInteger();
    /** Every request a client made through the connector, including the transport's own checks. */
    public final AtomicInteger requests = new AtomicInteger();

    public TestServer() throws Exception {
        this(0);
    }

    public TestServer(int port) throws Exception {
        this(port, Map.of());
    }

    /** @param serverEnv extra connector server environment, e.g. its idle connection timeout */
    public TestServer(int port, Map<String, ?> serverEnv) throws Exception {
        mbs.registerMBean(ham, ObjectNames.HAM);
        Map<String, Object> env = new HashMap<>(serverEnv);
        env.put(JMXConnectorServerFactory.PROTOCOL_PROVIDER_CLASS_LOADER, TestServer.class.getClassLoader());
        server = JMXConnectorServerFactory.newJMXConnectorServer(new JMXServiceURL("jmxmp", "127.0.0.1", port), env, mbs);
        server.addNotificationListener((Notification n, Object h) -> {
            String t = n.getType();
            if (JMXConnectionNotification.OPENED.equals(t)) {
                opened.incrementAndGet();
                int now = open.incrementAndGet();
                maxOpen.accumulateAndGet(Math.max(now, server.getConnectionIds().length), Math::max);
            } else if (JMXConnectionNotification.CLOSED.equals(t) || JMXConnectionNotification.FAILED.equals(t)) {
                open.decrementAndGet();
            }
        }, null, null);
        server.setMBeanServerForwarder(counting());
        server.start();
        this.port = server.getAddress().getPort();
        this.node = "127.0.0.1:" + this.port;
    }

    private MBeanServerForwarder counting() {
        MBeanServer[] target = new MBeanServer[1];
        return (MBeanServerForwarder) Proxy.newProxyInstance(TestServer.class.getClassLoader(),
                new Class<?>[] {MBeanServerForwarder.class}, (Object self, Method m, Object[] args) -> {
                    if (m.getName().equals("getMBeanServer")) {
                        return target[0];
                    }
                    if (m.getName().equals("setMBeanServer")) {
                        target[0] = (MBeanServer) args[0];
                        return null;
                    }
                    if (m.getDeclaringClass() != Object.class) {
                        requests.incrementAndGet();
                    }
                    try {
                        return m.invoke(target[0], args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The ids of the client connections the server has open now. */
    public Set<String> connectionIds() {
        return new TreeSet<>(Set.of(server.getConnectionIds()));
    }

    public void stop() throws IOException {
        if (server.isActive()) {
            server.stop();
        }
    }

    @Override
    public void close() throws IOException {
        ham.release();
        stop();
    }
}
