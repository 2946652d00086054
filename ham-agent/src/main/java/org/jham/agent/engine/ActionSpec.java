package org.jham.agent.engine;

import java.util.List;
import org.jham.Errno;
import org.jham.HamException;
import org.jham.agent.process.CommandLine;

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
