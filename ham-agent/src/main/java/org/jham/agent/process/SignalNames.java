package org.jham.agent.process;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jham.Errno;
import org.jham.HamException;

/**
 * Signal numbers from what people write: {@code "10"}, {@code "SIGUSR1"}, {@code "usr1"},
 * {@code "SIGRTMIN+3"}, {@code "SIGRTMAX-2"}; and names from numbers. Linux x86_64 numbering with
 * glibc's real-time range (SIGRTMIN 34: glibc keeps 32 and 33 for its threads), fixed here rather
 * than asked of the OS, as the JVM cannot. Thread-safe: stateless.
 */
public final class SignalNames {
    /** glibc's first real-time signal. */
    public static final int SIGRTMIN = 34;
    /** The last signal: the kernel's _NSIG - 1. */
    public static final int SIGRTMAX = 64;

    /** Index = signal number; 32 and 33 have no name of their own. */
    private static final String[] NAMES = {null, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
        "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
        "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS", "32", "33"};

    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,9}");
    private static final Pattern REALTIME = Pattern.compile("RT(MIN|MAX)(?:([+-])([0-9]{1,9}))?");

    private SignalNames() {
    }

    /**
     * The number of {@code signal}: a decimal 1..64, or a name with or without its {@code SIG}
     * prefix in any case (also the aliases IOT, CLD and POLL), or {@code SIGRTMIN+n} /
     * {@code SIGRTMAX-n} within 34..64.
     *
     * @throws HamException EINVAL for anything else, 0 included
     */
    public static int parse(String signal) {
        String s = signal == null ? "" : signal.trim().toUpperCase(Locale.ROOT);
        if (NUMBER.matcher(s).matches()) {
            return inRange(Integer.parseInt(s), signal);
        }
        String name = s.startsWith("SIG") ? s.substring(3) : s;
        for (int i = 1; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) { // "SIG32" names 32; "SIG10" names nothing
                return i;
            }
        }
        switch (name) {
            case "IOT":
                return 6;
            case "CLD":
                return 17;
            case "POLL":
                return 29;
            default:
                break;
        }
        Matcher m = REALTIME.matcher(name);
        if (m.matches()) {
            boolean min = m.group(1).equals("MIN");
            if (m.group(2) == null) {
                return min ? SIGRTMIN : SIGRTMAX;
            }
            // Only upwards from SIGRTMIN and downwards from SIGRTMAX, as glibc spells them.
            if (min == m.group(2).equals("+")) {
                int n = Integer.parseInt(m.group(3));
                int signum = min ? SIGRTMIN + n : SIGRTMAX - n;
                if (signum >= SIGRTMIN && signum <= SIGRTMAX) {
                    return signum;
                }
            }
        }
        throw invalid(signal);
    }

    /**
     * The name of signal {@code signum} with its {@code SIG} prefix: {@code SIGUSR1};
     * {@code SIG32}, {@code SIG33}; real-time ones as bash's {@code kill -l} does,
     * {@code SIGRTMIN}, {@code SIGRTMIN+1} .. {@code SIGRTMIN+15}, {@code SIGRTMAX-14} ..
     * {@code SIGRTMAX}. {@link #parse} reads every one back.
     *
     * @throws HamException EINVAL when {@code signum} is not in 1..64
     */
    public static String name(int signum) {
        if (signum >= 1 && signum < NAMES.length) {
            return "SIG" + NAMES[signum];
        }
        if (signum == SIGRTMIN) {
            return "SIGRTMIN";
        }
        if (signum == SIGRTMAX) {
            return "SIGRTMAX";
        }
        if (signum > SIGRTMIN && signum <= SIGRTMIN + 15) {
            return "SIGRTMIN+" + (signum - SIGRTMIN);
        }
        if (signum > SIGRTMIN + 15 && signum < SIGRTMAX) {
            return "SIGRTMAX-" + (SIGRTMAX - signum);
        }
        throw new HamException(Errno.EINVAL, "signal " + signum + " is not valid (1.." + SIGRTMAX + ")");
    }

    private static int inRange(int signum, String signal) {
        if (signum < 1 || signum > SIGRTMAX) {
            throw invalid(signal);
        }
        return signum;
    }

    private static HamException invalid(String signal) {
        return new HamException(Errno.EINVAL, "'" + signal + "' is not a signal (a number 1.." + SIGRTMAX
                + ", a name such as SIGUSR1, SIGRTMIN+n or SIGRTMAX-n)");
    }
}
