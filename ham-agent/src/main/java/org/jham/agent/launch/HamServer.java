package org.jham.agent.launch;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import org.jham.Errno;
import org.jham.HamException;
import org.jham.agent.delivery.ChannelRegistry;
import org.jham.agent.delivery.Deliveries;
import org.jham.agent.delivery.NamespaceProbe;
import org.jham.agent.engine.Engine;
import org.jham.agent.engine.EngineConfig;
import org.jham.agent.jmx.HamBean;
import org.jham.agent.jmx.JmxmpServer;
import org.jham.agent.jmx.MBeanRegistry;
import org.jham.agent.log.ActivityLog;
import org.jham.agent.plugin.EngineContext;
import org.jham.agent.plugin.PluginHost;
import org.jham.agent.process.ProcessLauncher;
import org.jham.agent.process.ProcessWatcher;
import org.jham.agent.state.StateStore;

/**
 * One running HAM, however it was launched ({@code bin/ham}, jsvc, -javaagent): activity log,
 * engine, plugins, MBeans in the given MBeanServer, JMXMP connector, and the state directory it owns
 * (locked, so two HAMs never share one). Stops in a fixed order: Guardian first, then the engine
 * (graceful or abrupt), MBeans, connector, watchers, log. Thread-safe.
 */
public final class HamServer {
    /**
     * The Guardian hook: the HAM starts its Guardian after it is up and stops it first when asked
     * to stop ({@link org.jham.agent.guardian.GuardianProcess}); {@link #NONE} runs none.
     */
    public interface GuardianLink {
        /** @return the Guardian's pid, or 0 when none was started */
        long start(HamServer ham);

        void stop();

        GuardianLink NONE = new GuardianLink() {
            public long start(HamServer ham) {
                return 0;
            }

            public void stop() {
            }
        };
    }

    private final HamOptions options;
    private final ActivityLog log;
    private final ProcessWatcher watcher;
    private final ProcessLauncher launcher;
    private final Engine engine;
    private final MBeanRegistry registry;
    private final ChannelRegistry channels;
    private final PluginHost plugins;
    private volatile JmxmpServer connector;
    private final GuardianLink guardian;
    private final FileChannel lockChannel;
    private final FileLock stateLock;
    private final StateStore state;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;

    /** The state directory's lock, held by the HAM process for its whole life. */
    public record StateLock(FileChannel channel, FileLock lock) {
        /** The lock file of a state directory. */
        public static Path file(Path stateDir) {
            return stateDir.resolve("ham.lock");
        }

        /**
         * Takes the lock, waiting while another process holds it: the kernel releases it the
         * moment that process ends (kill -9 included), so this waits without polling.
         */
        public static StateLock await(Path stateDir) throws IOException {
            FileChannel ch = FileChannel.open(file(stateDir), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new StateLock(ch, ch.lock());
        }

        /** Takes the lock now, or EBUSY when another process holds it. */
        static StateLock tryTake(Path stateDir) {
            try {
                Files.createDirectories(stateDir);
                FileChannel ch = FileChannel.open(file(stateDir), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock l;
                try {
                    l = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    l = null;
                }
                if (l == null) {
                    ch.close();
                    throw new HamException(Errno.EBUSY, "another HAM is using the state directory " + stateDir);
                }
                return new StateLock(ch, l);
            } catch (IOException e) {
                throw new HamException(Errno.EIO, "cannot use state directory " + stateDir + ": " + e.getMessage(), e);
            }
        }
    }

    private HamServer(HamOptions options, MBeanServer mbeanServer, GuardianLink guardian, Runnable afterStop,
                      StateLock held) {
        this.options = options;
        this.guardian = guardian;
        Path stateDir = options.stateDir();
        StateLock sl = held != null ? held : StateLock.tryTake(stateDir);
        this.lockChannel = sl.channel();
        this.stateLock = sl.lock();
        StateStore st;
        try {
            st = StateStore.open(stateDir, options.fsync(), options.fresh() && held == null);
        } catch (IOException | RuntimeException e) {
            releaseLock();
            throw new HamException(Errno.EIO, "cannot open the saved state in " + stateDir + ": " + e.getMessage(), e);
        }
        this.state = st;
        this.log = new ActivityLog(options.activityLogConfig(), Clock.systemDefaultZone());
        this.watcher = new ProcessWatcher(options.pollMillis(),
                t -> log.log(1, "internal error while handling a process death: " + t));
        this.registry = new MBeanRegistry(mbeanServer);
        EngineConfig cfg = new EngineConfig(options.restartMax(), Duration.ofSeconds(options.restartWindowSeconds()),
                EngineConfig.defaults().stopGrace());
        this.launcher = new ProcessLauncher(stateDir.resolve("output"), watcher);
        this.channels = new ChannelRegistry(watcher, Clock.systemDefaultZone());
        channels.setListener(registry);
        // Contexts are made when the plugins start, after the engine exists.
        this.plugins = new PluginHost(options.pluginPath(), name -> new EngineContext(name, engine()),
                line -> log.log(1, line));
        Deliveries deliveries = new Deliveries(() -> connector == null ? null : connector.address(), channels,
                new NamespaceProbe(mbeanServer), launcher.signals()::send, registry::signalled,
                (type, args) -> plugins.actionPlugin(type).create(args));
        this.engine = new Engine(cfg, log, launcher, watcher, Clock.systemDefaultZone(), registry, deliveries);
        registry.setEngine(engine);

        // The whole saved tree is back (and its MBeans registered) before anyone can connect.
        try {
            plugins.start();
            restore(held != null);
        } catch (RuntimeException e) {
            closeAll();
            throw e;
        }
        JmxmpServer cs;
        try {
            cs = JmxmpServer.start(mbeanServer, options.bind(), options.port());
        } catch (RuntimeException e) {
            closeAll();
            throw e;
        }
        this.connector = cs;
        cs.onConnectionEnd(engine::connectionClosed);
        registry.bind(engine, new HamBean(engine, connector.address(), abrupt -> stopAsync(abrupt, afterStop), channels,
                deliveries), channels);
        writeFile(stateDir.resolve("ham.pid"), Long.toString(ProcessHandle.current().pid()));
        writeFile(stateDir.resolve("ham.address"), connector.address());
        log.log(1, "HAM started: pid " + ProcessHandle.current().pid() + " on " + connector.address()
                + ", state directory " + stateDir + ", spawning with " + launcher.describe());
        engine.guardianStarted(guardian.start(this));
    }

    /** Restores the saved state into the engine, then journals every change from here on. */
    private void restore(boolean takeover) {
        StateStore.Loaded saved = state.loaded();
        saved.damage().ifPresent(d -> log.log(1, "SAVED STATE DAMAGED: " + d
                + " -- restored what came before it; the damaged bytes are kept beside the journal"));
        if (!saved.isEmpty()) {
            engine.restore(saved.ham().orElse(new org.jham.agent.engine.Image.Ham(options.verbosity(), 0, 0)),
                    saved.entities());
        }
        engine.setStateLog(state);
        if (takeover) {
            engine.tookOver();
        } else {
            // Started again by an operator: the verbosity of the command line wins over the saved one.
            log.setVerbosity(options.verbosity());
            engine.hamChanged();
        }
    }

    /** The Guardian the options ask for: a {@link org.jham.agent.guardian.GuardianProcess}, or none with --no-guardian. */
    public static GuardianLink guardianFor(HamOptions options) {
        return options.guardian() ? new org.jham.agent.guardian.GuardianProcess() : GuardianLink.NONE;
    }

    /**
     * Starts a HAM.
     *
     * @param afterStop run (on a stopping thread) once a stop requested over JMX has completed;
     *                  e.g. a daemon exits its JVM there, an agent does nothing
     */
    public static HamServer start(HamOptions options, MBeanServer mbeanServer, GuardianLink guardian, Runnable afterStop) {
        ProcessLauncher.preferFastLaunch();
        return new HamServer(options, mbeanServer, guardian, afterStop, null);
    }

    /**
     * The Guardian becomes the HAM: the HAM that held {@code lock} is dead, its state is restored
     * and continued, and the takeover is counted in Ham Failures.
     */
    public static HamServer takeOver(HamOptions options, MBeanServer mbeanServer, GuardianLink guardian,
                                     Runnable afterStop, StateLock lock) {
        ProcessLauncher.preferFastLaunch();
        return new HamServer(options, mbeanServer, guardian, afterStop, lock);
    }

    /** The saved state (for tests and benchmarks that look at the journal). */
    public StateStore state() {
        return state;
    }

    public String address() {
        return connector.address();
    }

    public int port() {
        return connector.port();
    }

    public Engine engine() {
        return engine;
    }

    public HamOptions options() {
        return options;
    }

    /** Stops on another thread, so that the JMX reply to ham_stop goes out first. */
    private void stopAsync(boolean abrupt, Runnable afterStop) {
        Thread t = new Thread(() -> {
            stop(abrupt);
            afterStop.run();
        }, "ham-stop");
        t.setDaemon(false);
        t.start();
    }

    /** Stops the Guardian, then the HAM. Idempotent. Monitored processes keep running. */
    public void stop(boolean abrupt) {
        synchronized (this) {
            if (stopping) {
                awaitStopped(Duration.ofSeconds(30));
                return;
            }
            stopping = true;
        }
        try {
            guardian.stop();
            engine.shutdown(abrupt);
            plugins.close();
            log.log(1, "HAM stopped");
        } finally {
            closeAll();
            stopped.countDown();
        }
    }

    /** Closes every part even when one fails; throws the first failure after all were tried. */
    private void closeAll() {
        RuntimeException first = null;
        for (AutoCloseable c : new AutoCloseable[] {plugins, registry, connector, launcher, watcher, state, log}) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = new IllegalStateException("while stopping the HAM: " + e, e);
                }
            }
        }
        IllegalStateException unlock = releaseLock();
        if (first == null) {
            first = unlock;
        }
        if (first != null) {
            throw first;
        }
    }

    private IllegalStateException releaseLock() {
        try {
            stateLock.release();
            lockChannel.close();
            return null;
        } catch (IOException e) {
            return new IllegalStateException("releasing the state directory lock: " + e, e);
        }
    }

    /** Waits for a stop to complete. */
    public boolean awaitStopped(Duration timeout) {
        try {
            return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    private static void writeFile(Path p, String text) {
        try {
            Files.writeString(p, text + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HamException(Errno.EIO, "cannot write " + p + ": " + e.getMessage(), e);
        }
    }
}
