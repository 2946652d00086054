package org.jham.agent.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Reads {@code /proc/<pid>/stat}: whether a pid is alive (a zombie counts as dead, unlike
 * {@link ProcessHandle#isAlive()}) and its start time in clock ticks since boot, which tells a
 * process from a later one that reused its pid. Thread-safe (stateless).
 */
public final class ProcStat {
    private ProcStat() {
    }

    /** The start time of a live, non-zombie process, or empty when it is gone or a zombie. */
    public static OptionalLong liveStartTime(long pid) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        String s = new String(raw, StandardCharsets.US_ASCII);
        // The command name (field 2) is in parentheses and may itself contain spaces or ')'.
        int close = s.lastIndexOf(')');
        if (close < 0 || close + 2 >= s.length()) {
            return OptionalLong.empty();
        }
        String[] f = s.substring(close + 2).trim().split(" ");
        // f[0] is field 3 (state); starttime is field 22, i.e. f[19].
        if (f.length < 20 || "Z".equals(f[0]) || "X".equals(f[0])) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(f[19]));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Whether {@code pid} still names the process that started at {@code startTime}. */
    public static boolean isSameLiveProcess(long pid, long startTime) {
        return isSameLiveProcess(liveStartTime(pid), startTime);
    }

    /** The same, from a {@link #liveStartTime} already read (one read serves every watch of a pid). */
    public static boolean isSameLiveProcess(OptionalLong liveStartTime, long startTime) {
        return liveStartTime.isPresent() && liveStartTime.getAsLong() == startTime;
    }
}
