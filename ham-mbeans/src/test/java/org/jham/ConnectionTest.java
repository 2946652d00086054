package org.jham;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.jham.mbean.ObjectNames;
import org.jham.testing.Await;
import org.jham.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Seed 000 over real JMXMP on loopback: one shared, reference-counted connection per node, opened
 * by the first connect and closed by the last disconnect, seen from the server's side.
 */
class ConnectionTest {
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    private TestServer server() throws Exception {
        TestServer s = new TestServer();
        cleanup.add(0, s);
        return s;
    }

    @AfterEach
    void closeAll() throws Exception {
        System.clearProperty("jham.node");
        System.clearProperty("jham.request.timeout.ms");
        System.clearProperty("jham.keepalive.ms");
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    private static String url(TestServer s) {
        return "service:jmx:jmxmp://127.0.0.1:" + s.port;
    }

    private static void awaitNoConnection(TestServer s) {
        Await.until("the server to see no connection", () -> s.connectionIds().isEmpty());
    }

    /** The server registers a connection a moment after the client's connect returns. */
    private static Set<String> awaitOneConnection(TestServer s) {
        Await.until("the server to see one connection", () -> s.connectionIds().size() == 1);
        return s.connectionIds();
    }

    @Test
    void firstConnectOpensLaterOnesShareLastDisconnectCloses() throws Exception {
        TestServer s = server();
        assertTrue(s.connectionIds().isEmpty());

        HamConnection c1 = Ham.connect(s.node);
        Set<String> ids = awaitOneConnection(s);
        assertEquals(1, c1.refCount());
        assertFalse(c1.inProcess());

        HamConnection c2 = Ham.connect(s.node);
        assertSame(c1, c2, "one HamConnection per node");
        assertEquals(2, c1.refCount());
        assertEquals(ids, s.connectionIds(), "the second connect shares the connection");

        Ham.disconnect(s.node);
        assertEquals(1, c1.refCount());
        assertEquals(ids, s.connectionIds(), "still open while the count is above zero");
        assertEquals(0, c1.ham().getVerbosity());

        Ham.disconnect(s.node);
        assertEquals(0, c1.refCount());
        awaitNoConnection(s);
        assertEquals(1, s.opened.get());

        // A later connect opens a new connection, through the same object.
        try (HamConnection c3 = Ham.connect(s.node)) {
            assertSame(c1, c3);
            assertNotEquals(ids, awaitOneConnection(s));
        }
        awaitNoConnection(s);
        assertEquals(2, s.opened.get());
    }

    @Test
    void localNodeAndExplicitAddressShareOneConnection() throws Exception {
        TestServer s = server();
        System.setProperty("jham.node", s.node);

        HamConnection local = Ham.connect();
        assertTrue(local.node().isLocal());
        HamConnection byAddress = Ham.connect("127.0.0.1:" + s.port);
        HamConnection byUrl = Ham.connect(url(s));
        assertSame(local, byAddress);
        assertSame(local, byUrl);
        assertEquals(3, local.refCount());
        Set<String> ids = awaitOneConnection(s);

        // Disconnects can be mixed freely too.
        Ham.disconnect(url(s));
        Ham.disconnect();
        assertEquals(ids, s.connectionIds());
        Ham.disconnect("", DisconnectMode.GRACEFUL);
        assertEquals(0, local.refCount());
        awaitNoConnection(s);
        assertEquals(1, s.opened.get());
    }

    @Test
    void anUnbalancedDisconnectIsEinval() throws Exception {
        TestServer s = server();
        HamException never = assertThrows(HamException.class, () -> Ham.disconnect(s.node));
        assertEquals(Errno.EINVAL, never.errno());
        assertEquals("EINVAL: no connection to " + url(s) + " to disconnect", never.getMessage());

        HamConnection c = Ham.connect(s.node);
        c.close();
        HamException again = assertThrows(HamException.class, c::close);
        assertEquals(Errno.EINVAL, again.errno());
        assertEquals(0, c.refCount());
    }

    @Test
    void concurrentConnectsNeverOpenTwoConnections() throws Exception {
        TestServer s = server();
        int threads = 8;
        int pairs = 200;
        CyclicBarrier start = new CyclicBarrier(threads);
        AtomicInteger calls = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < pairs; i++) {
                        HamConnection c = Ham.connect(s.node);
                        assertTrue(c.refCount() >= 1);
                        if (i % 20 == 0) {
                            c.ham().getVerbosity();
                            calls.incrementAndGet();
                        }
                        Ham.disconnect(s.node);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads * pairs / 20, calls.get());
        assertEquals(1, s.maxOpen.get(), "connections open at once, as the server saw them; opened " + s.opened.get());
        assertTrue(s.opened.get() >= 1);
        HamConnection after = Ham.connect(s.node);
        assertEquals(1, after.refCount(), "every connect was balanced");
        after.close();
        awaitNoConnection(s);
    }

    @Test
    void anUnreachableHamIsEbadf() {
        HamException e = assertThrows(HamException.class, () -> Ham.connect("127.0.0.1:1"));
        assertEquals(Errno.EBADF, e.errno());
        assertTrue(e.getMessage().startsWith("EBADF: cannot connect to service:jmx:jmxmp://127.0.0.1:1: "), e.getMessage());
        // The failed connect counted nothing.
        assertEquals(Errno.EINVAL, assertThrows(HamException.class, () -> Ham.disconnect("127.0.0.1:1")).errno());
        // Calls that connect on their own report it the same way.
        assertEquals(Errno.EBADF, assertThrows(HamException.class,
                () -> Ham.attach("x", "127.0.0.1:1", -1, "/bin/sleep 1", 0)).errno());
        assertEquals(Errno.EBADF, assertThrows(HamException.class, () -> Ham.stop("127.0.0.1:1")).errno());
        assertEquals(Errno.EINVAL, assertThrows(HamException.class, () -> Ham.connect("no:such:node")).errno());
    }

    @Test
    void aListenerThatNeverAnswersIsEbadfWithinTheRequestTimeout() throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // The test closed the listener: done.
                }
            }, "test-silent-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
            System.setProperty("jham.request.timeout.ms", "300");
            String node = "127.0.0.1:" + silent.getLocalPort();
            HamException e = assertThrows(HamException.class, () -> Ham.connect(node));
            assertEquals(Errno.EBADF, e.errno());
            assertTrue(e.getMessage().contains("no answer within 300 ms"), e.getMessage());
            assertEquals(Errno.EINVAL, assertThrows(HamException.class, () -> Ham.disconnect(node)).errno());
        } finally {
            for (Socket a : accepted) {
                a.close();
            }
        }
    }

    @Test
    void theKeepAliveStopsTheServerFromDroppingAnIdleConnection() throws Exception {
        TestServer s = new TestServer(0, Map.of("jmx.remote.x.server.connection.timeout", 1000L));
        cleanup.add(0, s);
        System.setProperty("jham.keepalive.ms", "100");
        try (HamConnection c = Ham.connect(s.node)) {
            Set<String> ids = awaitOneConnection(s);
            int before = s.requests.get();
            // Twenty checks span twice the server's idle timeout.
            Await.until("twenty keep-alive checks", () -> s.requests.get() - before >= 20);
            assertEquals(ids, s.connectionIds());
            assertEquals(1, s.opened.get());
            assertFalse(c.isBroken());
            assertEquals(0, c.ham().getVerbosity());
        }
    }

    @Test
    void aCallOnAConnectionDroppedByTheServerReconnectsAndSucceeds() throws Exception {
        TestServer s = new TestServer(0, Map.of("jmx.remote.x.server.connection.timeout", 300L));
        cleanup.add(0, s);
        HamConnection c = Ham.connect(s.node);
        Await.until("the server to drop the idle connection", () -> c.isBroken());
        assertEquals(0, c.ham().getVerbosity(), "the call is retried over a new connection");
        assertFalse(c.isBroken());
        assertEquals(1, c.recoveries());
        assertEquals(1, c.refCount());
        assertEquals(2, s.opened.get());
        assertSame(c, Ham.connect(s.node));
        assertEquals(2, c.refCount());
        Ham.disconnect(s.node);
        Ham.disconnect(s.node);
    }

    @Test
    void manyThreadsFailingOnOneStaleConnectionRecoverItOnce() throws Exception {
        TestServer s = new TestServer(0, Map.of("jmx.remote.x.server.connection.timeout", 300L));
        cleanup.add(0, s);
        HamConnection c = Ham.connect(s.node);
        Await.until("the server to drop the idle connection", () -> c.isBroken());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(pool.submit(() -> c.ham().getVerbosity()));
            }
            for (Future<Integer> f : calls) {
                assertEquals(0, f.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, c.recoveries(), "one recovery for all the threads");
        assertEquals(2, s.opened.get());
        c.close();
    }

    @Test
    void withoutAReconnectWindowADroppedConnectionIsEbadfUntilTheNextConnect() throws Exception {
        TestServer s = new TestServer(0, Map.of("jmx.remote.x.server.connection.timeout", 300L));
        cleanup.add(0, s);
        System.setProperty(HamConnection.RECONNECT_PROPERTY, "0");
        try {
            HamConnection c = Ham.connect(s.node);
            Await.until("the server to drop the idle connection", () -> c.isBroken());
            assertEquals(Errno.EBADF, assertThrows(HamException.class, () -> c.ham().getVerbosity()).errno());
            assertSame(c, Ham.connect(s.node));
            assertFalse(c.isBroken());
            assertEquals(2, c.refCount());
            assertEquals(0, c.ham().getVerbosity());
            assertEquals(2, s.opened.get());
            assertEquals(0, c.recoveries());
            Ham.disconnect(s.node);
            Ham.disconnect(s.node);
        } finally {
            System.clearProperty(HamConnection.RECONNECT_PROPERTY);
        }
    }

    @Test
    void aServerThatDoesNotComeBackWithinTheWindowGivesEbadf() throws Exception {
        TestServer s = server();
        System.setProperty(HamConnection.RECONNECT_PROPERTY, "300");
        try {
            HamConnection c = Ham.connect(s.node);
            s.close();
            HamException e = assertThrows(HamException.class, () -> c.ham().getVerbosity());
            assertEquals(Errno.EBADF, e.errno(), e.getMessage());
            assertEquals(0, c.recoveries());
            Ham.disconnect(s.node, DisconnectMode.ABRUPT);
        } finally {
            System.clearProperty(HamConnection.RECONNECT_PROPERTY);
        }
    }

    @Test
    void callsWithoutAConnectAreEbadf() throws Exception {
        TestServer s = server();
        HamException e = assertThrows(HamException.class, () -> Ham.entityHandle(s.node, "svc", 0));
        assertEquals(Errno.EBADF, e.errno());
        assertEquals("EBADF: not connected to " + url(s) + ": call Ham.connect first", e.getMessage());

        EntityHandle h = Ham.attach("svc", s.node, -1, "/bin/sleep 1000", 0);
        awaitNoConnection(s); // attach disconnects when done
        assertEquals(Errno.EBADF, assertThrows(HamException.class, h::info).errno());
        assertEquals(Errno.EBADF, assertThrows(HamException.class, () -> h.condition(1, "death", 0)).errno());

        HamConnection c = Ham.connect(s.node);
        c.close();
        assertEquals(Errno.EBADF, assertThrows(HamException.class, () -> c.ham().getVerbosity()).errno());
        assertEquals(Errno.EBADF, assertThrows(HamException.class, c::mbeanServer).errno());
        assertEquals(Errno.EBADF, assertThrows(HamException.class,
                () -> Ham.conditionHandle(s.node, "svc", "death", 0)).errno());
    }

    @Test
    void aHamThatGoesAwayIsEbadfAndTheNextConnectReopens() throws Exception {
        TestServer first = server();
        HamConnection c = Ham.connect(first.node);
        assertEquals(0, c.ham().getVerbosity());
        first.stop();
        Await.until("the client to see the connection fail", c::isBroken);
        HamException e = assertThrows(HamException.class, () -> c.ham().getVerbosity());
        assertEquals(Errno.EBADF, e.errno());

        TestServer second;
        try {
            second = new TestServer(first.port);
        } catch (BindException busy) {
            Assumptions.abort("port " + first.port + " was taken meanwhile: " + busy);
            return;
        }
        cleanup.add(0, second);
        second.ham.verbose("VERBOSE_SET", 7);
        assertSame(c, Ham.connect(first.node), "the next connect reopens for every holder");
        assertEquals(2, c.refCount());
        assertFalse(c.isBroken());
        assertEquals(7, c.ham().getVerbosity());
        awaitOneConnection(second);
        Ham.disconnect(first.node);
        Ham.disconnect(first.node);
        awaitNoConnection(second);
    }

    @Test
    void gracefulDisconnectLetsInFlightCallsFinish() throws Exception {
        TestServer s = server();
        HamConnection c = Ham.connect(s.node);
        Set<String> ids = awaitOneConnection(s);
        s.ham.gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Integer> call = pool.submit(() -> c.ham().verbose("VERBOSE_GET", 0));
            Await.until("the call to reach the HAM", () -> s.ham.gated.get() == 1);
            Future<?> disconnect = pool.submit(() -> Ham.disconnect(s.node, DisconnectMode.GRACEFUL));
            Await.until("the disconnect to start", () -> c.refCount() == 0);
            // New calls are refused at once; the call in flight keeps the connection open.
            assertEquals(Errno.EBADF, assertThrows(HamException.class, () -> c.ham().getVerbosity()).errno());
            assertEquals(ids, s.connectionIds());
            assertFalse(disconnect.isDone());

            s.ham.gate.countDown();
            assertEquals(0, call.get(30, TimeUnit.SECONDS));
            disconnect.get(30, TimeUnit.SECONDS);
            awaitNoConnection(s);
        } finally {
            s.ham.gate.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void abruptDisconnectFailsInFlightCalls() throws Exception {
        TestServer s = server();
        HamConnection c = Ham.connect(s.node);
        s.ham.gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try {
            Future<Integer> call = pool.submit(() -> c.ham().verbose("VERBOSE_GET", 0));
            Await.until("the call to reach the HAM", () -> s.ham.gated.get() == 1);
            Ham.disconnect(s.node, DisconnectMode.ABRUPT);
            java.util.concurrent.ExecutionException failed = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> call.get(30, TimeUnit.SECONDS));
            HamException e = (HamException) failed.getCause();
            assertEquals(Errno.EBADF, e.errno(), e.getMessage());
            awaitNoConnection(s);
        } finally {
            s.ham.gate.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void theRequestTimeoutComesFromASystemProperty() throws Exception {
        TestServer s = server();
        System.setProperty("jham.request.timeout.ms", "soon");
        assertEquals(Errno.EINVAL, assertThrows(HamException.class, () -> Ham.connect(s.node)).errno());

        System.setProperty("jham.request.timeout.ms", "200");
        try (HamConnection c = Ham.connect(s.node)) {
            s.ham.gate = new CountDownLatch(1);
            HamException e = assertThrows(HamException.class, () -> c.ham().verbose("VERBOSE_GET", 0));
            assertEquals(Errno.EBADF, e.errno());
            assertTrue(e.getMessage().contains("no reply in time"), e.getMessage());
            s.ham.gate.countDown();
            s.ham.gate = null;
            assertEquals(0, c.ham().getVerbosity(), "the connection survives a timed-out call");
        }
    }

    @Test
    void aHamInThisJvmIsUsedInProcess() throws Exception {
        MBeanServer platform = ManagementFactory.getPlatformMBeanServer();
        TestServer remote = server();
        // The platform MBean server gets its own fake HAM; the JMXMP one must not be used.
        org.jham.testing.FakeHam inProcess = org.jham.testing.InProcess.install(platform);
        try {
            System.setProperty("jham.node", "127.0.0.1:1");
            HamConnection c = Ham.connect();
            assertTrue(c.inProcess());
            Ham.verbose(null, HamConstants.VERBOSE_SET, 5);
            assertEquals(5, c.ham().getVerbosity());
            EntityHandle h = Ham.attach("local", null, -1, "/bin/sleep 1000", 0);
            assertTrue(platform.isRegistered(ObjectNames.entity("local")));
            assertTrue(h.info().contains("local"));
            Ham.disconnect();
            assertEquals(0, c.refCount());
            assertFalse(c.inProcess());
            // A named node is never in-process, even when it is the local address.
            System.setProperty("jham.node", remote.node);
            try (HamConnection named = Ham.connect(remote.node)) {
                assertFalse(named.inProcess());
                assertEquals(0, named.ham().getVerbosity());
            }
        } finally {
            for (ObjectName n : platform.queryNames(new ObjectName("jham:*"), null)) {
                platform.unregisterMBean(n);
            }
        }
        assertEquals(5, inProcess.getVerbosity());
    }
}
