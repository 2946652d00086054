package org.jham.samples;

import static org.jham.HamConstants.CONDDEATH;
import static org.jham.HamConstants.CONDHBEATMISSEDHIGH;
import static org.jham.HamConstants.CONDHBEATMISSEDLOW;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import org.jham.ConditionHandle;
import org.jham.EntityHandle;
import org.jham.Ham;
import org.jham.HamException;

/**
 * The guide's "Heartbeating clients (liveness detection)" example ({@code mutexdeadlock.c}) in
 * Java: two threads take two locks in opposite orders (a design flaw), so sooner or later each
 * holds the lock the other wants and both stop for good. With {@code -l} the process attaches
 * itself to the HAM and each thread sends a heartbeat every round, inside its two locks (the
 * guide's "The process is made to heartbeat"): once they deadlock the heartbeats stop, and the HAM
 * notices and recovers. The guide's threads log to {@code -f FILE} (default stderr):
 * <pre>
 * Thread 1: Obtained lock a
 * Thread 1: Waiting for lock b
 *         Thread 2: Obtained lock b
 *         Thread 2: Waiting for lock a
 * </pre>
 *
 * <p>What this process sets up on itself ({@code mutex-deadlock}, period and marks by option):
 * <ul>
 * <li>CONDHBEATMISSEDLOW {@code heartbeat-missed-low}: a log action, the early warning;</li>
 * <li>CONDHBEATMISSEDHIGH {@code heartbeat-missed-high}: execute {@code terminate}, the guide's
 *     {@code mutex-deadlock-heartbeat.sh} ("terminates the process, after saving its state for
 *     postmortem analysis") as a {@code /bin/sh} one-liner: {@code jcmd PID Thread.print} (the
 *     JVM's core file: it names the deadlocked threads and their locks), then {@code kill -9 PID}.
 *     Its output lands in the HAM's {@code <state-dir>/output/<entity>.exec.log};</li>
 * <li>CONDDEATH {@code death}: restart with this very command line, so the service comes back.
 *     The HAM starts the new instance, which attaches itself again under the same name and sets up
 *     these conditions anew (none is HREARMAFTERRESTART: the restart prunes them, because the
 *     terminate line names the old pid).</li>
 * </ul>
 * Stopped on purpose ({@code kill PID}, Ctrl-C), it detaches itself (ham_detach_self) in a
 * shutdown hook, so the HAM lets it go instead of restarting it.
 *
 * <p>The guide beats every 100 ms with both marks at 5, so LOW and HIGH fire together; the
 * defaults here keep its period and low mark and put HIGH at 10, so the warning comes half a
 * second before the kill. While they run, the two threads beat about every 60 ms between them.
 * The log file is appended to, not truncated as the guide's is, so the killed instance's tail
 * (the postmortem) survives its restart; each instance starts with a line naming its pid.
 *
 * <p>The deadlock comes by chance, usually within seconds: each thread computes 0..2 ms between its
 * two locks (the guide's "compute section1") and writes two log lines, and the other may take its
 * own first lock meanwhile. {@code -rounds N} fixes the moment: before its N-th round a thread
 * takes its two locks under a third one (the textbook cure, so no deadlock yet); from its N-th
 * round on it takes them as the guide does, and, holding its first lock, waits until the other
 * holds its own: the deadlock is then certain.
 *
 * <pre>
 * java -cp ... org.jham.samples.HeartbeatDeadlock [-f LOGFILE] [-l] [-node HOST:PORT] [-name ENAME]
 *     [-period MS] [-low N] [-high N] [-rounds N]
 * -l        attach to the HAM and heartbeat (the guide's -l); without it the threads just deadlock
 * -period   heartbeat period in ms (default 100, the guide's; at least 10, HAMHBEATMIN)
 * -low      missed heartbeats before CONDHBEATMISSEDLOW (default 5, the guide's)
 * -high     missed heartbeats before CONDHBEATMISSEDHIGH (default 10)
 * -rounds   no deadlock before this round, a certain one at it (default 0: by chance)
 * </pre>
 */
public final class HeartbeatDeadlock {
    static final String ENTITY = "mutex-deadlock";
    /** The guide's COMPUTE_DELAY: the compute section holding both locks, 5..104 ms. */
    static final int COMPUTE_DELAY = 100;
    /** The compute section between the two locks ("compute section1"), 0..2 ms: the deadlock's chance. */
    static final int SECTION1_DELAY = 3;

    private HeartbeatDeadlock() {
    }

    /** The command line, parsed. */
    record Options(Path logFile, boolean liveness, String node, String name, int periodMs, int low, int high,
                   int rounds) {
        static Options parse(String[] args) {
            Path logFile = null;
            boolean liveness = false;
            String node = null;
            String name = ENTITY;
            int period = 100;
            int low = 5;
            int high = 10;
            int rounds = 0;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("-l")) {
                    liveness = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + (a.startsWith("-") ? " needs a value" : ": unexpected"));
                }
                String v = args[++i];
                switch (a) {
                    case "-f" -> logFile = Path.of(v).toAbsolutePath();
                    case "-node" -> node = v;
                    case "-name" -> name = v;
                    case "-period" -> period = number(a, v, 10);
                    case "-low" -> low = number(a, v, 0);
                    case "-high" -> high = number(a, v, 0);
                    case "-rounds" -> rounds = number(a, v, 0);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (low > high) {
                throw new IllegalArgumentException("-low " + low + " is above -high " + high);
            }
            return new Options(logFile, liveness, node, name, period, low, high, rounds);
        }

        /** The same options for the restarted instance (the log file made absolute: the HAM's cwd is not ours). */
        List<String> args() {
            List<String> out = new ArrayList<>();
            if (logFile != null) {
                out.addAll(List.of("-f", logFile.toString()));
            }
            if (liveness) {
                out.add("-l");
            }
            if (node != null) {
                out.addAll(List.of("-node", node));
            }
            out.addAll(List.of("-name", name, "-period", Integer.toString(periodMs), "-low", Integer.toString(low),
                    "-high", Integer.toString(high), "-rounds", Integer.toString(rounds)));
            return out;
        }
    }

    static int number(String option, String value, int min) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, got '" + value + "'");
        }
        if (n < min) {
            throw new IllegalArgumentException(option + " must be at least " + min + ", got " + n);
        }
        return n;
    }

    public static void main(String[] args) throws InterruptedException {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("HeartbeatDeadlock: " + e.getMessage());
            System.err.println("usage: HeartbeatDeadlock [-f LOGFILE] [-l] [-node HOST:PORT] [-name ENAME] [-period MS]"
                    + " [-low N] [-high N] [-rounds N]");
            System.exit(2);
            return;
        }
        PrintStream log;
        try {
            log = openLog(o.logFile());
        } catch (IOException e) {
            System.err.println("HeartbeatDeadlock: cannot open " + o.logFile() + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        long pid = ProcessHandle.current().pid();
        log.println(o.name() + ": pid " + pid + " starting");
        EntityHandle self = null;
        if (o.liveness()) {
            try {
                self = Ham.attachSelf(o.name(), o.node(), o.periodMs() * 1_000_000L, o.low(), o.high(), 0);
            } catch (HamException e) {
                // The guide heartbeats only when a HAM runs (access("/proc/ham")); so do we, but say why not.
                log.println(o.name() + ": not heartbeating: " + e.getMessage());
            }
        }
        if (self != null) {
            try {
                setUpRecovery(self, o, pid, log);
            } catch (HamException e) {
                System.err.println("HeartbeatDeadlock: " + e.getMessage());
                System.exit(1);
            }
        }
        log.println("Creating separate competing compute thread");
        Pair pair = new Pair(o.rounds(), self != null, log);
        Thread t1 = new Thread(() -> pair.run(0), "Thread 1");
        Thread t2 = new Thread(() -> pair.run(1), "Thread 2");
        t1.start();
        t2.start();
        t1.join();
        t2.join();
    }

    /** Appends to {@code file}, unbuffered (the guide's setbuf(logfile, NULL)); stderr when null. */
    static PrintStream openLog(Path file) throws IOException {
        if (file == null) {
            return System.err;
        }
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        return new PrintStream(new FileOutputStream(file.toFile(), true), true, StandardCharsets.UTF_8);
    }

    /** The conditions of the class comment, on the entity this process attached itself as. */
    private static void setUpRecovery(EntityHandle e, Options o, long pid, PrintStream log) {
        // Death first: from here on a kill is always recovered.
        String restart = commandLine(o.args());
        ConditionHandle death = e.condition(CONDDEATH, "death", 0);
        death.actionRestart("restart", restart, 0).free();
        ConditionHandle low = e.condition(CONDHBEATMISSEDLOW, "heartbeat-missed-low", 0);
        low.actionLog("warn", "pid " + pid + " missed " + o.low() + " heartbeats of " + o.periodMs()
                + " ms: stuck?", 1, 1, 0).free();
        ConditionHandle high = e.condition(CONDHBEATMISSEDHIGH, "heartbeat-missed-high", 0);
        String terminate = terminateLine(pid);
        high.actionExecute("terminate", terminate, 0).free();
        log.println(o.name() + ": pid " + pid + " attached to the HAM, heartbeat every " + o.periodMs()
                + " ms; after " + o.low() + " missed: log; after " + o.high() + " missed: " + terminate
                + "; on death: restart");
        // Stopped on purpose (kill, Ctrl-C): detach, so the HAM does not restart it. The HIGH
        // action's kill -9 runs no hook: that death is restarted.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Ham.detachSelf(e, 0);
                log.println(o.name() + ": pid " + pid + " stopped, detached itself");
            } catch (HamException ex) {
                log.println(o.name() + ": pid " + pid + " stopped, could not detach: " + ex.getMessage());
            }
        }, "detach-on-exit"));
        death.free();
        low.free();
        high.free();
    }

    /**
     * The guide's mutex-deadlock-heartbeat.sh: a thread dump (where a C program saves a core),
     * then the kill. Without {@code jcmd} (a JRE), the kill alone.
     */
    static String terminateLine(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        String kill = "/bin/kill -9 " + pid;
        if (!Files.isExecutable(jcmd) || !jcmd.toString().matches("[^\\s'\"\\\\]+")) {
            return kill;
        }
        return "/bin/sh -c '" + jcmd + " " + pid + " Thread.print -l; " + kill + "'";
    }

    /**
     * This JVM's own command line with {@code args}, for the HAM to restart it with: absolute
     * paths throughout (the HAM's working directory is not ours), quoted by the HAM's rules.
     */
    static String commandLine(List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        List<String> cp = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            cp.add(Path.of(entry).toAbsolutePath().toString());
        }
        argv.addAll(List.of("-cp", String.join(File.pathSeparator, cp), HeartbeatDeadlock.class.getName()));
        argv.addAll(args);
        List<String> quoted = new ArrayList<>();
        for (String a : argv) {
            quoted.add(quote(a));
        }
        return String.join(" ", quoted);
    }

    /** One argument for the HAM's command-line parser: single quotes when needed, {@code "'"} for a quote. */
    static String quote(String arg) {
        if (!arg.isEmpty() && arg.chars().noneMatch(c -> Character.isWhitespace(c) || c == '\'' || c == '"')) {
            return arg;
        }
        return "'" + arg.replace("'", "'\"'\"'") + "'";
    }

    /**
     * The two threads and their two locks. Thread 1 takes a then b, thread 2 b then a; otherwise
     * they are the same code (the guide's func1 and func2).
     */
    static final class Pair {
        private final ReentrantLock[] locks = {new ReentrantLock(), new ReentrantLock()};
        private final String[] lockNames = {"a", "b"};
        /** Whether each thread holds its first lock (for -rounds). */
        private final boolean[] holdsFirst = new boolean[2];
        /** -rounds: taken around the two others until round N, which rules the deadlock out. */
        private final ReentrantLock gate = new ReentrantLock();
        private final int forceFrom;
        private final boolean heartbeat;
        private final PrintStream log;

        Pair(int forceFrom, boolean heartbeat, PrintStream log) {
            this.forceFrom = forceFrom;
            this.heartbeat = heartbeat;
            this.log = log;
        }

        void run(int me) {
            // The guide's delays: 85 ms for thread 1 "to let the other one go", 25 ms for thread 2.
            int pause = me == 0 ? 85 : 25;
            ReentrantLock first = locks[me];
            ReentrantLock second = locks[1 - me];
            // Built once: the first string concatenation of a JVM is slow enough to widen the window.
            String who = me == 0 ? "Thread 1: " : "\tThread 2: ";
            String obtainedFirst = who + "Obtained lock " + lockNames[me];
            String waitingSecond = who + "Waiting for lock " + lockNames[1 - me];
            String obtainedSecond = who + "Obtained lock " + lockNames[1 - me];
            String computing = who + "Performing computation";
            String unlockingSecond = who + "Unlocking lock " + lockNames[1 - me];
            String unlockingFirst = who + "Unlocking lock " + lockNames[me];
            ThreadLocalRandom random = ThreadLocalRandom.current();
            try {
                for (int round = 1; ; round++) {
                    Thread.sleep(pause);
                    boolean gated = forceFrom > 0 && round < forceFrom;
                    if (gated) {
                        gate.lock();
                    }
                    first.lock();
                    try {
                        synchronized (holdsFirst) {
                            holdsFirst[me] = true;
                            holdsFirst.notifyAll();
                        }
                        log.println(obtainedFirst);
                        Thread.sleep(random.nextInt(SECTION1_DELAY));
                        if (forceFrom > 0 && round >= forceFrom) {
                            meetTheOther(me);
                        }
                        log.println(waitingSecond);
                        second.lock();
                        if (gated) {
                            gate.unlock();
                        }
                        try {
                            log.println(obtainedSecond);
                            if (heartbeat) {
                                Ham.heartbeat();
                            }
                            log.println(computing);
                            Thread.sleep(random.nextInt(COMPUTE_DELAY) + 5);
                            log.println(unlockingSecond);
                        } finally {
                            second.unlock();
                        }
                        log.println(unlockingFirst);
                    } finally {
                        synchronized (holdsFirst) {
                            holdsFirst[me] = false;
                        }
                        first.unlock();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** -rounds: holding my first lock, wait until the other holds its own; the deadlock is then certain. */
        private void meetTheOther(int me) throws InterruptedException {
            synchronized (holdsFirst) {
                while (!holdsFirst[1 - me]) {
                    holdsFirst.wait();
                }
            }
        }
    }
}
