package org.jham.agent.log;

import java.nio.file.Path;
import java.util.Objects;
import org.jham.Errno;
import org.jham.HamException;

/**
 * How the activity log is set up; validated when built (EINVAL naming the field and value).
 * Immutable and thread-safe.
 *
 * @param disabled       {@code -d}: log nothing at all, keep nothing
 * @param verbosity      the initial verbosity, {@code >= 0}; a message of level {@code n} is
 *                       logged when the verbosity is at least {@code n}
 * @param timestamps     how lines are stamped ({@code -t})
 * @param file           the file lines are appended to ({@code -f}), or {@code null} for stderr
 * @param recentCapacity how many of the latest lines are kept for {@link ActivityLog#recent()},
 *                       {@code >= 0}
 */
public record ActivityLogConfig(boolean disabled, int verbosity, TimestampMode timestamps, Path file,
        int recentCapacity) {
    /** How many recent lines are kept unless told otherwise. */
    public static final int DEFAULT_RECENT_CAPACITY = 500;

    public ActivityLogConfig {
        if (verbosity < 0) {
            throw new HamException(Errno.EINVAL, "verbosity must be >= 0, was " + verbosity);
        }
        Objects.requireNonNull(timestamps, "timestamps");
        if (recentCapacity < 0) {
            throw new HamException(Errno.EINVAL, "recentCapacity must be >= 0, was " + recentCapacity);
        }
    }

    /** A config keeping the {@link #DEFAULT_RECENT_CAPACITY default} number of recent lines. */
    public ActivityLogConfig(boolean disabled, int verbosity, TimestampMode timestamps, Path file) {
        this(disabled, verbosity, timestamps, file, DEFAULT_RECENT_CAPACITY);
    }

    /** The {@code ham} utility's defaults: enabled, verbosity 1, relative stamps, stderr. */
    public static ActivityLogConfig defaults() {
        return new ActivityLogConfig(false, 1, TimestampMode.RELATIVE, null);
    }
}
