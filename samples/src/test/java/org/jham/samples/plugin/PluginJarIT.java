package org.jham.samples.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packaged plugin jar ({@code target/samples-<version>-plugin.jar}) in a JVM with only the
 * HAM's class path: PluginHost loads HTTP_POST from that jar and the action posts.
 */
class PluginJarIT {
    private static final Path MODULE = Path.of("").toAbsolutePath();

    @Test
    void theHamLoadsThePackagedPluginJar() throws Exception {
        Path pluginJar;
        try (Stream<Path> s = Files.list(MODULE.resolve("target"))) {
            List<Path> jars = s.filter(p -> p.getFileName().toString().matches("samples-.*-plugin\\.jar"))
                    .collect(Collectors.toList());
            assertEquals(1, jars.size(), "plugin jars in target: " + jars);
            pluginJar = jars.get(0);
        }
        Path hamJar = MODULE.getParent().resolve("ham-agent/target/ham-agent.jar");
        assertTrue(Files.isRegularFile(hamJar), hamJar + " is missing (package ham-agent first)");

        BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
        Process p = null;
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String cp = hamJar + File.pathSeparator + MODULE.resolve("target/test-classes");
            p = new ProcessBuilder(java, "-cp", cp, PluginJarProbe.class.getName(), pluginJar.toString(),
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/hook")
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe did not end: " + out);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("host: started action plugin HTTP_POST (" + HttpPostAction.class.getName() + ")"),
                    out);
            assertTrue(out.contains("class " + HttpPostAction.class.getName() + " from "
                    + pluginJar.toUri().toURL()), out);
            assertTrue(out.contains("context log 1: HTTP_POST ready"), out);
            assertTrue(out.contains("posted"), out);
            assertTrue(out.contains("host: stopped action plugin HTTP_POST"), out);
            String body = bodies.poll(30, TimeUnit.SECONDS);
            assertTrue(body != null && body.contains("\"entity\":\"web\"") && body.contains("\"detail\":\"probe\""),
                    String.valueOf(body));
            assertFalse(out.contains("skipped"), out);
        } finally {
            if (p != null) {
                p.destroyForcibly();
            }
            server.stop(0);
        }
    }
}
