package org.jham.agent.log;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.builder.api.AppenderComponentBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.SimpleMessage;
import org.jham.Errno;
import org.jham.HamException;

/**
 * The HAM's activity log: messages of a verbosity level are written, stamped, when the HAM's
 * verbosity is at least that level ({@code ham_verbose}, {@code ham_action_log}), to stderr or a
 * file, and the latest lines are kept for {@code hamctrl} and JMX.
 *
 * <p>Output goes through a Log4j 2 {@link LoggerContext} that this log creates and configures in
 * code, never through {@code LogManager}: when the HAM runs as a {@code -javaagent} the host's
 * logging configuration must neither capture nor reconfigure our lines.
 *
 * <p>Thread-safe. Lines are written and recorded under one lock, so they never interleave and the
 * file, stderr and {@link #recent()} show them in the same order. Listeners are called on the
 * logging thread after that lock is released; two threads logging at once may reach the
 * listeners in either order.
 */
public final class ActivityLog implements AutoCloseable {
    private static final String APPENDER = "activity";

    private final ActivityLogConfig config;
    private final Clock clock;
    private final Instant start;
    private final LoggerContext context;
    private final Logger out;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    // Guarded by lock.
    private final ArrayDeque<String> ring;
    private boolean closed;
    // Read without the lock by isLogged(); changed under the lock.
    private volatile int verbosity;

    /**
     * Opens the log.
     *
     * @param clock the time for stamps; relative stamps count from this construction
     * @throws HamException EIO when the log file cannot be opened for appending
     */
    public ActivityLog(ActivityLogConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.start = clock.instant();
        this.verbosity = config.verbosity();
        this.ring = new ArrayDeque<>(Math.min(config.recentCapacity(), 1024));
        if (config.disabled()) {
            // -d: nothing is written, so no file is created and no context is started.
            this.context = null;
            this.out = null;
        } else {
            if (config.file() != null) {
                checkWritable(config.file());
            }
            this.context = startContext(config.file());
            this.out = context.getLogger("org.jham.activity");
        }
    }

    /** The configuration this log was opened with (its verbosity is the initial one). */
    public ActivityLogConfig config() {
        return config;
    }

    /** The current verbosity. */
    public int verbosity() {
        return verbosity;
    }

    /**
     * Sets the verbosity.
     *
     * @return the new verbosity
     * @throws HamException EINVAL when {@code value} is negative
     */
    public int setVerbosity(int value) {
        if (value < 0) {
            throw new HamException(Errno.EINVAL, "verbosity must be >= 0, was " + value);
        }
        synchronized (lock) {
            verbosity = value;
            return value;
        }
    }

    /**
     * Raises the verbosity by {@code by}, or by 1 when {@code by} is 0 (as {@code ham_verbose}).
     *
     * @return the new verbosity
     * @throws HamException EINVAL when {@code by} is negative
     */
    public int increase(int by) {
        int step = step(by);
        synchronized (lock) {
            long v = (long) verbosity + step;
            verbosity = (int) Math.min(Integer.MAX_VALUE, v);
            return verbosity;
        }
    }

    /**
     * Lowers the verbosity by {@code by}, or by 1 when {@code by} is 0 (as {@code ham_verbose}),
     * not below 0.
     *
     * @return the new verbosity
     * @throws HamException EINVAL when {@code by} is negative
     */
    public int decrease(int by) {
        int step = step(by);
        synchronized (lock) {
            verbosity = Math.max(0, verbosity - step);
            return verbosity;
        }
    }

    private static int step(int by) {
        if (by < 0) {
            throw new HamException(Errno.EINVAL, "verbosity change must be >= 0, was " + by);
        }
        return by == 0 ? 1 : by;
    }

    /**
     * Whether a message of {@code level} would be logged now: the log is enabled and the
     * verbosity is at least {@code level}.
     *
     * @throws HamException EINVAL when {@code level} is below 1
     */
    public boolean isLogged(int level) {
        if (level < 1) {
            throw new HamException(Errno.EINVAL, "log level must be >= 1, was " + level);
        }
        return !config.disabled() && verbosity >= level;
    }

    /**
     * Logs {@code message} at {@code level} if {@link #isLogged(int) that level is logged}: one
     * stamped line, written, kept among the recent lines, and passed to the listeners. Line
     * breaks in the message are written as {@code \n} / {@code \r} so a line stays one line.
     * Does nothing once the log is closed.
     *
     * @throws HamException EINVAL when {@code level} is below 1
     */
    public void log(int level, String message) {
        if (!isLogged(level)) {
            return;
        }
        String line = write(String.valueOf(message));
        if (line != null) {
            notifyListeners(line);
        }
    }

    /** Formats, writes and records one line; {@code null} when closed. */
    private String write(String message) {
        String text = oneLine(message);
        synchronized (lock) {
            if (closed) {
                return null;
            }
            // Stamped under the lock so stamps never go backwards down the file.
            String stamp = config.timestamps().stamp(start, clock.instant(), clock.getZone());
            String line = stamp.isEmpty() ? text : stamp + " " + text;
            // A plain message: no {} parameters or lookups are interpreted in it.
            Message m = new SimpleMessage(line);
            out.log(Level.INFO, m);
            if (config.recentCapacity() > 0) {
                if (ring.size() == config.recentCapacity()) {
                    ring.removeFirst();
                }
                ring.addLast(line);
            }
            return line;
        }
    }

    private void notifyListeners(String line) {
        for (Consumer<String> l : listeners) {
            try {
                l.accept(line);
            } catch (RuntimeException e) {
                // One failing listener must not silence the others or the log; say so in the log
                // itself but not to the listeners, which could fail again and loop.
                if (isLogged(1)) {
                    write("activity log listener " + l + " failed: " + e);
                }
            }
        }
    }

    private static String oneLine(String s) {
        if (s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }

    /**
     * Adds a listener called with each logged line (stamp included), on the logging thread,
     * outside any lock. An exception it throws is logged and otherwise ignored.
     */
    public void addListener(Consumer<String> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener added before; {@code false} when it was not there. */
    public boolean removeListener(Consumer<String> listener) {
        return listeners.remove(listener);
    }

    /** The latest lines, oldest first, at most {@link ActivityLogConfig#recentCapacity()}; a copy. */
    public List<String> recent() {
        synchronized (lock) {
            return new ArrayList<>(ring);
        }
    }

    /** Stops the log's Log4j context (flushing and closing its file). Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (context != null) {
            context.stop(5, TimeUnit.SECONDS);
        }
    }

    /** The Log4j appender lines go to, or {@code null} when disabled (for tests). */
    Appender appender() {
        return context == null ? null : context.getConfiguration().getAppender(APPENDER);
    }

    /** The Log4j context of this log, or {@code null} when disabled (for tests). */
    LoggerContext loggerContext() {
        return context;
    }

    private static void checkWritable(Path file) {
        // Log4j reports an unopenable file only on its status logger and then drops every line;
        // fail at the door instead, naming the file.
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream o = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE)) {
                o.flush();
            }
        } catch (IOException | RuntimeException e) {
            throw new HamException(Errno.EIO, "cannot open activity log file " + file + ": " + e, e);
        }
    }

    private static LoggerContext startContext(Path file) {
        LoggerContext ctx = new LoggerContext("jham-activity");
        ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
        b.setLoggerContext(ctx);
        b.setConfigurationName("jham-activity");
        b.setStatusLevel(Level.ERROR);
        // close() stops the context; a JVM-wide hook would go through the host's LogManager.
        b.setShutdownHook("disable");
        AppenderComponentBuilder appender;
        if (file == null) {
            appender = b.newAppender(APPENDER, "Console").addAttribute("target", ConsoleAppender.Target.SYSTEM_ERR);
        } else {
            appender = b.newAppender(APPENDER, "File")
                    .addAttribute("fileName", file.toAbsolutePath().toString())
                    .addAttribute("append", true)
                    .addAttribute("immediateFlush", true);
        }
        // We stamp lines ourselves: the pattern is the message alone.
        appender.add(b.newLayout("PatternLayout").addAttribute("pattern", "%m%n"));
        b.add(appender);
        b.add(b.newRootLogger(Level.ALL).add(b.newAppenderRef(APPENDER)));
        ctx.start(b.build(false));
        Appender a = ctx.getConfiguration().getAppender(APPENDER);
        if (a == null || !a.isStarted()) {
            ctx.stop(5, TimeUnit.SECONDS);
            throw new HamException(Errno.EIO, "cannot start the activity log output to "
                    + (file == null ? "stderr" : file.toString()));
        }
        return ctx;
    }
}
