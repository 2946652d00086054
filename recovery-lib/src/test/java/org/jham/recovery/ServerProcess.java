package org.jham.recovery;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TestServer} in a JVM of its own: started, killed with SIGKILL, started again on the
 * same port. {@link #close()} kills by pid every process it started.
 */
final class ServerProcess implements AutoCloseable {
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private final List<String> args;
    private final List<Process> started = new ArrayList<>();
    private Process current;
    /** The port (TCP modes) or pid (fifo) the server printed. */
    int ready;

    /** Starts {@code TestServer mode args...}; a TCP port of 0 is replaced by the port of the first start. */
    ServerProcess(String... args) throws IOException {
        this.args = new ArrayList<>(List.of(args));
        start();
        if (!args[0].equals("fifo")) {
            this.args.set(1, Integer.toString(ready));
        }
    }

    int port() {
        return ready;
    }

    long pid() {
        return current.pid();
    }

    synchronized void start() throws IOException {
        List<String> cmd = new ArrayList<>(List.of(JAVA, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), TestServer.class.getName()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        started.add(p);
        current = p;
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    lines.add(l);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "server-output-" + p.pid());
        reader.setDaemon(true);
        reader.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                String l = lines.poll(100, TimeUnit.MILLISECONDS);
                if (l != null && l.startsWith("ready ")) {
                    ready = Integer.parseInt(l.substring(6).trim());
                    return;
                }
                if (l != null) {
                    System.err.println("[server " + p.pid() + "] " + l);
                }
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("the server " + cmd + " did not get ready (alive: " + p.isAlive() + ")");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** {@code kill -9} and wait until it is gone. */
    synchronized void kill9() throws InterruptedException {
        current.destroyForcibly();
        if (!current.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("pid " + current.pid() + " survived SIGKILL for 30 s");
        }
    }

    @Override
    public synchronized void close() {
        for (Process p : started) {
            p.destroyForcibly();
        }
        for (Process p : started) {
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
