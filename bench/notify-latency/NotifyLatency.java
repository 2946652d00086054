/*
 * NotifyLatency.java - the jHAM side of the notify-latency benchmark (Java 17 single-file source
 * launch; run by run.sh, which starts the HAM and passes its URL and pid).
 *
 *   java -cp <ham-mbeans jar>:<opendmk jmxremote_optional jar> NotifyLatency.java \
 *        --url service:jmx:jmxmp://127.0.0.1:PORT --ham-pid PID [--n 100] [--warmup 5] \
 *        [--gap-ms 600] [--stuck-ms 5000] [--per-slow 4] [--timeout-ms 10000] \
 *        [--csv-dir DIR] [--pid-dir DIR] [--clk-tck 100] [--stop-ham]
 *
 * Through the public client library only (org.jham.Ham, HamConnection.channel(), handles), it
 * has the HAM start "svc" (/bin/sleep) with a restart on death, a NOWAIT death condition that
 * pulses this process's channel and an INDEPENDENT CONDRESTART condition that pulses it too, then
 * kills svc with SIGKILL and times, from System.nanoTime() just before the kill, the arrival of
 * each pulse in Channel.receive. Phase 2, interleaved with phase 1 in cycles, does the same while
 * entity "slow"'s OTHER-lane death list sits in a 5 s waitfor, and checks from the arrival of
 * slow's own pulse that it did.
 */

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jham.Channel;
import org.jham.ConditionHandle;
import org.jham.EntityHandle;
import org.jham.Ham;
import org.jham.HamConnection;
import org.jham.HamConstants;
import org.jham.HamException;
import org.jham.Pulse;
import org.jham.mbean.ActionMXBean;
import org.jham.mbean.ConditionMXBean;
import org.jham.mbean.EntityMXBean;
import org.jham.mbean.ObjectNames;

public final class NotifyLatency {
    static final String SVC = "svc";
    static final String SLOW = "slow";
    static final String LINE = "/bin/sleep 100000";
    static final int CODE_DEATH = 1;
    static final int CODE_RESTART = 2;
    static final int CODE_SLOW = 3;
    static final int RA = HamConstants.HREARMAFTERRESTART;
    /** The HAM's default restart intensity is 20 restarts within 10 s: kills closer than this would hit it. */
    static final long MIN_GAP_MS = 550;
    /** A kill's cycle with other processes at this share of all CPUs or more counts as disturbed. */
    static final double BUSY = 10.0;

    // options
    String url;
    long hamPid = -1;
    int n = 100;
    int warmup = 5;
    long gapNs = 600_000_000L;
    int stuckMs = 5000;
    int perSlow = 4;
    long timeoutNs = 10_000_000_000L;
    long clkTck = 100;
    Path csvDir;
    Path pidDir;
    boolean stopHam;

    // state
    final List<String> problems = new ArrayList<>();
    HamConnection conn;
    Channel channel;
    EntityHandle svc;
    EntityHandle slow;
    long svcPid = -1;
    long slowPid = -1;
    /** When the next kill of svc may happen: kills are paced (restart intensity, settled HAM). */
    long nextKillAt;
    int svcKills;
    int slowKills;

    /** One measured kill of svc: t0 and the arrival of each pulse, in System.nanoTime(). */
    /**
     * {@code t0Ms}, {@code deathSentMs}, {@code restartSentMs}: System.currentTimeMillis() before the
     * kill and each pulse's {@code time} (the HAM's currentTimeMillis when it emitted it), for a
     * 1 ms-resolution split of the latency into "in the HAM" and "JMXMP delivery". {@code others}:
     * the share of all CPUs used by other processes over the cycle ending with this window.
     */
    record Sample(long t0, long death, long restart, long t0Ms, long deathSentMs, long restartSentMs, double others) {
        long deathNs() {
            return death - t0;
        }

        long restartNs() {
            return restart - t0;
        }

        long end() {
            return Math.max(death, restart);
        }
    }

    public static void main(String[] args) throws Exception {
        NotifyLatency b = new NotifyLatency();
        try {
            b.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("NotifyLatency: " + e.getMessage());
            System.err.println("usage: NotifyLatency.java --url URL --ham-pid PID [--n N] [--warmup W] [--gap-ms MS]"
                    + " [--stuck-ms MS] [--per-slow K] [--timeout-ms MS] [--csv-dir DIR] [--pid-dir DIR]"
                    + " [--clk-tck T] [--stop-ham]");
            System.exit(2);
        }
        System.exit(b.run());
    }

    void parse(String[] a) {
        for (int i = 0; i < a.length; i++) {
            String k = a[i];
            if (k.equals("--stop-ham")) {
                stopHam = true;
                continue;
            }
            if (i + 1 >= a.length) {
                throw new IllegalArgumentException("missing value for " + k);
            }
            String v = a[++i];
            switch (k) {
                case "--url" -> url = v;
                case "--ham-pid" -> hamPid = Long.parseLong(v);
                case "--n" -> n = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--gap-ms" -> gapNs = Long.parseLong(v) * 1_000_000L;
                case "--stuck-ms" -> stuckMs = Integer.parseInt(v);
                case "--per-slow" -> perSlow = Integer.parseInt(v);
                case "--timeout-ms" -> timeoutNs = Long.parseLong(v) * 1_000_000L;
                case "--clk-tck" -> clkTck = Long.parseLong(v);
                case "--csv-dir" -> csvDir = Path.of(v);
                case "--pid-dir" -> pidDir = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + k);
            }
        }
        if (url == null || hamPid <= 0) {
            throw new IllegalArgumentException("--url and --ham-pid are required");
        }
        if (n < 1 || warmup < 0 || perSlow < 1 || clkTck <= 0) {
            throw new IllegalArgumentException("need N >= 1, warm-up >= 0, per-slow >= 1");
        }
        if (gapNs < MIN_GAP_MS * 1_000_000L) {
            throw new IllegalArgumentException("--gap-ms must be >= " + MIN_GAP_MS
                    + " (the HAM's default restart intensity is 20 restarts within 10 s)");
        }
        // a block: settle, perSlow kills gapNs apart, each window well inside the waitfor
        if (stuckMs < 1000 || 200 + (perSlow - 1) * gapNs / 1_000_000L + 1000 > stuckMs) {
            throw new IllegalArgumentException("--stuck-ms must leave room for --per-slow kills --gap-ms apart"
                    + " (200 + (K-1)*gap + 1000 <= stuck-ms)");
        }
    }

    int run() throws Exception {
        int rc;
        try {
            conn = Ham.connect(url);
            rc = measure();
        } finally {
            tidyUp();
        }
        return rc;
    }

    int measure() throws Exception {
        long reported = conn.ham().getHamPid();
        if (reported != hamPid) {
            problem("HamMXBean.getHamPid() = " + reported + " but the HAM printed pid=" + hamPid);
        }
        channel = conn.channel();
        long me = channel.pid();
        int chid = channel.chid();

        // svc: restart on death (OTHER lane, heads its list: the spawner restarts at once),
        // a NOWAIT death pulse and an INDEPENDENT restart pulse
        svc = Ham.attach(SVC, url, HamConstants.PID_START, LINE, 0);
        svc.condition(HamConstants.CONDDEATH, "death", RA).actionRestart("restart", LINE, RA);
        svc.condition(HamConstants.CONDDEATH, "tell", HamConstants.HCONDNOWAIT | RA)
                .actionNotifyPulse("pulse", null, me, chid, CODE_DEATH, 0, RA);
        svc.condition(HamConstants.CONDRESTART, "restarted", HamConstants.HCONDINDEPENDENT | RA)
                .actionNotifyPulse("pulse", null, me, chid, CODE_RESTART, 0, RA);
        svcPid = awaitPid(svc, -1, "svc's first start");

        // slow: restart on death, and an OTHER death condition that waits stuckMs, then pulses
        slow = Ham.attach(SLOW, url, HamConstants.PID_START, LINE, 0);
        slow.condition(HamConstants.CONDDEATH, "death", RA).actionRestart("restart", LINE, RA);
        ConditionHandle stuck = slow.condition(HamConstants.CONDDEATH, "stuck", RA);
        stuck.actionWaitfor("wait", null, stuckMs, RA);
        stuck.actionNotifyPulse("pulse", null, me, chid, CODE_SLOW, 0, RA);
        slowPid = awaitPid(slow, -1, "slow's first start");

        System.out.printf(Locale.ROOT, "HAM: pid %d, %s%n", hamPid, describeHamJvm());
        System.out.printf(Locale.ROOT, "channel: pid %d chid %d; entities '%s' (pid %d) and '%s' (pid %d) started by the"
                + " HAM as '%s'; their parent: %s%n", me, chid, SVC, svcPid, SLOW, slowPid, LINE, parentOf(svcPid));
        System.out.printf(Locale.ROOT, "svc: death (CONDDEATH, OTHER lane) -> restart; tell (CONDDEATH, HCONDNOWAIT) ->"
                + " pulse code %d; restarted (CONDRESTART, HCONDINDEPENDENT) -> pulse code %d%n", CODE_DEATH, CODE_RESTART);
        System.out.printf(Locale.ROOT, "slow: death -> restart; stuck (CONDDEATH, no lane flag = OTHER lane) -> waitfor"
                + " %d ms, pulse code %d%n", stuckMs, CODE_SLOW);
        System.out.printf(Locale.ROOT, "kills of svc at least %d ms apart; warm-up %d unmeasured kills, then N=%d per phase,"
                + " the phases interleaved in cycles of up to %d kills each%n",
                gapNs / 1_000_000, warmup, n, perSlow);
        System.out.flush();

        // ---- warm-up: svc's kills, and the OTHER lane's waitfor timed alone once
        for (int i = 0; i < warmup; i++) {
            killSvc(null);
        }
        long ts = killSlow();
        long tp = awaitSlowPulse(ts);
        System.out.printf(Locale.ROOT, "slow alone: kill -> its OTHER-lane pulse after the %d ms waitfor: %.3f ms%n",
                stuckMs, ms(tp - ts));

        // ---- the two phases, interleaved in cycles so that drift (JIT, other load) hits both alike:
        // phase 2: kill slow, then up to perSlow kills of svc while its list sits in the waitfor;
        // phase 1: once slow's pulse is in (the OTHER lane is idle again), up to perSlow kills more
        Sample[] p1 = new Sample[n];
        Sample[] p2 = new Sample[n];
        int[] block = new int[n];
        long[] sinceSlowKill = new long[n];
        long[] slowPulseAfterEnd = new long[n];
        int unverified = 0;
        int m1 = 0;
        int m2 = 0;
        int blocks = 0;
        long[] cpu0 = cpuSample();
        Map<String, Long> th0 = threadNs(hamPid);
        othersSince();
        while (m1 < n || m2 < n) {
            if (m2 < n) {
                blocks++;
                ts = killSlow();
                // let the HAM see slow's death and enter the waitfor; every window well inside it
                nextKillAt = Math.max(nextKillAt, ts + 200_000_000L);
                long lastStart = ts + (stuckMs - 1000) * 1_000_000L;
                int first = m2;
                List<Long> early = new ArrayList<>();
                for (int k = 0; k < perSlow && m2 < n && Math.max(nextKillAt, System.nanoTime()) <= lastStart; k++) {
                    p2[m2] = killSvc(early);
                    block[m2] = blocks;
                    sinceSlowKill[m2] = p2[m2].t0() - ts;
                    m2++;
                }
                if (m2 == first) {
                    throw new IllegalStateException("phase 2: no room for a kill inside slow's waitfor (machine too slow?)");
                }
                tp = early.isEmpty() ? awaitSlowPulse(ts) : early.get(0);
                if (early.size() > 1) {
                    problem("phase 2 block " + blocks + ": " + early.size() + " slow pulses for one kill of slow");
                }
                for (int i = first; i < m2; i++) {
                    slowPulseAfterEnd[i] = tp - p2[i].end();
                    // The waitfor lasts >= stuckMs, so it began no later than tp - stuckMs: the lane
                    // was busy from then until tp. The window [t0, end] must lie inside.
                    boolean busy = tp - stuckMs * 1_000_000L <= p2[i].t0() && tp > p2[i].end();
                    if (!busy) {
                        unverified++;
                        problem(String.format(Locale.ROOT, "phase 2 kill %d: the OTHER lane was not provably inside"
                                + " its waitfor (slow killed %.1f ms before t0, its pulse %.1f ms after the window's end)",
                                i + 1, ms(sinceSlowKill[i]), ms(slowPulseAfterEnd[i])));
                    }
                }
            }
            // slow's list is done and nothing else is queued: every lane is idle
            for (int k = 0; k < perSlow && m1 < n; k++) {
                p1[m1++] = killSvc(null);
            }
        }
        long[] cpu1 = cpuSample();
        Map<String, Long> th1 = threadNs(hamPid);
        System.out.println();
        System.out.println("phase 1 (lanes idle): " + figures(p1));
        System.out.println();
        System.out.println("phase 2 (OTHER lane in a " + stuckMs + " ms waitfor): " + figures(p2));
        long[] gapAfter = slowPulseAfterEnd.clone();
        Arrays.sort(gapAfter);
        long[] since = sinceSlowKill.clone();
        Arrays.sort(since);
        System.out.printf(Locale.ROOT, "  OTHER lane busy check: %d kills of slow (one per up to %d kills of svc);"
                + " t0 came %.0f..%.0f ms after slow's kill; slow's pulse came %.0f..%.0f ms after the window's end;"
                + " windows not provably inside the waitfor: %d of %d%n",
                blocks, perSlow, ms(since[0]), ms(since[n - 1]), ms(gapAfter[0]), ms(gapAfter[n - 1]), unverified, n);
        System.out.println();
        System.out.println("both phases (" + 2 * n + " kills of svc, " + blocks + " of slow): " + load(cpu0, cpu1, 2 * n));
        System.out.println("  HAM CPU per kill of svc by thread (ms): " + byThread(th0, th1, 2 * n));

        // the HAM with nothing to do: both entities alive, the channel open, no calls
        Map<String, Long> ta = threadNs(hamPid);
        long w0 = System.nanoTime();
        Thread.sleep(3000);
        Map<String, Long> tb = threadNs(hamPid);
        double secs = (System.nanoTime() - w0) / 1e9;
        long idleNs = 0;
        for (Map.Entry<String, Long> e : tb.entrySet()) {
            idleNs += e.getValue() - ta.getOrDefault(e.getKey(), 0L);
        }
        System.out.printf(Locale.ROOT, "%nHAM idle CPU over %.0f s (no kills, no calls): %.2f ms/s; by thread (ms/s): %s%n",
                secs, idleNs / 1e6 / secs, byThread(ta, tb, secs));

        summary(p1, p2);
        checks();
        writeCsv(p1, p2, block, sinceSlowKill, slowPulseAfterEnd);

        if (problems.isEmpty()) {
            System.out.println("problems seen: none");
            return 0;
        }
        System.out.println("problems seen (" + problems.size() + "):");
        for (String p : problems) {
            System.out.println("  - " + p);
        }
        return 3;
    }

    /**
     * One kill of svc: waits for its pacing slot, takes t0, SIGKILLs the current pid, receives
     * both pulses (timing each on arrival), then waits for the HAM's new pid. Slow's pulses that
     * arrive meanwhile go to {@code slowPulses} (phase 2), or are a problem (phase 1).
     */
    Sample killSvc(List<Long> slowPulses) throws Exception {
        ProcessHandle h = ProcessHandle.of(svcPid).orElseThrow(
                () -> new IllegalStateException("svc pid " + svcPid + " died before it was killed"));
        sleepUntil(nextKillAt);
        for (Pulse p; (p = channel.poll()) != null; ) {
            stray(p, System.nanoTime(), slowPulses, "before a kill of svc");
        }
        long t0Ms = System.currentTimeMillis();
        long t0 = System.nanoTime();
        h.destroyForcibly();
        nextKillAt = t0 + gapNs;
        svcKills++;
        long death = -1;
        long restart = -1;
        long deathSent = 0;
        long restartSent = 0;
        long deadline = t0 + timeoutNs;
        while (death < 0 || restart < 0) {
            long left = deadline - System.nanoTime();
            Pulse p = left > 0 ? channel.receive(Duration.ofNanos(left)) : null;
            long t = System.nanoTime();
            if (p == null) {
                throw new IllegalStateException("kill " + svcKills + " of svc (pid " + svcPid + "): "
                        + (death < 0 ? "no death pulse" : "no restart pulse") + " within " + timeoutNs / 1_000_000 + " ms");
            }
            if (p.code() == CODE_DEATH && death < 0) {
                death = t;
                deathSent = p.time().toEpochMilli();
                checkSource(p, SVC + "/tell/pulse");
            } else if (p.code() == CODE_RESTART && restart < 0) {
                restart = t;
                restartSent = p.time().toEpochMilli();
                checkSource(p, SVC + "/restarted/pulse");
            } else {
                stray(p, t, slowPulses, "during a kill of svc");
            }
        }
        svcPid = awaitPid(svc, svcPid, "kill " + svcKills + " of svc");
        double others = othersSince();
        return new Sample(t0, death, restart, t0Ms, deathSent, restartSent, others);
    }

    /** Kills slow (its OTHER-lane list starts the waitfor) and waits for its new pid; returns t of the kill. */
    long killSlow() throws Exception {
        ProcessHandle h = ProcessHandle.of(slowPid).orElseThrow(
                () -> new IllegalStateException("slow pid " + slowPid + " died before it was killed"));
        long ts = System.nanoTime();
        h.destroyForcibly();
        slowKills++;
        slowPid = awaitPid(slow, slowPid, "kill " + slowKills + " of slow");
        return ts;
    }

    /** Waits for slow's pulse; returns its arrival. */
    long awaitSlowPulse(long ts) throws Exception {
        long deadline = ts + stuckMs * 1_000_000L + timeoutNs;
        while (true) {
            long left = deadline - System.nanoTime();
            Pulse p = left > 0 ? channel.receive(Duration.ofNanos(left)) : null;
            long t = System.nanoTime();
            if (p == null) {
                throw new IllegalStateException("no pulse from slow's waitfor list within " + (stuckMs + timeoutNs / 1_000_000)
                        + " ms of killing it");
            }
            if (p.code() == CODE_SLOW) {
                checkSource(p, SLOW + "/stuck/pulse");
                if (t - ts < stuckMs * 1_000_000L) {
                    problem(String.format(Locale.ROOT, "slow's pulse came %.3f ms after its kill, before its %d ms waitfor"
                            + " could end", ms(t - ts), stuckMs));
                }
                return t;
            }
            problem("unexpected pulse while waiting for slow's: " + p);
        }
    }

    void stray(Pulse p, long t, List<Long> slowPulses, String when) {
        if (p.code() == CODE_SLOW && slowPulses != null) {
            checkSource(p, SLOW + "/stuck/pulse");
            slowPulses.add(t);
            return;
        }
        problem("unexpected pulse " + when + ": " + p);
    }

    void checkSource(Pulse p, String expected) {
        if (!expected.equals(p.source())) {
            problem("pulse code " + p.code() + " came from '" + p.source() + "', expected '" + expected + "'");
        }
    }

    /** Polls the entity's pid until it differs from {@code old} and names a live process; records it. */
    long awaitPid(EntityHandle e, long old, String when) throws Exception {
        long deadline = System.nanoTime() + timeoutNs;
        while (true) {
            long pid = e.pid();
            if (pid > 0 && pid != old) {
                Optional<ProcessHandle> h = ProcessHandle.of(pid);
                if (h.isPresent()) {
                    recordPid(pid);
                    return pid;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(when + ": the HAM named no new live pid within "
                        + timeoutNs / 1_000_000 + " ms (entity pid " + pid + ", was " + old + ")");
            }
            Thread.sleep(1);
        }
    }

    /** Leaves "<pid>" holding the process's start time for run.sh's clean-up (pid reuse guard). */
    void recordPid(long pid) throws IOException {
        if (pidDir == null) {
            return;
        }
        String start = startTime(pid);
        if (start != null) {
            Files.writeString(pidDir.resolve(Long.toString(pid)), start + "\n", StandardCharsets.US_ASCII);
        }
    }

    /** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot), or null if gone. */
    static String startTime(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
            return s.substring(s.lastIndexOf(')') + 2).split(" ")[19];
        } catch (IOException e) {
            return null;
        }
    }

    String parentOf(long pid) {
        Optional<ProcessHandle> parent = ProcessHandle.of(pid).flatMap(ProcessHandle::parent);
        long ppid = parent.map(ProcessHandle::pid).orElse(-1L);
        String cmd = parent.flatMap(p -> p.info().command()).orElse("?");
        long grand = parent.flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L);
        if (ppid == hamPid) {
            return "the HAM JVM itself (JDK spawn)";
        }
        if (grand == hamPid && cmd.endsWith("ham-spawner")) {
            return "the HAM's native ham-spawner (pid " + ppid + ")";
        }
        problem("svc's pid " + pid + " has parent " + ppid + " (" + cmd + "), neither the HAM nor its spawner");
        return "pid " + ppid + " " + cmd;
    }

    // ------------------------------------------------------------------ figures

    String figures(Sample[] s) {
        long[] d = Arrays.stream(s).mapToLong(Sample::deathNs).sorted().toArray();
        long[] r = Arrays.stream(s).mapToLong(Sample::restartNs).sorted().toArray();
        long restartFirst = Arrays.stream(s).filter(x -> x.restart < x.death).count();
        long busy = Arrays.stream(s).filter(x -> !(x.others() < BUSY)).count();
        Sample[] q = quiet(s);
        String quietLine = q.length == 0 ? "none" : String.format(Locale.ROOT, "death p50 %.3f p99 %.3f max %.3f;"
                + " restart p50 %.3f p99 %.3f max %.3f (N=%d)",
                ms(pct(sortedDeath(q), 50)), ms(pct(sortedDeath(q), 99)), ms(max(sortedDeath(q))),
                ms(pct(sortedRestart(q), 50)), ms(pct(sortedRestart(q), 99)), ms(max(sortedRestart(q))), q.length);
        long[] dh = Arrays.stream(s).mapToLong(x -> x.deathSentMs() - x.t0Ms()).sorted().toArray();
        long[] rh = Arrays.stream(s).mapToLong(x -> x.restartSentMs() - x.t0Ms()).sorted().toArray();
        return String.format(Locale.ROOT, "%n  kill -> death pulse (NOWAIT)         ms: %s%n"
                + "  kill -> restart pulse (INDEPENDENT)  ms: %s%n"
                + "  restart pulse before the death pulse in %d of %d kills%n"
                + "  of which in the HAM (kill -> the pulse's time stamp, wall clock, 1 ms resolution): death p50 %d"
                + " p90 %d max %d ms; restart p50 %d p90 %d max %d ms%n"
                + "  kills whose cycle had other processes at %.0f%% of the CPUs or more: %d of %d; the others only: %s",
                line(d), line(r), restartFirst, s.length,
                pct(dh, 50), pct(dh, 90), dh[dh.length - 1], pct(rh, 50), pct(rh, 90), rh[rh.length - 1],
                BUSY, busy, s.length, quietLine);
    }

    /** The kills whose cycle had other processes below {@link #BUSY} % of all CPUs. */
    static Sample[] quiet(Sample[] s) {
        return Arrays.stream(s).filter(x -> x.others() < BUSY).toArray(Sample[]::new);
    }

    static long[] sortedDeath(Sample[] s) {
        return Arrays.stream(s).mapToLong(Sample::deathNs).sorted().toArray();
    }

    static long[] sortedRestart(Sample[] s) {
        return Arrays.stream(s).mapToLong(Sample::restartNs).sorted().toArray();
    }

    static long max(long[] sorted) {
        return sorted[sorted.length - 1];
    }

    static String line(long[] sorted) {
        double mean = Arrays.stream(sorted).average().orElse(0);
        return String.format(Locale.ROOT, "p50 %.3f  p90 %.3f  p99 %.3f  max %.3f  (min %.3f, mean %.3f, N=%d)",
                ms(pct(sorted, 50)), ms(pct(sorted, 90)), ms(pct(sorted, 99)), ms(sorted[sorted.length - 1]),
                ms(sorted[0]), mean / 1e6, sorted.length);
    }

    void summary(Sample[] p1, Sample[] p2) {
        long[] d1 = sortedDeath(p1);
        long[] r1 = sortedRestart(p1);
        long[] d2 = sortedDeath(p2);
        long[] r2 = sortedRestart(p2);
        System.out.println();
        System.out.println("summary (ms from System.nanoTime() before kill -9 to the pulse returned by Channel.receive;"
                + " nearest-rank percentiles)");
        String fmt = "%-44s %4s %8s %8s %8s %8s%n";
        System.out.printf(Locale.ROOT, fmt, "", "N", "p50", "p90", "p99", "max");
        row(fmt, "death pulse, NOWAIT: lanes idle", d1);
        row(fmt, "death pulse, NOWAIT: OTHER lane in waitfor", d2);
        ratio(fmt, "  ratio (waitfor / idle)", d1, d2);
        row(fmt, "restart pulse, INDEPENDENT: lanes idle", r1);
        row(fmt, "restart pulse, INDEPENDENT: OTHER in waitfor", r2);
        ratio(fmt, "  ratio (waitfor / idle)", r1, r2);
        Sample[] q1 = quiet(p1);
        Sample[] q2 = quiet(p2);
        // only when some kills were disturbed (else the same table again)
        if (q1.length > 0 && q2.length > 0 && (q1.length < p1.length || q2.length < p2.length)) {
            System.out.printf(Locale.ROOT, "kills whose cycle had other processes below %.0f%% of the CPUs only:%n", BUSY);
            row(fmt, "death pulse, NOWAIT: lanes idle", sortedDeath(q1));
            row(fmt, "death pulse, NOWAIT: OTHER lane in waitfor", sortedDeath(q2));
            ratio(fmt, "  ratio (waitfor / idle)", sortedDeath(q1), sortedDeath(q2));
            row(fmt, "restart pulse, INDEPENDENT: lanes idle", sortedRestart(q1));
            row(fmt, "restart pulse, INDEPENDENT: OTHER in waitfor", sortedRestart(q2));
            ratio(fmt, "  ratio (waitfor / idle)", sortedRestart(q1), sortedRestart(q2));
        }
        long worst = Math.max(d2[d2.length - 1], r2[r2.length - 1]);
        System.out.printf(Locale.ROOT, "the slowest phase-2 pulse took %.3f ms, against the %d ms the OTHER lane was held:"
                + " %s%n", ms(worst), stuckMs, worst < stuckMs * 1_000_000L / 10 ? "the waitfor did not delay them"
                : "SOME PULSE WAITED ON THE OTHER LANE");
        if (worst >= stuckMs * 1_000_000L / 10) {
            problem("a phase-2 pulse took " + ms(worst) + " ms: the OTHER lane's waitfor delayed it");
        }
    }

    static void row(String fmt, String name, long[] s) {
        System.out.printf(Locale.ROOT, fmt, name, s.length, f3(ms(pct(s, 50))), f3(ms(pct(s, 90))), f3(ms(pct(s, 99))),
                f3(ms(s[s.length - 1])));
    }

    static void ratio(String fmt, String name, long[] a, long[] b) {
        System.out.printf(Locale.ROOT, fmt, name, "", f2((double) pct(b, 50) / pct(a, 50)),
                f2((double) pct(b, 90) / pct(a, 90)), f2((double) pct(b, 99) / pct(a, 99)),
                f2((double) b[b.length - 1] / a[a.length - 1]));
    }

    static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** The HAM's own counts must agree with what the harness did. */
    void checks() {
        EntityMXBean s = conn.proxy(EntityMXBean.class, ObjectNames.entity(SVC));
        EntityMXBean w = conn.proxy(EntityMXBean.class, ObjectNames.entity(SLOW));
        long tell = conn.proxy(ConditionMXBean.class, ObjectNames.condition(SVC, "tell")).getTriggerCount();
        long restarted = conn.proxy(ConditionMXBean.class, ObjectNames.condition(SVC, "restarted")).getTriggerCount();
        long stuck = conn.proxy(ConditionMXBean.class, ObjectNames.condition(SLOW, "stuck")).getTriggerCount();
        String[][] actions = {{SVC, "tell", "pulse"}, {SVC, "restarted", "pulse"}, {SLOW, "stuck", "wait"},
            {SLOW, "stuck", "pulse"}};
        StringBuilder fails = new StringBuilder();
        for (String[] a : actions) {
            ActionMXBean x = conn.proxy(ActionMXBean.class, ObjectNames.action(a[0], a[1], a[2]));
            long f = x.getFailCount();
            fails.append(String.format(Locale.ROOT, "%s%s/%s/%s ran %d failed %d", fails.length() == 0 ? "" : ", ",
                    a[0], a[1], a[2], x.getRunCount(), f));
            if (f != 0) {
                problem(a[0] + "/" + a[1] + "/" + a[2] + " failed " + f + " times");
            }
        }
        int rs = s.getNumRestarts();
        int rw = w.getNumRestarts();
        System.out.printf(Locale.ROOT, "%ncheck: svc killed %d times: restarts %d, 'tell' fired %d, 'restarted' fired %d;"
                + " slow killed %d times: restarts %d, 'stuck' fired %d%n", svcKills, rs, tell, restarted, slowKills, rw, stuck);
        System.out.println("check: actions " + fails);
        if (rs != svcKills || tell != svcKills || restarted != svcKills) {
            problem("svc: " + svcKills + " kills but " + rs + " restarts, " + tell + " death and " + restarted
                    + " restart firings");
        }
        if (rw != slowKills || stuck != slowKills) {
            problem("slow: " + slowKills + " kills but " + rw + " restarts, " + stuck + " firings of 'stuck'");
        }
    }

    void writeCsv(Sample[] p1, Sample[] p2, int[] block, long[] sinceSlowKill, long[] slowPulseAfterEnd)
            throws IOException {
        if (csvDir == null) {
            return;
        }
        Files.createDirectories(csvDir);
        StringBuilder a = new StringBuilder("i,death_pulse_ns,restart_pulse_ns,death_sent_ms,restart_sent_ms,others_pct\n");
        for (int i = 0; i < p1.length; i++) {
            a.append(i).append(',').append(p1[i].deathNs()).append(',').append(p1[i].restartNs()).append(',')
                    .append(p1[i].deathSentMs() - p1[i].t0Ms()).append(',').append(p1[i].restartSentMs() - p1[i].t0Ms())
                    .append(',').append(String.format(Locale.ROOT, "%.1f", p1[i].others())).append('\n');
        }
        Files.writeString(csvDir.resolve("phase1-idle.csv"), a.toString(), StandardCharsets.US_ASCII);
        StringBuilder b = new StringBuilder(
                "i,death_pulse_ns,restart_pulse_ns,death_sent_ms,restart_sent_ms,others_pct,slow_block,slow_kill_to_t0_ns,"
                        + "window_end_to_slow_pulse_ns\n");
        for (int i = 0; i < p2.length; i++) {
            b.append(i).append(',').append(p2[i].deathNs()).append(',').append(p2[i].restartNs()).append(',')
                    .append(p2[i].deathSentMs() - p2[i].t0Ms()).append(',').append(p2[i].restartSentMs() - p2[i].t0Ms())
                    .append(',').append(String.format(Locale.ROOT, "%.1f", p2[i].others())).append(',')
                    .append(block[i]).append(',').append(sinceSlowKill[i]).append(',').append(slowPulseAfterEnd[i])
                    .append('\n');
        }
        Files.writeString(csvDir.resolve("phase2-other-waitfor.csv"), b.toString(), StandardCharsets.US_ASCII);
        System.out.println("CSVs: " + csvDir.resolve("phase1-idle.csv") + ", " + csvDir.resolve("phase2-other-waitfor.csv"));
    }

    // ------------------------------------------------------------------ machine load

    /** {/proc/stat total, idle, the HAM's ticks, this JVM's ticks}. */
    long[] cpuSample() throws IOException {
        String[] f = Files.readString(Path.of("/proc/stat"), StandardCharsets.US_ASCII).split("\n", 2)[0].trim()
                .split("\\s+");
        long total = 0;
        for (int k = 1; k <= 8 && k < f.length; k++) {
            total += Long.parseLong(f[k]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        return new long[] {total, idle, cpuTicks(hamPid), cpuTicks(ProcessHandle.current().pid())};
    }

    String load(long[] a, long[] b, int kills) {
        long total = b[0] - a[0];
        long busy = total - (b[1] - a[1]);
        long ham = b[2] - a[2];
        long self = b[3] - a[3];
        double others = total > 0 ? Math.max(0, 100.0 * (busy - ham - self) / total) : 0;
        return String.format(Locale.ROOT, "CPU: HAM %.2f ms per kill (utime+stime, CLK_TCK=%d), harness"
                + " %.2f ms per kill; other processes %.1f%% of all CPUs%s", ham * 1000.0 / clkTck / kills, clkTck,
                self * 1000.0 / clkTck / kills, others, others >= 10 ? "  <- the figures are disturbed" : "");
    }

    private long[] lastCycle;

    /**
     * Share of all CPUs (%) used by processes other than the HAM and this harness since the
     * previous call (busy + steal - the two); NaN on the first call or when no tick passed.
     */
    double othersSince() throws IOException {
        long[] now = cpuSample();
        long[] prev = lastCycle;
        lastCycle = now;
        if (prev == null || now[0] == prev[0]) {
            return Double.NaN;
        }
        long total = now[0] - prev[0];
        long busy = total - (now[1] - prev[1]) - (now[2] - prev[2]) - (now[3] - prev[3]);
        return Math.max(0, 100.0 * busy / total);
    }

    /** CPU by thread name (digits folded, so per-instance threads add up), per unit, top 6. */
    String byThread(Map<String, Long> a, Map<String, Long> b, double per) {
        Map<String, Long> byName = new HashMap<>();
        for (Map.Entry<String, Long> e : b.entrySet()) {
            long d = e.getValue() - a.getOrDefault(e.getKey(), 0L);
            byName.merge(threadName(hamPid, e.getKey()).replaceAll("[0-9]+", "N"), d, Long::sum);
        }
        StringBuilder sb = new StringBuilder();
        byName.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(6)
                .forEach(e -> sb.append(sb.length() == 0 ? "" : ", ")
                        .append(String.format(Locale.ROOT, "'%s' %.2f", e.getKey(), e.getValue() / 1e6 / per)));
        return sb.length() == 0 ? "(none)" : sb.toString() + " (live threads only)";
    }

    /** The thread's name as the kernel knows it (Java sets it, cut to 15 characters). */
    static String threadName(long pid, String tid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/task/" + tid + "/comm"), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return tid;
        }
    }

    /** Run time (ns, /proc schedstat) of each live thread of a process, by tid. */
    static Map<String, Long> threadNs(long pid) throws IOException {
        Map<String, Long> m = new HashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : ds) {
                try {
                    String st = Files.readString(t.resolve("schedstat"), StandardCharsets.US_ASCII).trim();
                    m.put(t.getFileName().toString(), Long.parseLong(st.split(" ")[0]));
                } catch (NoSuchFileException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return m;
    }

    static long cpuTicks(long pid) throws IOException {
        String s = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** The HAM JVM, from its platform MBeans over the same connection. */
    String describeHamJvm() {
        try {
            RuntimeMXBean rt = ManagementFactory.newPlatformMXBeanProxy(conn.mbeanServer(),
                    ManagementFactory.RUNTIME_MXBEAN_NAME, RuntimeMXBean.class);
            return String.format(Locale.ROOT, "JVM %s %s, args %s", rt.getVmName(), rt.getVmVersion(),
                    rt.getInputArguments());
        } catch (Exception e) {
            return "JVM unknown (" + e + ")";
        }
    }

    // ------------------------------------------------------------------ clean-up

    /** Detaches both entities (so nothing restarts), kills their processes, closes, stops the HAM if asked. */
    void tidyUp() {
        for (EntityHandle e : new EntityHandle[] {svc, slow}) {
            if (e == null) {
                continue;
            }
            try {
                e.detach(0);
            } catch (RuntimeException ex) {
                System.out.println("note: detach of '" + e.name() + "' failed: " + ex);
            }
        }
        for (long pid : new long[] {svcPid, slowPid}) {
            if (pid > 0) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (RuntimeException ex) {
                System.out.println("note: closing the channel failed: " + ex);
            }
        }
        if (conn == null) {
            return;
        }
        if (stopHam) {
            // the JMXMP client logs a WARNING when the server goes away under it: expected here
            java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
            root.setLevel(java.util.logging.Level.SEVERE);
            for (java.util.logging.Handler hd : root.getHandlers()) {
                hd.setLevel(java.util.logging.Level.SEVERE);
            }
            try {
                conn.ham().stop("abrupt");
            } catch (HamException ex) {
                // the reply may race the HAM going away; run.sh kills it if it is still alive
            }
        }
        try {
            conn.close();
        } catch (HamException ex) {
            // the HAM may be gone after stop
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Nearest rank: the smallest sample with at least p% of the samples at or below it. */
    static long pct(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        rank = Math.max(1, Math.min(sorted.length, rank));
        return sorted[rank - 1];
    }

    static double ms(long ns) {
        return ns / 1e6;
    }

    static void sleepUntil(long deadlineNs) throws InterruptedException {
        long left;
        while ((left = deadlineNs - System.nanoTime()) > 0) {
            Thread.sleep(left / 1_000_000L, (int) (left % 1_000_000L));
        }
    }

    void problem(String msg) {
        problems.add(msg);
        System.out.println("PROBLEM: " + msg);
        System.out.flush();
    }
}
