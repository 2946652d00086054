package org.jham.agent.launch;

import java.io.File;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jham.Errno;
import org.jham.HamException;
import org.jham.agent.log.ActivityLogConfig;
import org.jham.agent.log.TimestampMode;
import org.jham.agent.plugin.PluginHost;

/**
 * The options of a HAM, from the {@code bin/ham} command line ({@link #parse}) or a
 * {@code -javaagent} argument ({@link #parseAgentOptions}); every value is checked when parsed
 * and a bad one is an EINVAL naming the option and the value. Immutable and thread-safe.
 *
 * <p>The guide's {@code ham} options: {@code -?}/{@code -h}, {@code -d}, {@code -f [FILE]},
 * {@code -t MODE}, {@code -v} (repeatable), {@code -Vn}; short options may be clustered
 * ({@code -dvv}) and an option's value may be attached ({@code -tabsolute}, {@code -f/x.log}).
 * Then jHAM's long options, each as {@code --name VALUE} or {@code --name=VALUE}; see
 * {@link #usage()}. Later options override earlier ones.
 */
public final class HamOptions {
    public static final int DEFAULT_PORT = 7770;
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_VERBOSITY = 1;
    public static final int DEFAULT_POLL_MILLIS = 20;
    public static final int MAX_POLL_MILLIS = 10_000;
    public static final int DEFAULT_RESTART_MAX = 20;
    public static final int DEFAULT_RESTART_WINDOW_SECONDS = 10;
    /** The log file of {@code -f} without a file name, inside the state directory. */
    public static final String DEFAULT_LOG_FILE_NAME = "ham.log";
    /** The plugin directory when {@code --plugin-path} is not given, inside the state directory. */
    public static final String DEFAULT_PLUGIN_DIR_NAME = "plugins";

    private final boolean help;
    private final boolean logDisabled;
    private final Path logFile;
    private final TimestampMode timestamps;
    private final int verbosity;
    private final int port;
    private final String bind;
    private final Path stateDir;
    private final boolean fresh;
    private final boolean foreground;
    private final int pollMillis;
    private final int restartMax;
    private final int restartWindowSeconds;
    private final List<Path> pluginPath;
    private final boolean fsync;
    private final boolean guardian;

    private HamOptions(Builder b) {
        this.fsync = b.fsync;
        this.guardian = b.guardian;
        this.help = b.help;
        this.logDisabled = b.logDisabled;
        this.stateDir = b.stateDir;
        this.logFile = b.logToDefaultFile ? b.stateDir.resolve(DEFAULT_LOG_FILE_NAME) : b.logFile;
        this.timestamps = b.timestamps;
        this.verbosity = b.verbosity;
        this.port = b.port;
        this.bind = b.bind;
        this.fresh = b.fresh;
        this.foreground = b.foreground;
        this.pollMillis = b.pollMillis;
        this.restartMax = b.restartMax;
        this.restartWindowSeconds = b.restartWindowSeconds;
        this.pluginPath = b.pluginPath != null ? b.pluginPath : List.of(b.stateDir.resolve(DEFAULT_PLUGIN_DIR_NAME));
    }

    /** The options with nothing given: the defaults, state directory from this environment. */
    public static HamOptions defaults() {
        return parse();
    }

    /**
     * Parses the {@code bin/ham} (or jsvc) arguments.
     *
     * @throws HamException EINVAL naming the bad option or value
     */
    public static HamOptions parse(String... args) {
        return parse(System.getenv(), Path.of(System.getProperty("user.home")), args);
    }

    /** {@link #parse(String...)} with the environment and home directory given (for tests). */
    static HamOptions parse(Map<String, String> env, Path home, String... args) {
        Builder b = new Builder(defaultStateDir(env, home));
        if (args == null) {
            return new HamOptions(b);
        }
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a == null) {
                throw new HamException(Errno.EINVAL, "argument " + (i + 1) + " is null");
            }
            if (a.startsWith("--")) {
                i = longOption(b, args, i);
            } else if (a.startsWith("-") && a.length() > 1) {
                i = shortOptions(b, args, i);
            } else {
                throw new HamException(Errno.EINVAL, "unexpected argument '" + a + "' (ham takes options only)");
            }
        }
        return new HamOptions(b);
    }

    /** Reads one cluster of short options at {@code args[i]}; returns the last index used. */
    private static int shortOptions(Builder b, String[] args, int i) {
        String a = args[i];
        for (int k = 1; k < a.length(); k++) {
            char c = a.charAt(k);
            String rest = a.substring(k + 1);
            boolean nextIsValue = i + 1 < args.length && args[i + 1] != null && !args[i + 1].startsWith("-");
            switch (c) {
                case '?':
                case 'h':
                    b.help = true;
                    break;
                case 'd':
                    b.logDisabled = true;
                    break;
                case 'v':
                    b.verbosity = addClamped(b.verbosity, 1);
                    break;
                case 'f':
                    // -f alone (last, or before another option) logs to the state directory's
                    // ham.log: the state directory may still change, so resolve it at the end.
                    if (!rest.isEmpty()) {
                        b.setLogFile("-f", rest);
                        return i;
                    }
                    if (nextIsValue) {
                        b.setLogFile("-f", args[i + 1]);
                        return i + 1;
                    }
                    b.logFile = null;
                    b.logToDefaultFile = true;
                    break;
                case 't':
                    if (!rest.isEmpty()) {
                        b.timestamps = timestamps("-t", rest);
                        return i;
                    }
                    b.timestamps = timestamps("-t", requireValue("-t", args, i, "none|relative|absolute|shortabs"));
                    return i + 1;
                case 'V':
                    if (!rest.isEmpty()) {
                        b.verbosity = intValue("-V", rest, 0, Integer.MAX_VALUE);
                        return i;
                    }
                    b.verbosity = intValue("-V", requireValue("-V", args, i, "a level, e.g. -V3"), 0,
                            Integer.MAX_VALUE);
                    return i + 1;
                default:
                    throw new HamException(Errno.EINVAL, "unknown option -" + c
                            + (a.length() > 2 ? " in '" + a + "'" : "") + " (see ham -h)");
            }
        }
        return i;
    }

    /** Reads one long option at {@code args[i]}; returns the last index used. */
    private static int longOption(Builder b, String[] args, int i) {
        String a = args[i];
        int eq = a.indexOf('=');
        String name = eq < 0 ? a : a.substring(0, eq);
        String attached = eq < 0 ? null : a.substring(eq + 1);
        switch (name) {
            case "--help":
                noValue(name, attached);
                b.help = true;
                return i;
            case "--fresh":
                noValue(name, attached);
                b.fresh = true;
                return i;
            case "--foreground":
                noValue(name, attached);
                b.foreground = true;
                return i;
            case "--fsync":
                noValue(name, attached);
                b.fsync = true;
                return i;
            case "--no-guardian":
                noValue(name, attached);
                b.guardian = false;
                return i;
            default:
                break;
        }
        String value = attached;
        int last = i;
        if (value == null) {
            if (!isKnownValued(name)) {
                throw new HamException(Errno.EINVAL, "unknown option " + name + " (see ham -h)");
            }
            if (i + 1 >= args.length || args[i + 1] == null) {
                throw new HamException(Errno.EINVAL, "option " + name + " needs a value");
            }
            value = args[i + 1];
            last = i + 1;
        }
        switch (name) {
            case "--port":
                b.port = intValue(name, value, 0, 65535);
                break;
            case "--bind":
                b.bind = bindValue(name, value);
                break;
            case "--state-dir":
                b.stateDir = pathValue(name, value);
                break;
            case "--poll-ms":
                b.pollMillis = intValue(name, value, 1, MAX_POLL_MILLIS);
                break;
            case "--restart-intensity":
                b.setIntensity(name, value);
                break;
            case "--plugin-path":
                b.pluginPath = pluginPathValue(name, value);
                break;
            default:
                throw new HamException(Errno.EINVAL, "unknown option " + name + " (see ham -h)");
        }
        return last;
    }

    private static boolean isKnownValued(String name) {
        switch (name) {
            case "--port":
            case "--bind":
            case "--state-dir":
            case "--poll-ms":
            case "--restart-intensity":
            case "--plugin-path":
                return true;
            default:
                return false;
        }
    }

    /**
     * Parses the argument of {@code -javaagent:ham-agent.jar=ARGS}: comma-separated
     * {@code key=value} pairs, keys {@code port}, {@code bind}, {@code statedir},
     * {@code verbosity}, {@code log} (a file; empty for {@code <statedir>/ham.log}),
     * {@code timestamps}, {@code fresh} ({@code true}/{@code false}), {@code disabled}
     * ({@code true}/{@code false}, as {@code -d}), {@code pollms}, {@code restartintensity} and
     * {@code pluginpath}. Values cannot hold commas. Null or blank means all defaults.
     *
     * @throws HamException EINVAL naming the bad key or value
     */
    public static HamOptions parseAgentOptions(String agentArgs) {
        return parseAgentOptions(System.getenv(), Path.of(System.getProperty("user.home")), agentArgs);
    }

    /** {@link #parseAgentOptions(String)} with the environment and home directory given. */
    static HamOptions parseAgentOptions(Map<String, String> env, Path home, String agentArgs) {
        Builder b = new Builder(defaultStateDir(env, home));
        if (agentArgs == null || agentArgs.isBlank()) {
            return new HamOptions(b);
        }
        for (String pair : agentArgs.split(",", -1)) {
            String p = pair.trim();
            if (p.isEmpty()) {
                // Tolerates "port=1,,bind=x" and a trailing comma: nothing was meant there.
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new HamException(Errno.EINVAL, "agent option '" + p + "' is not key=value (in '" + agentArgs + "')");
            }
            String key = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = p.substring(eq + 1).trim();
            String what = "agent option " + key;
            switch (key) {
                case "port":
                    b.port = intValue(what, value, 0, 65535);
                    break;
                case "bind":
                    b.bind = bindValue(what, value);
                    break;
                case "statedir":
                    b.stateDir = pathValue(what, value);
                    break;
                case "verbosity":
                    b.verbosity = intValue(what, value, 0, Integer.MAX_VALUE);
                    break;
                case "log":
                    if (value.isEmpty()) {
                        b.logFile = null;
                        b.logToDefaultFile = true;
                    } else {
                        b.setLogFile(what, value);
                    }
                    break;
                case "timestamps":
                    b.timestamps = timestamps(what, value);
                    break;
                case "fresh":
                    b.fresh = booleanValue(what, value);
                    break;
                case "disabled":
                    b.logDisabled = booleanValue(what, value);
                    break;
                case "pollms":
                    b.pollMillis = intValue(what, value, 1, MAX_POLL_MILLIS);
                    break;
                case "restartintensity":
                    b.setIntensity(what, value);
                    break;
                case "pluginpath":
                    b.pluginPath = pluginPathValue(what, value);
                    break;
                case "fsync":
                    b.fsync = booleanValue(what, value);
                    break;
                case "guardian":
                    b.guardian = booleanValue(what, value);
                    break;
                default:
                    throw new HamException(Errno.EINVAL, "unknown agent option '" + key + "' (known: port, bind, "
                            + "statedir, verbosity, log, timestamps, fresh, disabled, pollms, restartintensity, "
                            + "pluginpath, fsync, guardian)");
            }
        }
        return new HamOptions(b);
    }

    /** The {@code bin/ham} usage text. */
    public static String usage() {
        return String.join("\n",
                "usage: ham [-?|-h] [-d] [-f [FILE]] [-t none|relative|absolute|shortabs] [-v...] [-Vn]",
                "           [--port N] [--bind ADDR] [--state-dir DIR] [--fresh] [--foreground]",
                "           [--poll-ms N] [--restart-intensity MAX/SECONDS] [--plugin-path PATH]",
                "           [--fsync] [--no-guardian]",
                "  -?, -h                 show this help",
                "  -d                     disable the activity log",
                "  -f [FILE]              log to FILE instead of stderr (no FILE: <state-dir>/ham.log)",
                "  -t MODE                stamp log lines: none, relative (default, seconds since start),",
                "                         absolute (date and time), shortabs (time of day)",
                "  -v                     raise the verbosity by one (repeatable: -vvv); default 1",
                "  -Vn                    set the verbosity to n (e.g. -V3)",
                "  --port N               JMXMP port (default " + DEFAULT_PORT + "; 0 picks a free one)",
                "  --bind ADDR            address to listen on (default " + DEFAULT_BIND + ")",
                "  --state-dir DIR        state directory (default $XDG_STATE_HOME/jham or ~/.local/state/jham)",
                "  --fresh                start with an empty state",
                "  --foreground           stay attached to the terminal (bin/ham does not detach)",
                "  --poll-ms N            liveness poll period for processes attached by pid, 1.."
                        + MAX_POLL_MILLIS + " ms (default " + DEFAULT_POLL_MILLIS + ")",
                "  --restart-intensity MAX/SECONDS",
                "                         at most MAX restarts of one entity within SECONDS (default "
                        + DEFAULT_RESTART_MAX + "/" + DEFAULT_RESTART_WINDOW_SECONDS + "; 0 = no limit)",
                "  --plugin-path PATH     plugin jars and directories of jars, separated by ':'",
                "                         (default <state-dir>/" + DEFAULT_PLUGIN_DIR_NAME + "; empty: no plugins)",
                "  --fsync                force each state change to disk before the call returns (survives",
                "                         power loss; without it the state survives the death of the HAM)",
                "  --no-guardian          run no Guardian (nothing takes over if this HAM dies)");
    }

    /** {@code -?}/{@code -h}/{@code --help}: show usage and do nothing else. */
    public boolean help() {
        return help;
    }

    /** {@code -d}: the activity log is disabled. */
    public boolean logDisabled() {
        return logDisabled;
    }

    /** The activity log file ({@code -f}), absolute, or {@code null} for stderr. */
    public Path logFile() {
        return logFile;
    }

    /** How activity-log lines are stamped ({@code -t}). */
    public TimestampMode timestamps() {
        return timestamps;
    }

    /** The initial verbosity ({@code -v}, {@code -Vn}), {@code >= 0}. */
    public int verbosity() {
        return verbosity;
    }

    /** The JMXMP port; 0 for any free one. */
    public int port() {
        return port;
    }

    /** The address the JMXMP connector listens on. */
    public String bind() {
        return bind;
    }

    /** The state directory, absolute. */
    public Path stateDir() {
        return stateDir;
    }

    /** {@code --fresh}: start with an empty state instead of the saved one. */
    public boolean fresh() {
        return fresh;
    }

    /** {@code --foreground}: the HAM was asked not to detach. */
    public boolean foreground() {
        return foreground;
    }

    /** The liveness poll period for processes attached by pid, in milliseconds. */
    public int pollMillis() {
        return pollMillis;
    }

    /** At most this many restarts of one entity within {@link #restartWindowSeconds()}; 0 = no limit. */
    public int restartMax() {
        return restartMax;
    }

    /** The restart intensity window in seconds; 0 when {@link #restartMax()} is 0. */
    public int restartWindowSeconds() {
        return restartWindowSeconds;
    }

    /**
     * The plugin path ({@code --plugin-path}): jars and directories of jars, absolute, in the order
     * given; by default {@code <state-dir>/plugins}; empty for no plugins.
     */
    public List<Path> pluginPath() {
        return pluginPath;
    }

    /** {@code --fsync}: every journal record is forced to disk before the call that made it returns. */
    public boolean fsync() {
        return fsync;
    }

    /** False with {@code --no-guardian}: no Guardian process is started. */
    public boolean guardian() {
        return guardian;
    }

    /**
     * These options as {@code bin/ham} arguments, with the port the HAM actually listens on: what
     * the Guardian needs to become the same HAM. Without {@code --fresh} (a takeover continues
     * the state) and {@code --foreground}.
     */
    public List<String> toArgs(int actualPort) {
        List<String> a = new ArrayList<>();
        if (logDisabled) {
            a.add("-d");
        }
        if (logFile != null) {
            a.add("-f");
            a.add(logFile.toString());
        }
        a.add("-t");
        a.add(timestamps.optionName());
        a.add("-V");
        a.add(Integer.toString(verbosity));
        a.add("--port=" + actualPort);
        a.add("--bind=" + bind);
        a.add("--state-dir=" + stateDir);
        a.add("--poll-ms=" + pollMillis);
        a.add("--restart-intensity=" + restartMax + "/" + restartWindowSeconds);
        a.add("--plugin-path=" + pluginPath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        if (fsync) {
            a.add("--fsync");
        }
        return a;
    }

    /** The activity log's configuration from these options. */
    public ActivityLogConfig activityLogConfig() {
        return new ActivityLogConfig(logDisabled, verbosity, timestamps, logFile);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof HamOptions)) {
            return false;
        }
        HamOptions x = (HamOptions) o;
        return help == x.help && logDisabled == x.logDisabled && Objects.equals(logFile, x.logFile)
                && timestamps == x.timestamps && verbosity == x.verbosity && port == x.port && bind.equals(x.bind)
                && stateDir.equals(x.stateDir) && fresh == x.fresh && foreground == x.foreground
                && pollMillis == x.pollMillis && restartMax == x.restartMax
                && restartWindowSeconds == x.restartWindowSeconds && pluginPath.equals(x.pluginPath)
                && fsync == x.fsync && guardian == x.guardian;
    }

    @Override
    public int hashCode() {
        return Objects.hash(help, logDisabled, logFile, timestamps, verbosity, port, bind, stateDir, fresh,
                foreground, pollMillis, restartMax, restartWindowSeconds, pluginPath, fsync, guardian);
    }

    @Override
    public String toString() {
        return "HamOptions[help=" + help + ", logDisabled=" + logDisabled + ", logFile=" + logFile
                + ", timestamps=" + timestamps.optionName() + ", verbosity=" + verbosity + ", port=" + port
                + ", bind=" + bind + ", stateDir=" + stateDir + ", fresh=" + fresh + ", foreground=" + foreground
                + ", pollMillis=" + pollMillis + ", restartIntensity=" + restartMax + "/" + restartWindowSeconds
                + ", pluginPath="
                + pluginPath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator))
                + ", fsync=" + fsync + ", guardian=" + guardian + "]";
    }

    /** {@code $XDG_STATE_HOME/jham}, else {@code ~/.local/state/jham}. */
    static Path defaultStateDir(Map<String, String> env, Path home) {
        String xdg = env.get("XDG_STATE_HOME");
        // The XDG spec says to ignore an empty or relative value.
        if (xdg != null && !xdg.isEmpty()) {
            try {
                Path p = Path.of(xdg);
                if (p.isAbsolute()) {
                    return p.resolve("jham").normalize();
                }
            } catch (InvalidPathException e) {
                // Same as relative: not a usable XDG_STATE_HOME; fall through to the home default.
            }
        }
        return home.toAbsolutePath().resolve(".local").resolve("state").resolve("jham").normalize();
    }

    private static String requireValue(String option, String[] args, int i, String what) {
        if (i + 1 >= args.length || args[i + 1] == null || args[i + 1].startsWith("-")) {
            throw new HamException(Errno.EINVAL, "option " + option + " needs a value: " + what);
        }
        return args[i + 1];
    }

    private static void noValue(String option, String attached) {
        if (attached != null) {
            throw new HamException(Errno.EINVAL, "option " + option + " takes no value, got '" + attached + "'");
        }
    }

    private static int intValue(String option, String value, int min, int max) {
        long v;
        try {
            v = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new HamException(Errno.EINVAL, option + " value '" + value + "' is not a number");
        }
        if (v < min || v > max) {
            throw new HamException(Errno.EINVAL, option + " value " + value + " is out of range " + min + ".." + max);
        }
        return (int) v;
    }

    private static boolean booleanValue(String option, String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new HamException(Errno.EINVAL, option + " value '" + value + "' is not true or false");
        }
    }

    private static TimestampMode timestamps(String option, String value) {
        try {
            return TimestampMode.parse(value);
        } catch (HamException e) {
            throw new HamException(Errno.EINVAL, option + ": " + e.detail());
        }
    }

    private static String bindValue(String option, String value) {
        String v = value.trim();
        if (v.isEmpty() || v.chars().anyMatch(Character::isWhitespace)) {
            throw new HamException(Errno.EINVAL, option + " value '" + value + "' is not an address");
        }
        return v;
    }

    private static Path pathValue(String option, String value) {
        if (value.isBlank()) {
            throw new HamException(Errno.EINVAL, option + " needs a path, got '" + value + "'");
        }
        try {
            return Path.of(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new HamException(Errno.EINVAL, option + " value '" + value + "' is not a path: " + e.getReason());
        }
    }

    /** Jars and directories separated by ':', each made absolute; empty means no plugins. */
    private static List<Path> pluginPathValue(String option, String value) {
        List<Path> entries;
        try {
            entries = PluginHost.parsePath(value);
        } catch (HamException e) {
            throw new HamException(Errno.EINVAL, option + ": " + e.detail());
        }
        List<Path> result = new ArrayList<>();
        for (Path p : entries) {
            result.add(p.toAbsolutePath().normalize());
        }
        return List.copyOf(result);
    }

    private static int addClamped(int a, int b) {
        return (int) Math.min(Integer.MAX_VALUE, (long) a + b);
    }

    /** The options being parsed; only the parser sees it. */
    private static final class Builder {
        boolean help;
        boolean logDisabled;
        Path logFile;
        boolean logToDefaultFile;
        TimestampMode timestamps = TimestampMode.RELATIVE;
        int verbosity = DEFAULT_VERBOSITY;
        int port = DEFAULT_PORT;
        String bind = DEFAULT_BIND;
        Path stateDir;
        boolean fresh;
        boolean foreground;
        int pollMillis = DEFAULT_POLL_MILLIS;
        int restartMax = DEFAULT_RESTART_MAX;
        int restartWindowSeconds = DEFAULT_RESTART_WINDOW_SECONDS;
        /** Null until {@code --plugin-path}: the default follows the final state directory. */
        List<Path> pluginPath;
        boolean fsync;
        boolean guardian = true;

        Builder(Path stateDir) {
            this.stateDir = stateDir;
        }

        void setLogFile(String option, String value) {
            logFile = pathValue(option, value);
            logToDefaultFile = false;
        }

        /** {@code MAX/SECONDS}, or {@code 0} for no limit. */
        void setIntensity(String option, String value) {
            String v = value.trim();
            if (v.equals("0")) {
                restartMax = 0;
                restartWindowSeconds = 0;
                return;
            }
            int slash = v.indexOf('/');
            if (slash < 0) {
                throw new HamException(Errno.EINVAL, option + " value '" + value
                        + "' is not MAX/SECONDS (e.g. 20/10) or 0");
            }
            int max = intValue(option + " MAX", v.substring(0, slash), 0, Integer.MAX_VALUE);
            int seconds = intValue(option + " SECONDS", v.substring(slash + 1), max == 0 ? 0 : 1, Integer.MAX_VALUE);
            restartMax = max;
            restartWindowSeconds = max == 0 ? 0 : seconds;
        }
    }
}
