package org.jham.agent.testing;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@link TestHam}'s activity log as a user does ({@code RecentActivity}, oldest first):
 * lines are written under one lock, so their order is the order things happened in the HAM, and
 * TestHam's relative stamps ({@code [    12.345]}) give a lower bound on the time between two.
 */
public final class Activity {
    private static final Pattern STAMP = Pattern.compile("^\\[\\s*(\\d+)\\.(\\d{3})\\]");

    private final TestHam ham;

    public Activity(TestHam ham) {
        this.ham = ham;
    }

    public List<String> lines() {
        return List.of(ham.ham().getRecentActivity());
    }

    /** Index of the first line containing {@code text}, or -1. */
    public int indexOf(String text) {
        return indexOf(lines(), text);
    }

    public static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    /** How many lines contain {@code text}. */
    public long count(String text) {
        return lines().stream().filter(l -> l.contains(text)).count();
    }

    /** Waits for a line containing {@code text} and returns it. */
    public String await(String text) {
        return Await.value("an activity line containing '" + text + "'", () -> {
            for (String l : lines()) {
                if (l.contains(text)) {
                    return l;
                }
            }
            return null;
        });
    }

    /** The line's relative stamp in ms (TestHam runs with {@code -t relative}). */
    public static long millis(String line) {
        Matcher m = STAMP.matcher(line);
        if (!m.find()) {
            throw new AssertionError("no relative stamp in '" + line + "'");
        }
        return Long.parseLong(m.group(1)) * 1000 + Long.parseLong(m.group(2));
    }
}
