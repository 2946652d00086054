package org.jham.agent.log;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.jham.Errno;
import org.jham.HamException;

/**
 * How activity-log lines are stamped: the {@code ham} utility's {@code -t} option. Immutable and
 * thread-safe.
 */
public enum TimestampMode {
    /** No stamp: the line is the message alone. */
    NONE,
    /** Seconds since the HAM started, to the millisecond: {@code [    12.345]}. The default. */
    RELATIVE,
    /** Local date and time to the nanosecond, as in {@code .info}: {@code 2026/11/21 14:03:07.123456789}. */
    ABSOLUTE,
    /** Local time of day to the millisecond: {@code 14:03:07.123}. */
    SHORTABS;

    private static final DateTimeFormatter ABSOLUTE_FORMAT =
            DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss.SSSSSSSSS", Locale.ROOT);
    private static final DateTimeFormatter SHORTABS_FORMAT = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT);

    /**
     * Reads a mode name as given to {@code -t}, ignoring case and surrounding blanks.
     *
     * @throws HamException EINVAL naming the value and the four modes
     */
    public static TimestampMode parse(String value) {
        if (value != null) {
            String v = value.trim().toUpperCase(Locale.ROOT);
            for (TimestampMode m : values()) {
                if (m.name().equals(v)) {
                    return m;
                }
            }
        }
        throw new HamException(Errno.EINVAL, "timestamp mode '" + value
                + "' is not one of none, relative, absolute, shortabs");
    }

    /**
     * The stamp for a line logged at {@code now}, or {@code ""} for {@link #NONE}.
     *
     * @param start when the HAM started (for {@link #RELATIVE})
     * @param zone  the local time zone (for the absolute forms)
     */
    public String stamp(Instant start, Instant now, ZoneId zone) {
        switch (this) {
            case NONE:
                return "";
            case RELATIVE: {
                // A wall clock may step back; a stamp before the start would only confuse.
                long ms = Math.max(0, Duration.between(start, now).toMillis());
                return String.format(Locale.ROOT, "[%6d.%03d]", ms / 1000, ms % 1000);
            }
            case ABSOLUTE:
                return ABSOLUTE_FORMAT.format(now.atZone(zone));
            case SHORTABS:
                return SHORTABS_FORMAT.format(now.atZone(zone));
            default:
                throw new AssertionError(this);
        }
    }

    /** The lower-case name used on the command line. */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
