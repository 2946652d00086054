package org.jham.agent.guardian;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jham.agent.launch.HamOptions;
import org.jham.agent.launch.HamServer;
import org.jham.agent.monitor.MonitoredJvm;

/**
 * The HAM's side of the Guardian: starts it as a second daemon (its own JVM, its own session, so
 * a terminal's signals do not reach it), starts a new one whenever it dies, and stops it first
 * when the HAM stops. A Guardian that keeps dying young is started again with a growing delay
 * (up to {@link #MAX_BACKOFF_MS}) rather than in a tight loop. Its output goes to
 * {@code <state-dir>/guardian.out}. Thread-safe.
 */
public final class GuardianProcess implements HamServer.GuardianLink {
    /** A Guardian that lived less than this is "dying young": the next start waits. */
    static final long YOUNG_MS = 5_000;
    static final long MAX_BACKOFF_MS = 30_000;

    private final ScheduledExecutorService restarter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ham-guardian-restart");
        t.setDaemon(true);
        return t;
    });
    private HamServer ham;
    private Process process;
    private long startedNanos;
    private long backoffMs;
    private boolean stopping;

    @Override
    public synchronized long start(HamServer ham) {
        this.ham = ham;
        return launch();
    }

    /** Starts a Guardian; returns its pid, or 0 when it could not be started (logged). */
    private synchronized long launch() {
        if (stopping) {
            return 0;
        }
        HamOptions o = ham.options();
        List<String> cmd = command(o, ham.port());
        Path out = o.stateDir().resolve("guardian.out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            process = p;
            startedNanos = System.nanoTime();
            p.onExit().thenRun(() -> died(p));
            Files.writeString(o.stateDir().resolve("guardian.pid"), p.pid() + "\n");
            ham.engine().activityLog().log(1, "Guardian started: pid " + p.pid() + " (output in " + out + ")");
            return p.pid();
        } catch (IOException e) {
            ham.engine().activityLog().log(1, "cannot start the Guardian: " + e.getMessage());
            return 0;
        }
    }

    private void died(Process p) {
        long delay;
        synchronized (this) {
            if (stopping || p != process) {
                return;
            }
            long livedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
            backoffMs = livedMs < YOUNG_MS ? Math.min(MAX_BACKOFF_MS, Math.max(500, backoffMs * 2)) : 0;
            delay = backoffMs;
            ham.engine().activityLog().log(1, "the Guardian (pid " + p.pid() + ") died with exit value " + p.exitValue()
                    + (delay > 0 ? "; starting a new one in " + delay + " ms" : "; starting a new one"));
        }
        restarter.schedule(() -> {
            long pid = launch();
            if (pid > 0) {
                ham.engine().guardianFailed(pid);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** Stops the Guardian (before the HAM releases its state: no takeover follows). */
    @Override
    public void stop() {
        Process p;
        synchronized (this) {
            stopping = true;
            p = process;
        }
        restarter.shutdownNow();
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The Guardian's command line: this JVM's java, the HAM's class path, the HAM's options. */
    static List<String> command(HamOptions o, int port) {
        List<String> cmd = new ArrayList<>();
        Path setsid = Path.of("/usr/bin/setsid");
        if (Files.isExecutable(setsid)) {
            cmd.add(setsid.toString());
        }
        cmd.add(javaLauncher());
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("jham.")) {
                cmd.add("-D" + name + "=" + System.getProperty(name));
            }
        }
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(Guardian.class.getName());
        cmd.add("--ham-pid=" + ProcessHandle.current().pid());
        cmd.addAll(o.toArgs(port));
        return cmd;
    }

    /**
     * This JVM's {@code java}: not the process's own executable, which under jsvc is
     * {@code /usr/bin/jsvc} (a Guardian started with it dies with "Cannot locate Java Home").
     */
    static String javaLauncher() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(java)) {
            return java.toString();
        }
        return ProcessHandle.current().info().command().orElse(java.toString());
    }

    /** The jar the HAM runs from (its manifest brings its dependencies), else this JVM's class path. */
    static String classPath() {
        try {
            return MonitoredJvm.agentJar().toString();
        } catch (IOException e) {
            return System.getProperty("java.class.path"); // classes from a directory: tests, an IDE
        }
    }
}
