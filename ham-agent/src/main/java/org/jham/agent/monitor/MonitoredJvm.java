package org.jham.agent.monitor;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jham.ConditionHandle;
import org.jham.EntityHandle;
import org.jham.Errno;
import org.jham.Ham;
import org.jham.HamConnection;
import org.jham.HamConstants;
import org.jham.HamException;
import org.jham.HamNode;
import org.jham.Heartbeat;
import org.jham.JvmConditions;

/**
 * The agent's work in a monitored JVM ({@code -javaagent:ham-agent.jar=entity=NAME,...}, or loaded
 * into a running JVM by {@code hamctrl attach-jvm}): it attaches the JVM to a HAM as a
 * self-attached entity (ham_attach_self) without any code in the application, and then
 * <ul>
 *   <li>heartbeats every hb/2 while no threads are deadlocked ({@code beat=agent}, the default),
 *       or leaves the beats to the application's {@code org.jham.Heartbeat.beat()}
 *       ({@code beat=app});</li>
 *   <li>raises the JVM conditions of {@link JvmDetectors} once per episode;</li>
 *   <li>with {@code restart=yes}, adds a CONDDEATH condition {@value #DEATH_CONDITION} with a
 *       restart action {@value #RESTART_ACTION} running this JVM's own command line
 *       ({@link RestartLine}), both HREARMAFTERRESTART;</li>
 *   <li>registers {@code jham:type=Heartbeat} in the platform MBean server;</li>
 *   <li>re-attaches itself when its connection to the HAM is lost (the HAM stopped or died and
 *       came back), retrying in the background with a backoff while the HAM cannot be reached;</li>
 *   <li>with {@code detach-on-exit=yes}, detaches itself (CONDDETACH) when the JVM exits;
 *       otherwise any end of the JVM, {@code System.exit} included, is a death (CONDDEATH).</li>
 * </ul>
 * The application's main starts at once: the work runs on daemon threads, {@code jham-monitor}
 * (attach, detectors, raises) and {@code jham-heartbeat} (the agent's beats, so that a slow call to
 * the HAM never delays one). What the agent is doing is the system property
 * {@value #STATUS_PROPERTY} ({@code starting}, {@code waiting: REASON}, {@code attached: ...},
 * {@code failed: ERRNO: ...}); {@code hamctrl attach-jvm} reads it through the Attach API. One per
 * JVM. The agent writes to stderr only a line per event worth knowing (attached, HAM lost, an
 * episode began, a failure).
 *
 * <p>Thread-safe: {@link #start} is synchronized; the rest runs on the monitor thread, but for the
 * beats, which read volatile fields only.
 */
public final class MonitoredJvm {
    /** The system property telling what the agent is doing. */
    public static final String STATUS_PROPERTY = "jham.monitor.status";
    /** The CONDDEATH condition of {@code restart=yes}. */
    public static final String DEATH_CONDITION = "jvm-death";
    /** The restart action of {@code restart=yes}. */
    public static final String RESTART_ACTION = "jvm-restart";

    static final long FIRST_RETRY_MS = 200;
    static final long MAX_RETRY_MS = 5_000;
    /** Deadlocks are looked for every hb, but not more often than this (each search is a safepoint). */
    static final long MIN_CHECK_MS = 100;
    /** Without heartbeats, the detectors and the connection are checked this often. */
    static final long IDLE_CHECK_MS = 1_000;

    private static MonitoredJvm current;

    private final MonitorOptions options;
    private final String agentArgs;
    private final PrintStream err;
    private final long pid = ProcessHandle.current().pid();
    private final String nodeKey;
    private final ScheduledThreadPoolExecutor executor;
    /** Beats on a thread of its own, so that a slow call to the HAM never delays a heartbeat. */
    private final ScheduledThreadPoolExecutor beater;
    private final JvmDetectors detectors;
    private final long checkMs;

    // Confined to the monitor thread.
    private HamConnection connection;
    private ScheduledFuture<?> checker;
    private long retryMs = FIRST_RETRY_MS;
    private boolean toldWaiting;
    private boolean beating;

    // Read by the heartbeat thread too.
    /** The entity while attached; null before and while re-attaching. */
    private volatile EntityHandle entity;
    /** False while threads are deadlocked: the agent then stops beating. */
    private volatile boolean healthy = true;
    private volatile String status = "";
    private volatile String lastError;

    private MonitoredJvm(MonitorOptions options, String agentArgs, PrintStream err) {
        this.options = options;
        this.agentArgs = agentArgs;
        this.err = err;
        this.nodeKey = options.node() != null ? options.node() : HamNode.of(null).key();
        this.detectors = new JvmDetectors(options, err);
        this.checkMs = options.hbMillis() > 0 ? Math.max(options.hbMillis(), MIN_CHECK_MS) : IDLE_CHECK_MS;
        this.executor = daemonExecutor("jham-monitor");
        this.beater = options.agentBeats() ? daemonExecutor("jham-heartbeat") : null;
    }

    private static ScheduledThreadPoolExecutor daemonExecutor(String name) {
        ScheduledThreadPoolExecutor x = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        x.setRemoveOnCancelPolicy(true);
        return x;
    }

    /**
     * Starts monitoring this JVM as {@code agentArgs} say. Bad options: one line on stderr and
     * nothing else (no thread, no MBean); the JVM runs on. A second start while one is active
     * says so and does nothing; after a failed one it starts anew.
     */
    public static synchronized void start(String agentArgs) {
        start(agentArgs, System.err);
    }

    static synchronized void start(String agentArgs, PrintStream err) {
        if (current != null && !current.status.startsWith("failed")) {
            err.println("jham agent: this JVM is already monitored as '" + current.options.entity()
                    + "'; ignoring " + agentArgs);
            return;
        }
        MonitorOptions o;
        try {
            o = MonitorOptions.parse(agentArgs);
        } catch (HamException e) {
            err.println("jham agent: " + e.getMessage() + "; not attaching");
            return;
        }
        current = new MonitoredJvm(o, agentArgs, err);
        current.status("starting");
        current.executor.execute(current.guarded(current::setUp));
    }

    private void setUp() {
        QuietJmxmpClient.apply();
        try {
            Heartbeat.registerMBean(null);
        } catch (HamException e) {
            err.println("jham agent: " + e.getMessage() + " (heartbeats go on without it)");
        }
        detectors.install(() -> executor.execute(guarded(() -> detectors.checkMemory(this::raise))));
        if (options.detachOnExit()) {
            Runtime.getRuntime().addShutdownHook(new Thread(this::detachOnExit, "jham-detach-on-exit"));
        }
        // Also while the HAM cannot be reached: an episode is then raised once the JVM attached.
        checker = executor.scheduleAtFixedRate(guarded(this::check), checkMs, checkMs, TimeUnit.MILLISECONDS);
        attempt();
    }

    /** One attach attempt; an unreachable (EBADF) or stopping (EBUSY) HAM is tried again later. */
    private void attempt() {
        try {
            if (connection == null) {
                connection = Ham.connect(options.node());
            }
            entity = Ham.attachSelf(options.entity(), options.node(), options.hbNanos(), options.low(), options.high(), 0);
        } catch (HamException e) {
            if (e.errno() == Errno.EBADF || e.errno() == Errno.EBUSY) {
                status("waiting: " + e.getMessage());
                if (!toldWaiting) {
                    toldWaiting = true;
                    err.println("jham agent: the HAM at " + nodeKey + " cannot be reached (" + e.getMessage()
                            + "); retrying in the background");
                }
                executor.schedule(guarded(this::attempt), retryMs, TimeUnit.MILLISECONDS);
                retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
                return;
            }
            fail(e);
            return;
        }
        attached();
    }

    private void attached() {
        retryMs = FIRST_RETRY_MS;
        toldWaiting = false;
        status("attached: '" + options.entity() + "' pid " + pid + " on " + nodeKey);
        err.println("jham agent: attached this JVM (pid " + pid + ") to the HAM at " + nodeKey + " as '"
                + options.entity() + "'" + (options.hbMillis() > 0 ? ", heartbeat every " + options.hbMillis()
                + " ms by the " + (options.agentBeats() ? "agent" : "application") : ""));
        detectors.forgetRaises();
        if (beater != null && !beating) {
            beating = true;
            long every = Math.max(1, options.hbMillis() / 2);
            beater.scheduleAtFixedRate(guarded(this::beat), 0, every, TimeUnit.MILLISECONDS);
        }
        if (options.restart()) {
            installRestart();
        }
    }

    /** On the heartbeat thread: ham_heartbeat for this entity alone, while healthy. */
    private void beat() {
        EntityHandle e = entity;
        if (e != null && healthy) {
            e.heartbeat();
        }
    }

    private void check() {
        if (entity != null && connection.isBroken()) {
            err.println("jham agent: lost the connection to the HAM at " + nodeKey + "; re-attaching in the background");
            status("waiting: the connection to the HAM was lost");
            toldWaiting = true;
            if (reconnected()) {
                attachedAgain();
            } else {
                lost();
            }
        }
        healthy = detectors.check(this::raise);
    }

    /**
     * The connection failed: a call lets the library reconnect within its window (a Guardian
     * taking over, a HAM started again) and attach this entity again over the new connection.
     */
    private boolean reconnected() {
        try {
            connection.ham().getHamPid();
            return !connection.isBroken();
        } catch (HamException e) {
            return false;
        }
    }

    private void attachedAgain() {
        toldWaiting = false;
        status("attached: '" + options.entity() + "' pid " + pid + " on " + nodeKey + " (reconnected)");
        err.println("jham agent: attached this JVM (pid " + pid + ") to the HAM at " + nodeKey + " as '"
                + options.entity() + "' again (reconnected)");
    }

    /** The HAM did not come back within the library's window: attach anew once it does. */
    private void lost() {
        EntityHandle old = entity;
        entity = null;
        try {
            Ham.detachSelf(old, 0);
        } catch (HamException e) {
            // Expected (EBADF): this only lets go of the library's self-attachment and its reference.
        }
        attempt();
    }

    private boolean raise(int type, int severity) {
        EntityHandle e = entity;
        if (e == null) {
            return false;
        }
        try {
            e.raise(type, JvmConditions.CLASS_JVM, severity, 0);
            return true;
        } catch (HamException ex) {
            return false; // told again at the next check
        }
    }

    /** restart=yes: the condition and action may exist already (this JVM is a restarted one). */
    private void installRestart() {
        try {
            String line = RestartLine.ofThisJvm(agentJar(), agentArgs);
            ConditionHandle c;
            try {
                c = entity.condition(HamConstants.CONDDEATH, DEATH_CONDITION, HamConstants.HREARMAFTERRESTART);
            } catch (HamException e) {
                if (e.errno() != Errno.EEXIST) {
                    throw e;
                }
                c = Ham.conditionHandle(options.node(), options.entity(), DEATH_CONDITION, 0);
            }
            try {
                c.actionRestart(RESTART_ACTION, line, HamConstants.HREARMAFTERRESTART).free();
            } catch (HamException e) {
                if (e.errno() != Errno.EEXIST) {
                    throw e;
                }
            } finally {
                c.free();
            }
        } catch (HamException | IOException e) {
            err.println("jham agent: restart=yes: " + e.getMessage() + "; this JVM will not be restarted");
        }
    }

    private void fail(HamException e) {
        status("failed: " + e.getMessage());
        err.println("jham agent: " + e.getMessage() + "; not attached");
        if (checker != null) {
            checker.cancel(false);
        }
        if (beater != null) {
            beater.shutdownNow();
        }
        detectors.close();
        if (connection != null) {
            try {
                connection.close();
            } catch (HamException ignored) {
                // Letting go of a failed connection cannot fail in a way worth telling.
            }
            connection = null;
        }
        executor.shutdown();
    }

    /** The shutdown hook of detach-on-exit=yes: ham_detach_self on the monitor thread, bounded. */
    private void detachOnExit() {
        try {
            executor.submit(() -> {
                EntityHandle e = entity;
                entity = null;
                if (e != null) {
                    try {
                        Ham.detachSelf(e, 0);
                        status("detached");
                    } catch (HamException ex) {
                        err.println("jham agent: detaching at exit: " + ex.getMessage());
                    }
                }
            }).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
            err.println("jham agent: detaching at exit: " + e);
        }
    }

    /**
     * OpenDMK's JMXMP client logs, through java.util.logging, a warning and a stack trace when the
     * HAM closes the connection: into the application's log. The agent tells that in a line of its
     * own, so these loggers keep only their severe messages. A class apart, so that java.util.logging
     * starts on the monitor thread, never in premain (held here: JUL keeps loggers weakly).
     */
    private static final class QuietJmxmpClient {
        private static final java.util.logging.Logger[] LOGS = {
            java.util.logging.Logger.getLogger("javax.management.remote.misc"),
            java.util.logging.Logger.getLogger("javax.management.remote.generic")};

        static void apply() {
            for (java.util.logging.Logger l : LOGS) {
                l.setLevel(java.util.logging.Level.SEVERE);
            }
        }
    }

    /** A scheduled task that survives its own exceptions (a periodic one would stop silently). */
    private Runnable guarded(Runnable r) {
        return () -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                String m = String.valueOf(e);
                if (!m.equals(lastError)) {
                    lastError = m;
                    err.println("jham agent: " + m);
                }
            }
        };
    }

    private void status(String s) {
        status = s;
        System.setProperty(STATUS_PROPERTY, s);
    }

    /**
     * The jar the agent classes came from.
     *
     * @throws IOException when they did not come from a jar file
     */
    public static Path agentJar() throws IOException {
        CodeSource cs = MonitoredJvm.class.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            throw new IOException("the agent's classes have no code source");
        }
        Path p;
        try {
            p = Path.of(cs.getLocation().toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IOException("the agent's code source " + cs.getLocation() + " is not a file", e);
        }
        if (!Files.isRegularFile(p)) {
            throw new IOException("the agent's classes come from " + p + ", not from ham-agent.jar");
        }
        return p;
    }
}
