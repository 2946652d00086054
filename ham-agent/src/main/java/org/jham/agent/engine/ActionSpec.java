package org.jham.agent.engine;

import java.util.List;
import org.jham.Errno;
import org.jham.HamException;
import org.jham.HamNode;
import org.jham.agent.process.CommandLine;
import org.jham.spi.PluginAction;

/** What an action does, validated when built; immutable. */
public sealed interface ActionSpec {
    /** The type shown in {@code .info} and the ActionType attribute. */
    String typeName();

    /** The label and value of the action's detail line in {@code .info}. */
    String detailLabel();

    String detail();

    /** A restart of {@code line} (full path, guide quoting); EINVAL when the line is bad. */
    static Restart restart(String line) {
        List<String> argv = CommandLine.parse(line);
        return new Restart(line.trim(), argv);
    }

    /** An execute of {@code line} (full path, guide quoting); EINVAL when the line is bad. */
    static Execute execute(String line) {
        List<String> argv = CommandLine.parse(line);
        return new Execute(line.trim(), argv);
    }

    /** A log action; EINVAL when the message is null or the verbosity negative. */
    static Log log(String message, boolean attachPrefix, int verbosity) {
        if (message == null) {
            throw new HamException(Errno.EINVAL, "log message is null");
        }
        if (verbosity < 0) {
            throw new HamException(Errno.EINVAL, "log verbosity must be >= 0, was " + verbosity);
        }
        return new Log(message, attachPrefix, verbosity);
    }

    /**
     * A waitfor: {@code delayMillis} (> 0, else EINVAL); with a {@code path} (null or empty = none)
     * it ends as soon as the path appears, and fails when it has not appeared within the delay
     * rounded up to a multiple of 100 ms.
     */
    static Waitfor waitfor(String path, int delayMillis) {
        if (delayMillis <= 0) {
            throw new HamException(Errno.EINVAL, "waitfor delay must be > 0 ms, was " + delayMillis);
        }
        String p = path == null || path.isBlank() ? null : path.trim();
        return new Waitfor(p, delayMillis);
    }

    /** A notify-pulse to channel {@code (node, pid, chid)}; EINVAL for a bad node, pid or chid. */
    static NotifyPulse notifyPulse(String node, long pid, int chid, int code, int value) {
        if (pid <= 0) {
            throw new HamException(Errno.EINVAL, "pulse target pid must be > 0, was " + pid);
        }
        if (chid <= 0) {
            throw new HamException(Errno.EINVAL, "pulse channel id must be > 0, was " + chid);
        }
        return new NotifyPulse(node(node), pid, chid, code, value);
    }

    /** A notify-signal of {@code signum} to {@code (node, pid)}; EINVAL for a bad node, pid or signal. */
    static NotifySignal notifySignal(String node, long pid, int signum, int code, int value) {
        if (pid <= 0) {
            throw new HamException(Errno.EINVAL, "signal target pid must be > 0, was " + pid);
        }
        if (signum < 1 || signum > 64) {
            throw new HamException(Errno.EINVAL, "signal number must be 1..64, was " + signum);
        }
        return new NotifySignal(node(node), pid, signum, code, value);
    }

    /** Null or empty for the local node; otherwise checked now, so a bad name fails the add. */
    private static String node(String node) {
        if (node == null || node.isBlank()) {
            return "";
        }
        HamNode.of(node.trim());
        return node.trim();
    }

    /** Restart the entity with {@code line}; only under death conditions, one per entity. */
    record Restart(String line, List<String> argv) implements ActionSpec {
        public String typeName() {
            return "RESTART";
        }

        public String detailLabel() {
            return "Restart Line";
        }

        public String detail() {
            return line;
        }
    }

    /** Start a command (direct exec, no shell); fails when it cannot be started. */
    record Execute(String line, List<String> argv) implements ActionSpec {
        public String typeName() {
            return "EXECUTE";
        }

        public String detailLabel() {
            return "Execute Line";
        }

        public String detail() {
            return line;
        }
    }

    /** Wait {@code delayMillis}, or until {@code path} appears (failing if it does not in time). */
    record Waitfor(String path, int delayMillis) implements ActionSpec {
        /** How long the wait may last: the delay, rounded up to a multiple of 100 ms with a path. */
        public long limitMillis() {
            return path == null ? delayMillis : (delayMillis + 99L) / 100 * 100;
        }

        public String typeName() {
            return "WAITFOR";
        }

        public String detailLabel() {
            return "Waitfor";
        }

        public String detail() {
            return path == null ? delayMillis + " ms" : path + " (up to " + limitMillis() + " ms)";
        }
    }

    /** Deliver pulse {@code (code, value)} to channel {@code chid} of {@code pid} on {@code node} ("" = local). */
    record NotifyPulse(String node, long pid, int chid, int code, int value) implements ActionSpec {
        public String typeName() {
            return "NOTIFY_PULSE";
        }

        public String detailLabel() {
            return "Notify Pulse";
        }

        public String detail() {
            return "node " + (node.isEmpty() ? "local" : node) + " pid " + pid + " chid " + chid + " code " + code
                    + " value " + value;
        }
    }

    /** Send signal {@code signum} with {@code (code, value)} to {@code pid} on {@code node} ("" = local). */
    record NotifySignal(String node, long pid, int signum, int code, int value) implements ActionSpec {
        public String typeName() {
            return "NOTIFY_SIGNAL";
        }

        public String detailLabel() {
            return "Notify Signal";
        }

        public String detail() {
            return "node " + (node.isEmpty() ? "local" : node) + " pid " + pid + " signal " + signum + " code " + code
                    + " value " + value;
        }
    }

    /** Reset the entity's heartbeat state to healthy so that monitoring resumes; never fails. */
    record HeartbeatHealthy() implements ActionSpec {
        public String typeName() {
            return "HEARTBEAT_HEALTHY";
        }

        public String detailLabel() {
            return "Heartbeat";
        }

        public String detail() {
            return "reset to healthy";
        }
    }

    /** An action of a plugin type ({@link org.jham.spi.ActionPlugin}), built from {@code args}. */
    record Custom(String type, String args, PluginAction action) implements ActionSpec {
        public String typeName() {
            return type;
        }

        public String detailLabel() {
            return "Plugin Action";
        }

        public String detail() {
            return action.describe();
        }
    }

    /** Write to the activity log when the HAM's verbosity is at least {@code verbosity}; never fails. */
    record Log(String message, boolean attachPrefix, int verbosity) implements ActionSpec {
        public String typeName() {
            return "LOG";
        }

        public String detailLabel() {
            return "Log Message";
        }

        public String detail() {
            return message;
        }
    }
}
