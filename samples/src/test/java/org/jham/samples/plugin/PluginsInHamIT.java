package org.jham.samples.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.MBeanServerFactory;
import org.jham.ActionHandle;
import org.jham.ConditionHandle;
import org.jham.EntityHandle;
import org.jham.Errno;
import org.jham.Ham;
import org.jham.HamConnection;
import org.jham.HamConstants;
import org.jham.HamException;
import org.jham.agent.launch.HamOptions;
import org.jham.agent.launch.HamServer;
import org.jham.mbean.ActionMXBean;
import org.jham.mbean.ObjectNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sample plugin jar in a real HAM's plugin directory: HTTP_POST actions post what fired (and
 * their failures run the action-fail list); the DISK_SPACE detector raises a condition that a
 * CONDRAISE subscriber acts on; both are started and stopped by the HAM's lifecycle.
 */
class PluginsInHamIT {
    private static final Path MODULE = Path.of("").toAbsolutePath();

    private Path state;
    private HamServer ham;
    private HamConnection conn;
    private HttpServer web;
    private final BlockingQueue<String> posts = new LinkedBlockingQueue<>();
    private long child = -1;

    @BeforeEach
    void start() throws IOException {
        state = Files.createTempDirectory("jham-plugins");
        Path plugins = Files.createDirectories(state.resolve("plugins"));
        Files.copy(pluginJar(), plugins.resolve("samples-plugin.jar"));
        Path watched = Files.createDirectories(state.resolve("watched"));
        // The detector's settings are HAM system properties; 0% makes any file system "full".
        System.setProperty("jham.plugin.DISK_SPACE.entity", "disk");
        System.setProperty("jham.plugin.DISK_SPACE.path", watched.toString());
        System.setProperty("jham.plugin.DISK_SPACE.percent", "0");
        System.setProperty("jham.plugin.DISK_SPACE.period-ms", "50");
        ham = HamServer.start(HamOptions.parse("--port", "0", "--state-dir", state.toString(), "-V2",
                "-f", state.resolve("activity.log").toString()), MBeanServerFactory.newMBeanServer(),
                HamServer.GuardianLink.NONE, () -> { });
        conn = Ham.connect("127.0.0.1:" + ham.port());
        web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        web.createContext("/hook", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                posts.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        web.start();
    }

    @AfterEach
    void stop() {
        try {
            if (conn != null) {
                conn.close();
            }
            ham.stop(true);
        } finally {
            web.stop(0);
            if (child > 0) {
                ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
            }
            for (String k : List.of("entity", "path", "percent", "period-ms")) {
                System.clearProperty("jham.plugin.DISK_SPACE." + k);
            }
        }
    }

    @Test
    void httpPostActionPostsTheDeathOfARealProcess() throws Exception {
        EntityHandle web1 = Ham.attach("web", conn.node().key(), HamConstants.PID_START, "/bin/sleep 1000", 0);
        child = web1.pid();
        ConditionHandle death = web1.condition(HamConstants.CONDDEATH, "death", 0);
        death.actionCustom("hook", "http_post", hook(), 0);

        ProcessHandle.of(child).orElseThrow().destroyForcibly();

        String body = posts.poll(30, TimeUnit.SECONDS);
        assertNotNull(body, "no POST arrived");
        assertTrue(body.contains("\"entity\":\"web\""), body);
        assertTrue(body.contains("\"event\":\"CONDDEATH\""), body);
        assertTrue(body.contains("\"pid\":" + child), body);
    }

    @Test
    void aFailingPostRunsTheActionFailListAndIsRemoved() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        EntityHandle e = Ham.entity("api", conn.node().key(), 0);
        ConditionHandle raised = e.conditionRaise("alarm", 7, 0, 0, 0);
        ActionHandle hook = raised.actionCustom("hook", "HTTP_POST", "http://127.0.0.1:" + closedPort + "/x timeout=500", 0);
        hook.failLog("note", "web hook unreachable", 1, 1, 0);
        hook.failCustom("backup", "HTTP_POST", hook(), 0);
        ActionMXBean bean = conn.proxy(ActionMXBean.class, ObjectNames.action("api", "alarm", "hook"));
        assertEquals("HTTP_POST", bean.getActionType());
        assertEquals(2, bean.getFailActions().length);

        e.raise(7, 1, 1, 0);

        String body = posts.poll(30, TimeUnit.SECONDS);
        assertNotNull(body, "the fail list's backup post never came");
        assertTrue(body.contains("\"actionPath\":\"api/alarm/hook/backup\""), body);
        await("the failed action is removed", () -> !registered(ObjectNames.action("api", "alarm", "hook")));
        await("the fail log line", () -> activity().contains("api/alarm/hook/note: web hook unreachable"));
    }

    @Test
    void diskSpaceDetectorRaisesAConditionTheHamActsOn() throws Exception {
        // The detector raises once per episode, as soon as the entity exists: subscribe on the
        // global entity first, so the raise cannot come before the subscription.
        EntityHandle global = Ham.entityHandle(conn.node().key(), null, 0);
        ConditionHandle full = global.conditionRaise("full", DiskSpaceDetector.RAISE_TYPE,
                HamConstants.CONDRAISECLASSANY, DiskSpaceDetector.SEVERITY_FULL, 0);
        full.actionCustom("hook", "HTTP_POST", hook(), HamConstants.HACTIONKEEPONFAIL);
        Ham.entity("disk", conn.node().key(), 0);
        String body = posts.poll(30, TimeUnit.SECONDS);
        assertNotNull(body, "the detector never raised");
        assertTrue(body.contains("\"event\":\"CONDRAISE\""), body);
        assertTrue(body.contains("\"entity\":\"disk\""), body);
        assertTrue(body.contains("raised type " + DiskSpaceDetector.RAISE_TYPE), body);

        conn.close();
        conn = null;
        ham.stop(false);
        String log = activity();
        assertTrue(log.contains("DISK_SPACE stopped"), "PreDestroy ran when the HAM stopped: " + log);
        // @Priority(200) starts DISK_SPACE before HTTP_POST (no @Priority: 1000).
        assertTrue(log.indexOf("DISK_SPACE watching") < log.indexOf("HTTP_POST ready"), log);
    }

    @Test
    void unknownTypesAndBadArgumentsAreRefused() {
        EntityHandle e = Ham.entity("x", conn.node().key(), 0);
        ConditionHandle c = e.condition(HamConstants.CONDDETACH, "gone", 0);
        assertEquals(Errno.EINVAL, assertThrows(HamException.class, () -> c.actionCustom("a", "NOPE", "", 0)).errno());
        assertEquals(Errno.EINVAL, assertThrows(HamException.class,
                () -> c.actionCustom("a", "HTTP_POST", "ftp://127.0.0.1/x", 0)).errno());
        assertEquals(0, conn.proxy(org.jham.mbean.ConditionMXBean.class, ObjectNames.condition("x", "gone"))
                .getActionNames().length, "a refused action changes nothing");
    }

    private boolean registered(javax.management.ObjectName name) {
        try {
            return conn.mbeanServer().isRegistered(name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String hook() {
        return "http://127.0.0.1:" + web.getAddress().getPort() + "/hook";
    }

    private String activity() {
        try {
            return Files.readString(state.resolve("activity.log"));
        } catch (IOException e) {
            return "";
        }
    }

    private static void await(String what, BooleanSupplier ok) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static Path pluginJar() throws IOException {
        try (Stream<Path> s = Files.list(MODULE.resolve("target"))) {
            List<Path> jars = s.filter(p -> p.getFileName().toString().matches("samples-.*-plugin\\.jar"))
                    .collect(Collectors.toList());
            assertEquals(1, jars.size(), "plugin jars in target: " + Arrays.toString(jars.toArray()));
            return jars.get(0);
        }
    }
}
