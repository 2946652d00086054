package org.jham.agent.monitor;

import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.jham.Errno;
import org.jham.HamConstants;
import org.jham.HamException;
import org.jham.HamNode;
import org.jham.Names;

/**
 * The options of the agent in a monitored JVM, from
 * {@code -javaagent:ham-agent.jar=entity=NAME[,node=HOST:PORT][,hb=MS][,low=N][,high=N][,beat=agent|app]
 * [,restart=yes][,detect=deadlock+memory][,memory=PERCENT][,detach-on-exit=yes]}. Every value is
 * checked when parsed and a bad one is an EINVAL (ENAMETOOLONG for a long name) that names the
 * option and the value; a value that could have no effect (marks or {@code beat} without
 * {@code hb}, {@code memory} without the memory detector) is refused too, as the mistake it
 * likely is. Immutable and thread-safe.
 *
 * @param entity       the entity this JVM attaches itself as
 * @param node         the HAM ({@code host[:port]} or a jmxmp URL); null for the local HAM
 *                     ({@code jham.node}, {@code $JHAM_NODE}, else 127.0.0.1:7770)
 * @param hbMillis     the heartbeat period promised to the HAM in ms; 0 = no heartbeats
 * @param low          missed heartbeats that fire CONDHBEATMISSEDLOW (0 = never)
 * @param high         missed heartbeats that fire CONDHBEATMISSEDHIGH (0 = never)
 * @param beat         who beats: the agent while the JVM is healthy, or the application
 * @param restart      install a CONDDEATH condition restarting this JVM with its own command line
 * @param detect       the JVM conditions raised to the HAM
 * @param memoryPercent the usage after GC, in percent of a heap pool's maximum, that is low memory
 * @param detachOnExit detach on a normal JVM exit (CONDDETACH) instead of dying (CONDDEATH)
 */
public record MonitorOptions(String entity, String node, long hbMillis, int low, int high, Beat beat,
                             boolean restart, Set<Detector> detect, int memoryPercent, boolean detachOnExit) {

    /** Who sends the heartbeats. */
    public enum Beat {
        /** The agent, every hb/2, only while no threads are deadlocked. */
        AGENT,
        /** The application, through {@code org.jham.Heartbeat.beat()}. */
        APP
    }

    /** The JVM conditions the agent can raise (see {@code org.jham.JvmConditions}). */
    public enum Detector { DEADLOCK, MEMORY }

    public static final int DEFAULT_LOW = 3;
    public static final int DEFAULT_HIGH = 5;
    public static final int DEFAULT_MEMORY_PERCENT = 90;
    /** The longest heartbeat period accepted: one day. */
    public static final long MAX_HB_MILLIS = 86_400_000L;
    static final long HB_MIN_MILLIS = HamConstants.HAMHBEATMIN / 1_000_000L;

    /** The keys, in the order the usage lists them. */
    static final String KNOWN = "entity, node, hb, low, high, beat, restart, detect, memory, detach-on-exit";

    public MonitorOptions {
        detect = Collections.unmodifiableSet(detect.isEmpty() ? EnumSet.noneOf(Detector.class) : EnumSet.copyOf(detect));
    }

    /** The heartbeat period in nanoseconds (0 = none), as ham_attach_self takes it. */
    public long hbNanos() {
        return hbMillis * 1_000_000L;
    }

    /** True when the agent itself sends the heartbeats. */
    public boolean agentBeats() {
        return hbMillis > 0 && beat == Beat.AGENT;
    }

    /**
     * True when the agent argument asks for a monitored JVM (it holds an {@code entity=} option);
     * otherwise the agent installs a HAM in the JVM.
     */
    public static boolean isMonitorMode(String agentArgs) {
        if (agentArgs == null) {
            return false;
        }
        for (String pair : agentArgs.split(",", -1)) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).trim().equalsIgnoreCase("entity")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parses the agent argument: comma-separated {@code key=value} pairs (values cannot hold
     * commas; empty pairs are ignored).
     *
     * @throws HamException EINVAL (or ENAMETOOLONG for the entity name) naming the option and value
     */
    public static MonitorOptions parse(String agentArgs) {
        if (agentArgs == null || agentArgs.isBlank()) {
            throw new HamException(Errno.EINVAL, "no agent options: entity=NAME is required");
        }
        String entity = null;
        String node = null;
        Long hb = null;
        Integer low = null;
        Integer high = null;
        Beat beat = null;
        boolean restart = false;
        Set<Detector> detect = null;
        Integer memory = null;
        boolean detachOnExit = false;
        Set<String> seen = new HashSet<>();
        for (String pair : agentArgs.split(",", -1)) {
            String p = pair.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new HamException(Errno.EINVAL, "agent option '" + p + "' is not key=value");
            }
            String key = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = p.substring(eq + 1).trim();
            if (!seen.add(key)) {
                throw new HamException(Errno.EINVAL, key + "= is given twice");
            }
            switch (key) {
                case "entity":
                    entity = entityName(value);
                    break;
                case "node":
                    node = nodeName(value);
                    break;
                case "hb":
                    hb = number(key, value, 0, MAX_HB_MILLIS);
                    if (hb > 0 && hb < HB_MIN_MILLIS) {
                        throw new HamException(Errno.EINVAL, "hb=" + value + ": below HAMHBEATMIN (" + HB_MIN_MILLIS
                                + " ms)");
                    }
                    break;
                case "low":
                    low = (int) number(key, value, 0, Integer.MAX_VALUE);
                    break;
                case "high":
                    high = (int) number(key, value, 0, Integer.MAX_VALUE);
                    break;
                case "beat":
                    beat = beat(value);
                    break;
                case "restart":
                    restart = yesNo(key, value);
                    break;
                case "detect":
                    detect = detectors(value);
                    break;
                case "memory":
                    memory = (int) number(key, value, 1, 99);
                    break;
                case "detach-on-exit":
                    detachOnExit = yesNo(key, value);
                    break;
                default:
                    throw new HamException(Errno.EINVAL, "unknown agent option '" + key + "' (known: " + KNOWN + ")");
            }
        }
        if (entity == null) {
            throw new HamException(Errno.EINVAL, "entity=NAME is required");
        }
        long hbMillis = hb == null ? 0 : hb;
        if (hbMillis == 0) {
            for (String k : new String[] {"low", "high", "beat"}) {
                if (seen.contains(k)) {
                    throw new HamException(Errno.EINVAL, k + "= needs a heartbeat period hb=MS (without one nothing is missed)");
                }
            }
        }
        int l;
        int h;
        if (hbMillis == 0) {
            l = 0;
            h = 0;
        } else {
            // One mark given: the other follows it, so that low=8 or high=2 alone are consistent.
            h = high != null ? high : Math.max(DEFAULT_HIGH, low != null ? low : 0);
            l = low != null ? low : Math.min(DEFAULT_LOW, h);
            if (l > h) {
                throw new HamException(Errno.EINVAL, "low=" + l + " is above high=" + h + " (the guide: hpdl <= hpdh)");
            }
        }
        Set<Detector> d = detect == null ? EnumSet.allOf(Detector.class) : detect;
        if (memory != null && !d.contains(Detector.MEMORY)) {
            throw new HamException(Errno.EINVAL, "memory=" + memory + " needs the memory detector (detect=...+memory)");
        }
        return new MonitorOptions(entity, node, hbMillis, l, h, beat == null ? Beat.AGENT : beat, restart, d,
                memory == null ? DEFAULT_MEMORY_PERCENT : memory, detachOnExit);
    }

    private static String entityName(String value) {
        try {
            Names.check("entity", value);
            Names.checkPath(value);
            return value;
        } catch (HamException e) {
            throw new HamException(e.errno(), "entity=" + value + ": " + e.detail());
        }
    }

    private static String nodeName(String value) {
        if (value.isEmpty()) {
            throw new HamException(Errno.EINVAL, "node= is empty (leave it out for the local HAM)");
        }
        try {
            HamNode.of(value);
            return value;
        } catch (HamException e) {
            throw new HamException(Errno.EINVAL, "node=" + value + ": " + e.detail());
        }
    }

    private static long number(String key, String value, long min, long max) {
        long v;
        try {
            v = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new HamException(Errno.EINVAL, key + "=" + value + ": not a number");
        }
        if (v < min || v > max) {
            throw new HamException(Errno.EINVAL, key + "=" + value + ": out of range " + min + ".." + max);
        }
        return v;
    }

    private static boolean yesNo(String key, String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "yes":
            case "true":
                return true;
            case "no":
            case "false":
                return false;
            default:
                throw new HamException(Errno.EINVAL, key + "=" + value + ": not yes or no");
        }
    }

    private static Beat beat(String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "agent":
                return Beat.AGENT;
            case "app":
                return Beat.APP;
            default:
                throw new HamException(Errno.EINVAL, "beat=" + value + ": not agent or app");
        }
    }

    /** {@code deadlock+memory}, {@code deadlock}, {@code memory} or {@code none}. */
    private static Set<Detector> detectors(String value) {
        if (value.equalsIgnoreCase("none")) {
            return EnumSet.noneOf(Detector.class);
        }
        Set<Detector> d = EnumSet.noneOf(Detector.class);
        for (String part : value.split("\\+", -1)) {
            switch (part.trim().toLowerCase(Locale.ROOT)) {
                case "deadlock":
                    d.add(Detector.DEADLOCK);
                    break;
                case "memory":
                    d.add(Detector.MEMORY);
                    break;
                default:
                    throw new HamException(Errno.EINVAL, "detect=" + value + ": '" + part
                            + "' is not deadlock or memory (join them with +, or say none)");
            }
        }
        return d;
    }
}
