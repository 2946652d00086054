package org.jham.samples;

import static org.jham.HamConstants.CONDHBEATMISSEDHIGH;
import static org.jham.HamConstants.CONDHBEATMISSEDLOW;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import org.jham.Channel;
import org.jham.ConditionHandle;
import org.jham.EntityHandle;
import org.jham.Ham;
import org.jham.HamConnection;
import org.jham.HamException;
import org.jham.Pulse;

/**
 * The guide's "Process starvation" example ({@code mutexstarvation.c}) in Java: two threads share
 * one lock; thread 2 (the worker) heartbeats each time it gets the lock, and thread 1, a compute
 * thread started a few seconds later, takes the lock again the moment it lets it go, so the worker
 * starves. With {@code -l} the process attaches itself to the HAM, which sees the heartbeats stop.
 * The guide's threads log to {@code -f FILE} (default stderr): {@code Thread 1: Locking lock a},
 * {@code \tThread 2: Unlocking lock a}, ...
 *
 * <p>How it starves in Java. The guide gives thread 1 the highest and thread 2 the lowest
 * SCHED_RR priority: when thread 1 unlocks and at once locks again, the waiting thread 2 is made
 * ready but never runs in between, so it never gets the lock. Java's thread priorities are only
 * hints, and Linux ignores them without privileges, so they are set (as the guide's are) but do
 * not starve anyone. What does: an unfair {@link ReentrantLock} that thread 1 takes back right
 * after unlocking it, and a worker that, like a thread the scheduler passes over, never queues
 * for the lock: it takes it only when it finds it free ({@code tryLock}, looking again every
 * millisecond). Thread 1 leaves it free for an instant between two computations, so the worker
 * almost never finds it so. (A worker queued in {@code lock()} would be woken by each unlock, and
 * on a busy machine a woken thread often preempts its waker and wins: it would starve only
 * sometimes.) The worker, for its part, pauses a millisecond after each unlock, so thread 1
 * gets the lock whenever it wants it.
 *
 * <p>What this process sets up on itself ({@code mutex-starvation}):
 * <ul>
 * <li>CONDHBEATMISSEDLOW {@code heartbeat-missed-low}: a log action, the early warning;</li>
 * <li>CONDHBEATMISSEDHIGH {@code heartbeat-missed-high}: the recovery, then
 *     {@code heartbeat_healthy}. The recovery is a pulse ({@code backoff}) to a channel of this
 *     process: its main thread tells the compute thread to back off (it interrupts thread 1's
 *     compute section, which then lets the lock go and pauses for {@code -backoff} ms). Then
 *     heartbeat_healthy resets the heartbeat state to OK, so the HAM watches again: the worker
 *     beats again, and when the compute thread comes back and starves it anew, LOW and HIGH fire
 *     again. The guide's own HIGH action terminates the process instead.</li>
 * </ul>
 *
 * <p>Times: the guide beats every 100 ms with both marks at 5; the defaults keep its period and
 * low mark and put HIGH at 10, so the warning comes first. The guide's worker computes 50..949 ms
 * holding the lock, longer than its own low mark (500 ms), so it would miss heartbeats even
 * alone; this worker computes 10..99 ms. Thread 1 keeps the guide's 50..949 ms and starts after
 * the guide's 3 s ({@code -start}).
 *
 * <pre>
 * java -cp ... org.jham.samples.ProcessStarvation [-f LOGFILE] [-l] [-node HOST:PORT] [-name ENAME]
 *     [-period MS] [-low N] [-high N] [-start MS] [-backoff MS]
 * -l        attach to the HAM, heartbeat, and recover when told (the guide's -l)
 * -period   heartbeat period in ms (default 100, the guide's; at least 10, HAMHBEATMIN)
 * -low      missed heartbeats before CONDHBEATMISSEDLOW (default 5, the guide's)
 * -high     missed heartbeats before CONDHBEATMISSEDHIGH (default 10)
 * -start    ms before the compute thread starts (default 3000, the guide's)
 * -backoff  ms the compute thread pauses when told to back off (default 5000; 0 = for good)
 * </pre>
 */
public final class ProcessStarvation {
    static final String ENTITY = "mutex-starvation";
    /** The guide's COMPUTE_DELAY: thread 1 holds the lock 50..949 ms. */
    static final int COMPUTE_DELAY = 900;
    /** The worker holds the lock 10..99 ms (see the class comment). */
    static final int WORKER_DELAY = 90;
    /** The pulse code of the recovery (QNX's _PULSE_CODE_MINAVAIL is 0). */
    static final int PCODEBACKOFF = 1;

    private ProcessStarvation() {
    }

    /** The command line, parsed. */
    record Options(Path logFile, boolean liveness, String node, String name, int periodMs, int low, int high,
                   int startMs, int backoffMs) {
        static Options parse(String[] args) {
            Path logFile = null;
            boolean liveness = false;
            String node = null;
            String name = ENTITY;
            int period = 100;
            int low = 5;
            int high = 10;
            int start = 3000;
            int backoff = 5000;
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
                    case "-f" -> logFile = Path.of(v);
                    case "-node" -> node = v;
                    case "-name" -> name = v;
                    case "-period" -> period = HeartbeatDeadlock.number(a, v, 10);
                    case "-low" -> low = HeartbeatDeadlock.number(a, v, 0);
                    case "-high" -> high = HeartbeatDeadlock.number(a, v, 0);
                    case "-start" -> start = HeartbeatDeadlock.number(a, v, 0);
                    case "-backoff" -> backoff = HeartbeatDeadlock.number(a, v, 0);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (low > high) {
                throw new IllegalArgumentException("-low " + low + " is above -high " + high);
            }
            return new Options(logFile, liveness, node, name, period, low, high, start, backoff);
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ProcessStarvation: " + e.getMessage());
            System.err.println("usage: ProcessStarvation [-f LOGFILE] [-l] [-node HOST:PORT] [-name ENAME] [-period MS]"
                    + " [-low N] [-high N] [-start MS] [-backoff MS]");
            System.exit(2);
            return;
        }
        PrintStream log;
        try {
            log = HeartbeatDeadlock.openLog(o.logFile());
        } catch (IOException e) {
            System.err.println("ProcessStarvation: cannot open " + o.logFile() + ": " + e.getMessage());
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
        Channel channel = null;
        if (self != null) {
            try {
                channel = setUpRecovery(self, o, pid, log);
            } catch (HamException e) {
                System.err.println("ProcessStarvation: " + e.getMessage());
                System.exit(1);
            }
        }
        Shared shared = new Shared(log, channel != null, o.backoffMs());
        log.println("Creating separate competing compute thread");
        Thread worker = new Thread(shared::worker, "Thread 2");
        worker.setPriority(Thread.MIN_PRIORITY);
        worker.setDaemon(true);
        worker.start();
        Thread.sleep(o.startMs()); // let the other thread go on for a while...
        Thread compute = new Thread(shared::compute, "Thread 1");
        compute.setPriority(Thread.MAX_PRIORITY);
        compute.setDaemon(true);
        compute.start();
        if (channel == null) {
            compute.join(); // forever, as the guide's pthread_join
            return;
        }
        receive(channel, compute, log);
    }

    /** A channel for the recovery pulse, and the conditions of the class comment. */
    private static Channel setUpRecovery(EntityHandle e, Options o, long pid, PrintStream log) {
        HamConnection conn = Ham.connect(o.node());
        Channel channel = conn.channel();
        ConditionHandle low = e.condition(CONDHBEATMISSEDLOW, "heartbeat-missed-low", 0);
        low.actionLog("warn", "pid " + pid + " missed " + o.low() + " heartbeats of " + o.periodMs()
                + " ms: the worker starves", 1, 1, 0).free();
        ConditionHandle high = e.condition(CONDHBEATMISSEDHIGH, "heartbeat-missed-high", 0);
        high.actionNotifyPulse("backoff", o.node(), channel.pid(), channel.chid(), PCODEBACKOFF, 0, 0).free();
        high.actionHeartbeatHealthy("healthy", 0).free();
        log.println(o.name() + ": pid " + pid + " attached to the HAM, heartbeat every " + o.periodMs()
                + " ms; after " + o.low() + " missed: log; after " + o.high()
                + " missed: pulse backoff to channel " + channel.chid() + ", then heartbeat_healthy");
        low.free();
        high.free();
        e.free();
        return channel;
    }

    /** The guide's MsgReceivePulse loop: each backoff pulse interrupts the compute thread. */
    private static void receive(Channel channel, Thread compute, PrintStream log) throws InterruptedException {
        while (true) {
            Pulse p = channel.receive(Duration.ofSeconds(5));
            if (p != null && p.code() == PCODEBACKOFF) {
                log.println("Pulse from " + p.source() + ": Thread 2 starves, telling Thread 1 to back off");
                compute.interrupt();
            }
        }
    }

    /** The lock and the two threads (the guide's func1 and func2). */
    static final class Shared {
        /** Unfair: the thread that unlocks it may take it back at once (see the class comment). */
        private final ReentrantLock lockA = new ReentrantLock(false);
        private final PrintStream log;
        private final boolean heartbeat;
        private final int backoffMs;

        Shared(PrintStream log, boolean heartbeat, int backoffMs) {
            this.log = log;
            this.heartbeat = heartbeat;
            this.backoffMs = backoffMs;
        }

        /** Thread 1, "high priority": holds the lock almost always; backs off when interrupted. */
        void compute() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (true) {
                boolean told = false;
                lockA.lock();
                try {
                    log.println("Thread 1: Locking lock a");
                    Thread.sleep(random.nextInt(COMPUTE_DELAY) + 50); // delay for computation
                    log.println("Thread 1: Unlocking lock a");
                } catch (InterruptedException e) {
                    told = true;
                } finally {
                    lockA.unlock();
                }
                if (told) {
                    if (!backOff()) {
                        return;
                    }
                }
            }
        }

        /** Pauses for {@code backoffMs} (for good when 0); false when the thread is to end. */
        private boolean backOff() {
            log.println("Thread 1: Unlocking lock a, backing off "
                    + (backoffMs == 0 ? "for good" : "for " + backoffMs + " ms"));
            if (backoffMs == 0) {
                return false;
            }
            try {
                Thread.sleep(backoffMs);
            } catch (InterruptedException e) {
                // Told again while backing off: it is backing off already.
            }
            log.println("Thread 1: back, competing for lock a again");
            return true;
        }

        /** Thread 2, "low priority": heartbeats each time it gets the lock. */
        void worker() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            try {
                while (true) {
                    while (!lockA.tryLock()) {
                        Thread.sleep(1); // never queued: see the class comment
                    }
                    try {
                        log.println("\tThread 2: Locking lock a");
                        if (heartbeat) {
                            Ham.heartbeat();
                        }
                        Thread.sleep(random.nextInt(WORKER_DELAY) + 10); // delay for computation
                        log.println("\tThread 2: Unlocking lock a");
                    } finally {
                        lockA.unlock();
                    }
                    // Outside the lock a moment: the moment thread 1 wants it, it gets it.
                    Thread.sleep(1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
