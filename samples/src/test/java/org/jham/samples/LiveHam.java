package org.jham.samples;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jham.Ham;
import org.jham.HamConnection;
import org.jham.mbean.ConditionMXBean;
import org.jham.mbean.EntityMXBean;
import org.jham.mbean.HamMXBean;
import org.jham.mbean.ObjectNames;

/**
 * A HAM started the way the README says, {@code bin/ham}, on an ephemeral loopback port with a
 * temporary state directory; samples run against it as separate JVMs with the class path a user
 * would give them. {@link #close()} stops the HAM and kills, by pid, every process it or the test
 * started (tracked pids, and the HAM's descendants: its spawner and the entities).
 */
final class LiveHam implements AutoCloseable {
    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Path TOP = MODULE.getParent();
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    /** What a user puts on the class path to run a sample (see the README). */
    static final String SAMPLE_CLASS_PATH = MODULE.resolve("target/classes") + File.pathSeparator
            + TOP.resolve("ham-agent/target/lib") + File.separator + "*";

    final Path stateDir;
    final String node;
    final long hamPid;
    final HamConnection connection;
    private final Set<Long> pids = ConcurrentHashMap.newKeySet();

    LiveHam() throws IOException {
        stateDir = Files.createTempDirectory("jham-samples");
        Result r = run(List.of(TOP.resolve("bin/ham").toString(), "--port", "0", "--no-guardian", "--state-dir", stateDir.toString(),
                "--fresh", "-V3", "--poll-ms", "10"));
        Matcher m = Pattern.compile("jHAM listening on service:jmx:jmxmp://(127\\.0\\.0\\.1:\\d+) pid=(\\d+)")
                .matcher(r.out());
        if (r.status() != 0 || !m.find()) {
            throw new AssertionError("bin/ham did not start: " + r);
        }
        node = m.group(1);
        hamPid = track(Long.parseLong(m.group(2)));
        connection = Ham.connect(node);
    }

    record Result(int status, String out) {
    }

    HamMXBean ham() {
        return connection.ham();
    }

    EntityMXBean entity(String ename) {
        return connection.proxy(EntityMXBean.class, ObjectNames.entity(ename));
    }

    ConditionMXBean condition(String ename, String cname) {
        return connection.proxy(ConditionMXBean.class, ObjectNames.condition(ename, cname));
    }

    long track(long pid) {
        pids.add(pid);
        return pid;
    }

    /** The entity's pid once it is alive and other than {@code not}; tracked for cleanup. */
    long awaitPid(String ename, long not) {
        return track(Await.value("entity " + ename + " running with a pid other than " + not, () -> {
            long p = entity(ename).getEntityPid();
            return p > 0 && p != not && ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false) ? p : null;
        }));
    }

    boolean activityContains(String text) {
        for (String line : ham().getRecentActivity()) {
            if (line.contains(text)) {
                return true;
            }
        }
        return false;
    }

    static void kill9(long pid) {
        Result r = run(List.of("/bin/kill", "-9", Long.toString(pid)));
        if (r.status() != 0) {
            throw new AssertionError("kill -9 " + pid + ": " + r);
        }
    }

    /** Runs a sample's main class to completion, as a user would from a shell. */
    static Result runSample(Class<?> main, String... args) {
        return run(sampleCommand(main, args));
    }

    static List<String> sampleCommand(Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(JAVA, "-cp", SAMPLE_CLASS_PATH, main.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs a command to completion (stderr merged), within a generous deadline. */
    static Result run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + cmd);
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A long-running sample whose output lines are collected in the background. */
    static final class Live implements AutoCloseable {
        final Process process;
        private final List<String> lines = new ArrayList<>();
        private final Thread reader;

        Live(List<String> cmd) throws IOException {
            this(cmd, false);
        }

        /** @param stdin keep a pipe to its standard input ({@code process.getOutputStream()}), else /dev/null */
        Live(List<String> cmd, boolean stdin) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            if (!stdin) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            }
            process = pb.start();
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        synchronized (lines) {
                            lines.add(l);
                        }
                    }
                } catch (IOException e) {
                    // The process ended: its output ends with it.
                }
            }, "sample-output-" + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits until the process ended and all its output was read. */
        void awaitOutputEnd() throws InterruptedException {
            reader.join(TimeUnit.SECONDS.toMillis(120));
        }

        List<String> lines() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }

        /** Waits until the output has a line equal to {@code line}; returns its index. */
        int awaitLine(String line) {
            return Await.value("the line \"" + line + "\" from " + process.pid(), () -> {
                int i = lines().indexOf(line);
                if (i < 0 && !process.isAlive()) {
                    throw new AssertionError("process ended (" + process.exitValue() + ") with output\n" + output());
                }
                return i < 0 ? null : i;
            });
        }

        String output() {
            return String.join("\n", lines());
        }

        @Override
        public void close() {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        try {
            for (String e : ham().getEntityNames()) {
                long p = entity(e).getEntityPid();
                if (p > 0) {
                    pids.add(p);
                }
            }
        } catch (RuntimeException ignored) {
            // The HAM may be gone already; the pids seen so far are still killed.
        }
        ProcessHandle.of(hamPid).ifPresent(h -> pids.addAll(
                h.descendants().map(ProcessHandle::pid).collect(Collectors.toList())));
        try {
            connection.close();
        } catch (RuntimeException ignored) {
            // A failed disconnect must not keep the processes alive.
        }
        // The HAM first (so it restarts nothing), then whatever it or the test started.
        ProcessHandle.of(hamPid).ifPresent(h -> {
            h.destroyForcibly();
            h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(t -> null).join();
        });
        for (long p : pids) {
            ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
