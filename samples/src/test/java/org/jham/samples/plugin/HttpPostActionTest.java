package org.jham.samples.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jham.Errno;
import org.jham.HamException;
import org.jham.agent.plugin.PluginHost;
import org.jham.spi.ActionEvent;
import org.jham.spi.ActionPlugin;
import org.jham.spi.PluginAction;
import org.jham.spi.PluginContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP_POST against a real HTTP server on loopback. */
class HttpPostActionTest {
    private static final ActionEvent EVENT = new ActionEvent("web", "web/death", "web/death/hook", "CONDDEATH", 4242,
            Instant.parse("2024-05-01T12:00:00Z"), "signal 9 \"KILL\"\\ line\nnext\ttab\u0001 é");
    private static final String EVENT_JSON = "{\"entity\":\"web\",\"conditionPath\":\"web/death\","
            + "\"actionPath\":\"web/death/hook\",\"event\":\"CONDDEATH\",\"pid\":4242,"
            + "\"time\":\"2024-05-01T12:00:00Z\",\"detail\":\"signal 9 \\\"KILL\\\"\\\\ line\\nnext\\ttab\\u0001 é\"}";

    /** One request the server received. */
    private record Received(String method, String contentType, String body) {
    }

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final CountDownLatch releaseSlow = new CountDownLatch(1);
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private ExecutorService serverThreads;
    private HttpServer server;
    private HttpPostAction plugin;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", ex -> answer(ex, 204));
        server.createContext("/ok200", ex -> answer(ex, 200));
        server.createContext("/fail", ex -> answer(ex, 500));
        server.createContext("/moved", ex -> {
            ex.getResponseHeaders().add("Location", "/hook");
            answer(ex, 302);
        });
        server.createContext("/slow", ex -> {
            try {
                releaseSlow.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(ex, 204);
        });
        serverThreads = Executors.newCachedThreadPool();
        server.setExecutor(serverThreads);
        server.start();
        plugin = new HttpPostAction();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        releaseSlow.countDown();
        server.stop(0);
        serverThreads.shutdownNow();
        assertTrue(serverThreads.awaitTermination(30, TimeUnit.SECONDS), "server threads did not end");
    }

    private void answer(HttpExchange ex, int status) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            received.add(new Received(ex.getRequestMethod(), ex.getRequestHeaders().getFirst("Content-Type"),
                    new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private PluginContext context() {
        return new PluginContext() {
            @Override
            public String setting(String key, String fallback) {
                return fallback;
            }

            @Override
            public void log(int verbosity, String message) {
                logged.add(verbosity + " " + message);
            }

            @Override
            public List<String> entityNames() {
                return List.of();
            }

            @Override
            public void raise(String entity, int rtype, int rclass, int rseverity) {
            }

            @Override
            public void state(String entity, int tostate) {
            }
        };
    }

    /** What the HAM does to start a plugin: init, then the @PostConstruct methods. */
    private void startAsTheHamDoes() throws Exception {
        plugin.init(context());
        invokeAnnotated(PostConstruct.class);
    }

    private void invokeAnnotated(Class<? extends Annotation> annotation) throws Exception {
        int n = 0;
        for (Method m : HttpPostAction.class.getDeclaredMethods()) {
            if (m.isAnnotationPresent(annotation)) {
                m.setAccessible(true);
                m.invoke(plugin);
                n++;
            }
        }
        assertEquals(1, n, "@" + annotation.getSimpleName() + " methods");
    }

    @Test
    void postsTheEventAsJson() throws Exception {
        startAsTheHamDoes();
        assertEquals(List.of("1 HTTP_POST ready"), logged);
        PluginAction a = plugin.create(url("/hook"));
        a.run(EVENT);
        Received r = received.poll(30, TimeUnit.SECONDS);
        assertEquals("POST", r.method());
        assertEquals("application/json", r.contentType());
        assertEquals(EVENT_JSON, r.body());

        plugin.create(url("/ok200") + "  timeout=5000 ").run(EVENT);
        assertEquals(EVENT_JSON, received.poll(30, TimeUnit.SECONDS).body());
    }

    @Test
    void nullFieldsAreJsonNull() {
        assertEquals("{\"entity\":null,\"conditionPath\":null,\"actionPath\":null,\"event\":null,\"pid\":-1,"
                + "\"time\":null,\"detail\":null}",
                HttpPostAction.json(new ActionEvent(null, null, null, null, -1, null, null)));
        assertEquals("\"\\u001f\\b\\f\\r/\"", HttpPostAction.quoted("\u001f\b\f\r/"));
    }

    @Test
    void describeNamesTheUrlAndTimeout() {
        assertEquals("POST " + url("/hook") + " (timeout 2000 ms)", plugin.create(url("/hook")).describe());
        assertEquals("POST https://example.org/x?y=1 (timeout 150 ms)",
                plugin.create("https://example.org/x?y=1 timeout=150").describe());
    }

    @Test
    void aNon2xxAnswerIsAFailureNamingTheStatus() throws Exception {
        startAsTheHamDoes();
        IOException e = assertThrows(IOException.class, () -> plugin.create(url("/fail")).run(EVENT));
        assertTrue(e.getMessage().contains("HTTP 500"), e.getMessage());
        assertEquals(EVENT_JSON, received.poll(30, TimeUnit.SECONDS).body());
        // Redirects are not followed: a 3xx is not success.
        IOException moved = assertThrows(IOException.class, () -> plugin.create(url("/moved")).run(EVENT));
        assertTrue(moved.getMessage().contains("HTTP 302"), moved.getMessage());
    }

    @Test
    void nothingListeningIsAFailure() throws Exception {
        startAsTheHamDoes();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PluginAction a = plugin.create("http://127.0.0.1:" + port + "/hook timeout=5000");
        IOException e = assertThrows(IOException.class, () -> a.run(EVENT));
        assertTrue(e.getMessage().contains("127.0.0.1:" + port) && e.getMessage().contains("failed"),
                e.getMessage());
    }

    @Test
    void noAnswerWithinTheTimeoutIsAFailure() throws Exception {
        startAsTheHamDoes();
        IOException e = assertThrows(IOException.class, () -> plugin.create(url("/slow") + " timeout=200").run(EVENT));
        assertTrue(e.getMessage().contains("timed out after 200 ms"), e.getMessage());
    }

    @Test
    void afterPreDestroyActionsFail() throws Exception {
        startAsTheHamDoes();
        PluginAction a = plugin.create(url("/hook"));
        invokeAnnotated(PreDestroy.class);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.run(EVENT));
        assertTrue(e.getMessage().contains("not started"), e.getMessage());
    }

    @Test
    void badArgumentsAreEinval() {
        assertEinval(null, "needs a URL");
        assertEinval("  ", "needs a URL");
        assertEinval("ftp://example.org/x", "'ftp://example.org/x'", "http:// or https://");
        assertEinval("example.org/hook", "'example.org/hook'", "http:// or https://");
        assertEinval("mailto:op@example.org", "http:// or https://");
        assertEinval("http://exa mple.org/", "'http://exa mple.org/'");
        assertEinval("http://", "'http://'");
        assertEinval("http:///nohost", "'http:///nohost'", "no (valid) host");
        assertEinval("http://[::1/x", "'http://[::1/x'", "not a URL");
        assertEinval("http://h/x timeout=0", "timeout '0'", "1..60000");
        assertEinval("http://h/x timeout=60001", "timeout '60001'");
        assertEinval("http://h/x timeout=soon", "timeout 'soon'");
        assertEinval("http://h/x timeout=", "timeout ''");
        assertEinval("http://h/x retries=3", "'http://h/x retries=3'", "timeout=MS");
        assertEinval("http://h/x timeout=10 more", "timeout=MS");
    }

    private void assertEinval(String args, String... fragments) {
        HamException e = assertThrows(HamException.class, () -> plugin.create(args), String.valueOf(args));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("HTTP_POST"), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    @Test
    void registeredForServiceLoader() {
        assertTrue(ServiceLoader.load(ActionPlugin.class).stream()
                .anyMatch(p -> p.type() == HttpPostAction.class), "META-INF/services lacks HttpPostAction");
    }

    @Test
    void theHamsPluginHostRunsItsLifecycle() throws Exception {
        // The plugin path is empty: the host finds HTTP_POST on this class path, as ServiceLoader does.
        List<String> hostLog = new CopyOnWriteArrayList<>();
        try (PluginHost host = new PluginHost(List.of(), name -> context(), hostLog::add)) {
            host.start();
            assertEquals(List.of(HttpPostAction.TYPE), host.actionTypes(), hostLog.toString());
            // The sample DISK_SPACE detector is on this class path too; unconfigured, it stays idle.
            assertEquals(List.of(DiskSpaceDetector.NAME), host.detectorNames(), hostLog.toString());
            assertTrue(logged.contains("1 HTTP_POST ready"), logged.toString());
            ActionPlugin p = host.actionPlugin("http_post");
            assertInstanceOf(HttpPostAction.class, p);
            p.create(url("/hook")).run(EVENT);
            assertEquals(EVENT_JSON, received.poll(30, TimeUnit.SECONDS).body());
        }
    }
}
