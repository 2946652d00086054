package org.jham.agent.guardian;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jham.HamException;
import org.jham.agent.launch.HamOptions;
import org.jham.agent.launch.HamServer;
import org.jham.agent.launch.Signals;
import org.jham.agent.log.ActivityLog;
import org.jham.agent.log.ActivityLogConfig;
import org.jham.agent.log.TimestampMode;
import org.jham.agent.process.ProcStat;

/**
 * The Guardian's main: {@code Guardian --ham-pid=PID <ham options>}. Watches the HAM, and when it
 * dies becomes the HAM on the same address and state. See the package documentation.
 *
 * <p>Death is judged by the state directory's lock, not by a missed JMX reply: a HAM that is slow
 * to answer (a long GC pause) still owns its state, and taking over from it would make two HAMs.
 * The JMX watch only reports a HAM that stops answering.
 */
public final class Guardian {
    private Guardian() {
    }

    /** Held so the level sticks: OpenDMK logs every dropped connection with a stack trace. */
    private static final java.util.logging.Logger JMX_REMOTE_LOG = java.util.logging.Logger.getLogger("javax.management.remote");

    public static void main(String[] args) {
        JMX_REMOTE_LOG.setLevel(java.util.logging.Level.OFF);
        long hamPid = 0;
        List<String> rest = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("--ham-pid=")) {
                hamPid = Long.parseLong(a.substring("--ham-pid=".length()));
            } else {
                rest.add(a);
            }
        }
        HamOptions options;
        try {
            options = HamOptions.parse(rest.toArray(new String[0]));
        } catch (HamException e) {
            say("bad options " + Arrays.toString(args) + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        long me = ProcessHandle.current().pid();
        say("Guardian pid " + me + " watching HAM pid " + hamPid + " (state " + options.stateDir() + ", port "
                + options.port() + ")");
        warmUp();
        HamWatch watch = new HamWatch(options.bind() + ":" + options.port(), hamPid, Guardian::say);
        watch.start();
        HamServer.StateLock lock;
        try {
            lock = HamServer.StateLock.await(options.stateDir());
        } catch (IOException e) {
            say("cannot watch the state directory lock: " + e + "; the Guardian exits");
            System.exit(1);
            return;
        }
        watch.stop();
        awaitJournalReleased(options);
        say("HAM pid " + hamPid + (ProcStat.liveStartTime(hamPid).isPresent() ? " released its state" : " died")
                + ": taking over");
        HamServer server;
        try {
            server = HamServer.takeOver(options, ManagementFactory.getPlatformMBeanServer(),
                    HamServer.guardianFor(options), () -> System.exit(0),
                    lock);
        } catch (RuntimeException e) {
            say("takeover failed: " + e);
            System.exit(1);
            return;
        }
        Signals.install(false, () -> server.stop(false));
        say("jHAM listening on " + server.address() + " pid=" + me + " (took over from pid " + hamPid + ")");
        try {
            server.awaitStopped();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits (at most {@link #JOURNAL_RELEASE_MS}) until the dead HAM's journal lock is free too:
     * the kernel drops a dying process's locks one file at a time, so the journal's may still be
     * held a moment after the state directory's, and the takeover would fail on it (seen under
     * load). No other process can take it meanwhile: every HAM holds the state lock first.
     */
    static void awaitJournalReleased(HamOptions options) {
        Path f = options.stateDir().resolve("journal").resolve("journal.lock");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOURNAL_RELEASE_MS);
        while (Files.exists(f)) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                FileLock l = ch.tryLock();
                if (l != null) {
                    l.release();
                    return;
                }
            } catch (IOException | OverlappingFileLockException e) {
                return; // the takeover reports whatever is wrong with the journal
            }
            if (System.nanoTime() - deadline > 0) {
                return;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static final long JOURNAL_RELEASE_MS = 10_000;

    /** Loads what a takeover runs, so it does not wait for class loading. */
    private static void warmUp() {
        String[] names = {"org.jham.agent.engine.Engine", "org.jham.agent.state.StateStore",
            "org.jham.agent.state.Journal", "org.jham.agent.state.ImageCodec", "org.jham.agent.jmx.MBeanRegistry",
            "org.jham.agent.jmx.EntityBean", "org.jham.agent.jmx.ConditionBean", "org.jham.agent.jmx.ActionBean",
            "org.jham.agent.jmx.HamBean", "org.jham.agent.jmx.JmxmpServer", "org.jham.agent.log.ActivityLog",
            "org.jham.agent.process.NativeSpawner", "org.jham.agent.plugin.PluginHost",
            "javax.management.remote.jmxmp.JMXMPConnectorServer"};
        for (String n : names) {
            try {
                Class.forName(n, true, Guardian.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                // only slower
            }
        }
        ManagementFactory.getPlatformMBeanServer();
        // Log4j's first context costs 0.3-0.6 s here (most of a takeover); later ones ~10 ms.
        try {
            new ActivityLog(new ActivityLogConfig(false, 1, TimestampMode.NONE, Path.of("/dev/null")),
                    Clock.systemDefaultZone()).close();
        } catch (RuntimeException e) {
            // only slower
        }
    }

    static void say(String line) {
        System.out.println(LocalTime.now() + " guardian: " + line);
        System.out.flush();
    }
}
