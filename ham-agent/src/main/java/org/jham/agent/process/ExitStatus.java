package org.jham.agent.process;

import java.util.Set;

/**
 * How a process ended. The native spawner reports the exact wait status. When the HAM spawns
 * through the JDK instead, the JDK reports {@code 128 + signal} for a death by signal, so a child
 * that calls {@code exit(139)} itself is indistinguishable from one killed by SIGSEGV: then any
 * status in 129..192 is judged a death by that signal (docs/behaviour.md). For processes attached
 * by pid the status is unknown.
 */
public record ExitStatus(Kind kind, int code, int signal) {

    /** What is known about the end of a process. */
    public enum Kind { EXITED, SIGNALED, UNKNOWN, DISCONNECTED }

    /** The signals whose default action dumps core (the dumper signals of the guide). */
    private static final Set<Integer> CORE_SIGNALS = Set.of(3, 4, 5, 6, 7, 8, 11, 24, 25, 31);

    private static final String[] NAMES = {"0", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
        "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM",
        "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
        "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};

    public static ExitStatus fromJdkExitValue(int value) {
        if (value > 128 && value <= 128 + 64) {
            return new ExitStatus(Kind.SIGNALED, value, value - 128);
        }
        return new ExitStatus(Kind.EXITED, value, 0);
    }

    /** From a raw {@code waitpid} status: exact, unlike the JDK's exit value. */
    public static ExitStatus fromWaitStatus(int raw) {
        int signal = raw & 0x7f;
        if (signal == 0) {
            return new ExitStatus(Kind.EXITED, (raw >> 8) & 0xff, 0);
        }
        return new ExitStatus(Kind.SIGNALED, 128 + signal, signal);
    }

    public static ExitStatus unknown() {
        return new ExitStatus(Kind.UNKNOWN, -1, 0);
    }

    /** A self-attached entity whose connection closed without ham_detach_self (the guide: abnormal termination). */
    public static ExitStatus disconnected() {
        return new ExitStatus(Kind.DISCONNECTED, -1, 0);
    }

    /** A death by a core-dump signal: CONDABNORMALDEATH (which also fires CONDDEATH). */
    public boolean abnormal() {
        return kind == Kind.SIGNALED && CORE_SIGNALS.contains(signal);
    }

    public static String signalName(int signal) {
        return signal > 0 && signal < NAMES.length ? NAMES[signal] : "SIG" + signal;
    }

    @Override
    public String toString() {
        switch (kind) {
            case EXITED:
                return "exit " + code;
            case SIGNALED:
                return "signal " + signal + " (" + signalName(signal) + ")" + (abnormal() ? " abnormal" : "");
            case DISCONNECTED:
                return "connection closed without ham_detach_self";
            default:
                return "ended (status unknown: not a child of the HAM)";
        }
    }
}
