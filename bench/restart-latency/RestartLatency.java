/*
 * RestartLatency.java - the jHAM side of the restart-latency benchmark (Java 17 single-file
 * source launch; run by run.sh, which starts the HAM and passes its URL and pid).
 *
 *   java -cp <ham-mbeans jar>:<opendmk jmxremote_optional jar> RestartLatency.java \
 *        --url service:jmx:jmxmp://127.0.0.1:PORT --ham-pid PID --child /abs/out/child \
 *        --stamp-dir /abs/dir [--n 100] [--warmup 5] [--live-ms 1110] [--clk-tck 100] \
 *        [--idle-s 5] [--timeout-ms 10000] [--csv file] [--stop-ham]
 *
 * It attaches "<child> <stampdir>" as entity "bench" (the HAM starts it), adds a CONDDEATH
 * condition "death" with a restart action, then kills the child N times. Latency of one restart
 * = the new child's own CLOCK_MONOTONIC stamp (first thing in its main) - System.nanoTime()
 * taken just before the SIGKILL. Both are CLOCK_MONOTONIC on Linux; checked at start-up.
 */

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.jham.mbean.ConditionMXBean;
import org.jham.mbean.EntityMXBean;
import org.jham.mbean.HamMXBean;
import org.jham.mbean.ObjectNames;

public final class RestartLatency {
    static final String ENTITY = "bench";
    static final String CONDITION = "death";

    // options
    String url;
    long hamPid = -1;
    Path child;
    Path stampDir;
    int n = 100;
    int warmup = 5;
    long liveNs = 1_110_000_000L;
    long clkTck = 100;
    int idleSeconds = 5;
    long timeoutNs = 10_000_000_000L;
    long pollDelayMs = 20;
    Path csv;
    boolean stopHam;

    // state
    final Set<Long> seen = new HashSet<>();
    final List<String> problems = new ArrayList<>();

    record Stamp(long pid, long ns) {
    }

    public static void main(String[] args) throws Exception {
        RestartLatency b = new RestartLatency();
        try {
            b.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("RestartLatency: " + e.getMessage());
            System.err.println("usage: RestartLatency.java --url URL --ham-pid PID --child PATH --stamp-dir DIR"
                    + " [--n N] [--warmup W] [--live-ms MS] [--clk-tck T] [--idle-s S] [--timeout-ms MS]"
                    + " [--poll-delay-ms MS] [--csv FILE] [--stop-ham]");
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
                case "--child" -> child = Path.of(v).toAbsolutePath();
                case "--stamp-dir" -> stampDir = Path.of(v).toAbsolutePath();
                case "--n" -> n = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--live-ms" -> liveNs = Long.parseLong(v) * 1_000_000L;
                case "--clk-tck" -> clkTck = Long.parseLong(v);
                case "--idle-s" -> idleSeconds = Integer.parseInt(v);
                case "--timeout-ms" -> timeoutNs = Long.parseLong(v) * 1_000_000L;
                case "--poll-delay-ms" -> pollDelayMs = Long.parseLong(v);
                case "--csv" -> csv = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + k);
            }
        }
        if (url == null || child == null || stampDir == null || hamPid <= 0) {
            throw new IllegalArgumentException("--url, --ham-pid, --child and --stamp-dir are required");
        }
        if (n < 1 || warmup < 0 || liveNs <= 1_100_000_000L || clkTck <= 0 || idleSeconds < 0) {
            throw new IllegalArgumentException("need N >= 1, warm-up >= 0, live-ms > 1100");
        }
        if (child.toString().contains(" ") || stampDir.toString().contains(" ")) {
            throw new IllegalArgumentException("paths with spaces are not supported (the start line is split on blanks)");
        }
    }

    int run() throws Exception {
        clockCheck();

        Map<String, Object> env = new HashMap<>();
        env.put("jmx.remote.x.request.timeout", 30_000L);
        JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(url), env);
        long current = -1;
        try {
            MBeanServerConnection mbsc = connector.getMBeanServerConnection();
            HamMXBean ham = JMX.newMXBeanProxy(mbsc, ObjectNames.HAM, HamMXBean.class);
            long reportedPid = ham.getHamPid();
            if (reportedPid != hamPid) {
                problem("HamMXBean.getHamPid() = " + reportedPid + " but the HAM printed pid=" + hamPid);
            }
            String jvm = describeHamJvm(mbsc);

            String line = child + " " + stampDir;
            Files.createDirectories(stampDir);
            String ename = ham.attach(ENTITY, -1, line, "0");
            if (!ENTITY.equals(ename)) {
                problem("attach returned entity name '" + ename + "', expected '" + ENTITY + "'");
            }
            EntityMXBean entity = JMX.newMXBeanProxy(mbsc, ObjectNames.entity(ENTITY), EntityMXBean.class);
            String cname = entity.condition("CONDDEATH", CONDITION, "HREARMAFTERRESTART");
            if (!CONDITION.equals(cname)) {
                problem("condition returned '" + cname + "', expected '" + CONDITION + "'");
            }
            ConditionMXBean cond = JMX.newMXBeanProxy(mbsc, ObjectNames.condition(ENTITY, CONDITION),
                    ConditionMXBean.class);
            cond.actionRestart("restart", line, "HREARMAFTERRESTART");

            Stamp first = awaitNewStamp(System.nanoTime() + timeoutNs);
            if (first == null) {
                throw new IllegalStateException("the HAM did not start the child within " + timeoutNs / 1_000_000
                        + " ms (no stamp in " + stampDir + ")");
            }
            current = first.pid();
            Stamp cur = first;
            checkEntityPid(entity, cur.pid(), "initial start");
            String starter = checkParent(cur.pid());

            System.out.printf(Locale.ROOT, "jHAM restart latency: entity '%s' started by the HAM as '%s'%n", ENTITY, line);
            System.out.printf(Locale.ROOT, "HAM: pid %d, %s%n", hamPid, jvm);
            System.out.printf(Locale.ROOT, "the child's parent: %s%n", starter);
            System.out.printf(Locale.ROOT, "warm-up: %d unmeasured kills first; then N=%d measured; each child lives > %d ms%n",
                    warmup, n, liveNs / 1_000_000);
            System.out.flush();

            int restartsBefore0 = entity.getNumRestarts();
            for (int i = 0; i < warmup; i++) {
                cur = killAndAwait(cur, entity, null, null, i);
                current = cur.pid();
            }

            int restartsBefore = entity.getNumRestarts();
            long[] lat = new long[n];
            double[] others = new double[n];
            long[] gc0 = gcTotals(mbsc);
            sampleLoad(); // starts the per-cycle load accounting
            Map<String, Long> threads0 = threadNs(hamPid);
            long ticks0 = cpuTicks(hamPid);
            long wall0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long[] out = new long[1];
                double[] load = new double[1];
                cur = killAndAwait(cur, entity, out, load, i);
                current = cur.pid();
                lat[i] = out[0];
                others[i] = load[0];
            }
            long wall1 = System.nanoTime();
            long ticks1 = cpuTicks(hamPid);
            Map<String, Long> threads1 = threadNs(hamPid);
            long[] gc1 = gcTotals(mbsc);
            // Idle CPU after the measured kills (the JIT has settled; the last child lives on, no calls)
            double idleMsPerS = idleSeconds > 0 ? idleCpu(idleSeconds) : Double.NaN;
            checkEntityPid(entity, cur.pid(), "after the last restart");

            int restartsAfter = entity.getNumRestarts();
            long triggers = cond.getTriggerCount();
            String lastExit = entity.getLastExit();
            String lastDeathInfo = entity.getLastDeath();

            if (csv != null) {
                StringBuilder sb = new StringBuilder("i,latency_ns\n");
                for (int i = 0; i < n; i++) {
                    sb.append(i).append(',').append(lat[i]).append('\n');
                }
                Files.writeString(csv, sb.toString(), StandardCharsets.US_ASCII);
            }

            long[] s = lat.clone();
            Arrays.sort(s);
            double mean = Arrays.stream(s).average().orElse(0);
            double cpuMsPerRestart = (ticks1 - ticks0) * 1000.0 / clkTck / n;
            double cycleS = (wall1 - wall0) / 1e9 / n;

            System.out.println();
            System.out.printf(Locale.ROOT, "jHAM kill->restarted latency (ms): p50 %.3f  p90 %.3f  p99 %.3f  max %.3f"
                    + "  (min %.3f, mean %.3f, N=%d)%n",
                    ms(pct(s, 50)), ms(pct(s, 90)), ms(pct(s, 99)), ms(s[n - 1]), ms(s[0]), mean / 1e6, n);
            System.out.printf(Locale.ROOT, "HAM CPU per restart: %.3f ms  (utime+stime of pid %d: %d ticks before the"
                    + " first measured kill, %d after the last; CLK_TCK=%d; resolution %.3f ms at N=%d;"
                    + " one cycle = %.3f s of wall time)%n",
                    cpuMsPerRestart, hamPid, ticks0, ticks1, clkTck, 1000.0 / clkTck / n, n, cycleS);
            double[] o = others.clone();
            Arrays.sort(o);
            long busyCycles = Arrays.stream(others).filter(x -> x >= 10).count();
            System.out.printf(Locale.ROOT, "machine load from other processes per cycle (/proc/stat busy + steal - the HAM's"
                    + " CPU, %% of all CPUs, the harness included): median %.1f%%, max %.1f%%; cycles at 10%% or more: %d of %d%s%n",
                    o[(n - 1) / 2], o[n - 1], busyCycles, n, busyCycles > 0 ? "  <- the figures are disturbed" : "");
            Integer[] idx = new Integer[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            Arrays.sort(idx, (x, y) -> Long.compare(lat[y], lat[x]));
            StringBuilder slow = new StringBuilder();
            for (int k = 0; k < Math.min(5, n); k++) {
                slow.append(String.format(Locale.ROOT, "%s#%d %.3f ms (others %.1f%%)", k == 0 ? "" : ", ", idx[k] + 1,
                        ms(lat[idx[k]]), others[idx[k]]));
            }
            System.out.println("slowest kills: " + slow);
            System.out.println("HAM CPU per restart by thread: "
                    + cpuByThread(threads0, threads1, (ticks1 - ticks0) * 1_000_000_000L / clkTck, n));
            if (gc0 != null && gc1 != null) {
                System.out.printf(Locale.ROOT, "HAM GC during the measured kills: %d collections, %d ms%n",
                        gc1[0] - gc0[0], gc1[1] - gc0[1]);
            }
            if (!Double.isNaN(idleMsPerS)) {
                System.out.printf(Locale.ROOT, "HAM idle CPU: %.3f ms/s over %d s after the last kill, child alive, no calls"
                        + " (sum of live threads' /proc schedstat) -> %.3f ms of each cycle; CPU per restart net of"
                        + " idle ~ %.3f ms%n",
                        idleMsPerS, idleSeconds, idleMsPerS * cycleS, cpuMsPerRestart - idleMsPerS * cycleS);
                System.out.println("HAM idle CPU by thread: " + idleTop);
            }

            int expectTotal = restartsBefore0 + warmup + n;
            String check = (restartsAfter - restartsBefore == n) ? "OK" : "MISMATCH";
            System.out.printf(Locale.ROOT, "check: getNumRestarts() %d -> %d over the measured kills = %d (expected N=%d) %s;"
                    + " total %d (%d warm-up + %d measured)%n",
                    restartsBefore, restartsAfter, restartsAfter - restartsBefore, n, check, restartsAfter, warmup, n);
            if (restartsAfter - restartsBefore != n) {
                problem("getNumRestarts() rose by " + (restartsAfter - restartsBefore) + " over N=" + n + " kills");
            }
            if (restartsAfter != expectTotal) {
                problem("getNumRestarts() = " + restartsAfter + " in total, expected " + expectTotal);
            }
            System.out.printf(Locale.ROOT, "check: condition trigger count %d (expected %d); last exit '%s'; last death %s%n",
                    triggers, (long) warmup + n, lastExit, lastDeathInfo);
            if (triggers != (long) warmup + n) {
                problem("condition '" + CONDITION + "' fired " + triggers + " times for " + (warmup + n) + " deaths");
            }
            if (lastExit == null || !lastExit.contains("SIGKILL")) {
                // getLastExit keeps the cause of the last death after a restart: here always SIGKILL
                problem("getLastExit() = '" + lastExit + "', expected the SIGKILL of the last kill");
            }

            // tidy up: stop watching, kill the child, stop the HAM if asked
            try {
                entity.detach("");
            } catch (RuntimeException e) {
                problem("detach failed: " + e);
            }
            ProcessHandle.of(current).ifPresent(ProcessHandle::destroyForcibly);
            if (stopHam) {
                // the JMXMP client logs a WARNING when the server goes away under it: expected here
                java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.SEVERE);
                for (java.util.logging.Handler hd : java.util.logging.Logger.getLogger("").getHandlers()) {
                    hd.setLevel(java.util.logging.Level.SEVERE);
                }
                try {
                    ham.stop("abrupt");
                } catch (RuntimeException e) {
                    // the reply may race the HAM going away; run.sh kills it if it is still alive
                    System.out.println("note: stop(\"abrupt\") ended with " + e.getClass().getSimpleName());
                }
            }
        } finally {
            try {
                connector.close();
            } catch (IOException | RuntimeException e) {
                // the HAM may be gone after stop
            }
            if (current > 0) {
                ProcessHandle.of(current).ifPresent(ProcessHandle::destroyForcibly);
            }
        }

        System.out.println();
        System.out.println("reference (this machine, N=100, p50 / p99 ms): C posix_spawn+waitpid floor 1.17 / 1.49;"
                + " daemontools 2.26 / 2.87; runit 2.51 / 3.29; s6 3.12 / 3.75; supervisord 1010 / 1012");
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
     * One restart: wait until the child has lived long enough, take t0, SIGKILL it, find the new
     * child's stamp. {@code out[0]} gets the latency (null for warm-up kills).
     */
    Stamp killAndAwait(Stamp cur, EntityMXBean entity, long[] out, double[] load, int i) throws Exception {
        ProcessHandle h = ProcessHandle.of(cur.pid()).orElseThrow(
                () -> new IllegalStateException("child " + cur.pid() + " died before it was killed"));
        long killAt = cur.ns() + liveNs;
        sleepUntil(killAt);
        if (load != null) {
            load[0] = sampleLoad(); // the cycle ending with this kill: the previous restart + this child's life
        }
        long t0 = System.nanoTime();
        h.destroyForcibly();
        // Let the restart happen undisturbed, then look for the new stamp.
        Thread.sleep(pollDelayMs);
        Stamp next = awaitNewStamp(t0 + timeoutNs);
        if (next == null) {
            throw new IllegalStateException((out == null ? "warm-up " : "") + "kill " + (i + 1) + ": no restart within "
                    + timeoutNs / 1_000_000 + " ms of killing pid " + cur.pid());
        }
        Files.deleteIfExists(stampDir.resolve(Long.toString(cur.pid())));
        if (next.ns() < t0) {
            problem("kill " + (i + 1) + ": new child " + next.pid() + " stamped before the kill (t0)");
        }
        if (out != null) {
            out[0] = next.ns() - t0;
        }
        checkEntityPid(entity, next.pid(), (out == null ? "warm-up " : "") + "kill " + (i + 1));
        return next;
    }

    /** Polls the stamp directory (1 ms sleeps) for a pid not seen before. More than one is a problem. */
    Stamp awaitNewStamp(long deadline) throws Exception {
        while (true) {
            List<Stamp> fresh = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(stampDir)) {
                for (Path p : ds) {
                    String name = p.getFileName().toString();
                    if (name.startsWith(".")) {
                        continue;
                    }
                    long pid;
                    try {
                        pid = Long.parseLong(name);
                    } catch (NumberFormatException e) {
                        continue;
                    }
                    if (seen.contains(pid)) {
                        continue;
                    }
                    Stamp st = readStamp(p, pid);
                    if (st != null) {
                        fresh.add(st);
                    }
                }
            }
            if (!fresh.isEmpty()) {
                fresh.sort((a, b) -> Long.compare(b.ns(), a.ns()));
                for (Stamp st : fresh) {
                    seen.add(st.pid());
                }
                if (fresh.size() > 1) {
                    problem("more than one new child appeared at once: " + fresh);
                }
                return fresh.get(0); // the newest
            }
            if (System.nanoTime() > deadline) {
                return null;
            }
            Thread.sleep(1);
        }
    }

    static Stamp readStamp(Path p, long pid) throws IOException {
        String s;
        try {
            s = Files.readString(p, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return null;
        }
        String[] f = s.split(" ");
        if (f.length != 2 || Long.parseLong(f[0]) != pid) {
            throw new IllegalStateException("malformed stamp file " + p + ": '" + s + "'");
        }
        return new Stamp(pid, Long.parseLong(f[1]));
    }

    /** getEntityPid() must name the newest child; the HAM may learn the pid a moment after the child stamps. */
    void checkEntityPid(EntityMXBean entity, long pid, String when) throws InterruptedException {
        long deadline = System.nanoTime() + 2_000_000_000L;
        long got;
        while ((got = entity.getEntityPid()) != pid && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        if (got != pid) {
            problem(when + ": getEntityPid() = " + got + " but the newest child is " + pid);
        }
    }

    /** Checks who started the child; returns a description for the output. */
    String checkParent(long pid) {
        Optional<ProcessHandle> parent = ProcessHandle.of(pid).flatMap(ProcessHandle::parent);
        long ppid = parent.map(ProcessHandle::pid).orElse(-1L);
        // The HAM starts children itself (JDK fallback) or through its native ham-spawner child.
        long grandParent = parent.flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L);
        boolean viaSpawner = grandParent == hamPid
                && parent.flatMap(p -> p.info().command()).orElse("").endsWith("ham-spawner");
        if (ppid != hamPid && !viaSpawner) {
            problem("the child " + pid + " has parent " + ppid + ", neither the HAM " + hamPid + " nor its ham-spawner");
        }
        return viaSpawner ? "the HAM's native ham-spawner (pid " + ppid + "; the JDK launch mechanism above is not used)"
                : ppid == hamPid ? "the HAM JVM itself (JDK Process, launch mechanism above)" : "pid " + ppid;
    }

    /**
     * System.nanoTime() must be CLOCK_MONOTONIC: start the child here, and its stamp must fall
     * between nanoTime() before the start and after its stamp file appears.
     */
    void clockCheck() throws Exception {
        // beside the stamp directory, so run.sh's clean-up finds this child too if we die here
        Path dir = stampDir.resolveSibling(stampDir.getFileName() + "-clockcheck");
        Files.createDirectories(dir);
        Process p = null;
        try {
            long t1 = System.nanoTime();
            p = new ProcessBuilder(child.toString(), dir.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Path f = dir.resolve(Long.toString(p.pid()));
            Stamp st = null;
            long deadline = t1 + 5_000_000_000L;
            while (st == null && System.nanoTime() < deadline) {
                st = readStamp(f, p.pid());
                if (st == null) {
                    Thread.sleep(1);
                }
            }
            long t2 = System.nanoTime();
            if (st == null) {
                throw new IllegalStateException("clock check: the child wrote no stamp in 5 s (" + child + ")");
            }
            if (st.ns() < t1 || st.ns() > t2) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "clock check FAILED: nanoTime %d .. %d does not bracket the child's CLOCK_MONOTONIC %d:"
                                + " System.nanoTime() is not CLOCK_MONOTONIC here, figures would be meaningless",
                        t1, t2, st.ns()));
            }
            System.out.printf(Locale.ROOT, "clock check: System.nanoTime() %d <= child's CLOCK_MONOTONIC %d <= %d"
                    + " (start->stamp %.3f ms): OK%n", t1, st.ns(), t2, (st.ns() - t1) / 1e6);
        } finally {
            if (p != null) {
                p.destroyForcibly();
                p.waitFor();
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path x : ds) {
                    Files.deleteIfExists(x);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** The HAM JVM and its process launch mechanism, from its platform MBeans when it exposes them. */
    static String describeHamJvm(MBeanServerConnection mbsc) {
        try {
            RuntimeMXBean rt = ManagementFactory.newPlatformMXBeanProxy(mbsc, ManagementFactory.RUNTIME_MXBEAN_NAME,
                    RuntimeMXBean.class);
            Map<String, String> props = rt.getSystemProperties();
            String mech = props.get("jdk.lang.Process.launchMechanism");
            return String.format(Locale.ROOT, "JVM %s %s (%s), args %s; child launch mechanism: %s",
                    rt.getVmName(), rt.getVmVersion(), props.getOrDefault("java.vendor", "?"), rt.getInputArguments(),
                    mech == null ? "JDK default (POSIX_SPAWN via jspawnhelper; property unset)"
                            : mech + " (jdk.lang.Process.launchMechanism)");
        } catch (Exception e) {
            return "JVM unknown (its platform MBeans are not reachable over JMXMP: " + e + ")";
        }
    }

    private long[] lastLoad;

    /**
     * Share of all CPUs used by anything but the HAM since the previous call, in %: /proc/stat
     * busy (steal included) minus the HAM's utime + stime. NaN on the first call.
     */
    double sampleLoad() throws IOException {
        String[] f = Files.readString(Path.of("/proc/stat"), StandardCharsets.US_ASCII).split("\n", 2)[0].trim()
                .split("\\s+");
        long total = 0;
        for (int k = 1; k <= 8 && k < f.length; k++) {
            total += Long.parseLong(f[k]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        long[] now = {total, idle, cpuTicks(hamPid)};
        long[] prev = lastLoad;
        lastLoad = now;
        if (prev == null || now[0] == prev[0]) {
            return Double.NaN;
        }
        long busy = (now[0] - prev[0]) - (now[1] - prev[1]) - (now[2] - prev[2]);
        return Math.max(0, 100.0 * busy / (now[0] - prev[0]));
    }

    /** Collections and milliseconds of all the HAM's garbage collectors, or null if not reachable. */
    static long[] gcTotals(MBeanServerConnection mbsc) {
        try {
            long count = 0;
            long time = 0;
            for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getPlatformMXBeans(mbsc,
                    java.lang.management.GarbageCollectorMXBean.class)) {
                count += Math.max(0, gc.getCollectionCount());
                time += Math.max(0, gc.getCollectionTime());
            }
            return new long[] {count, time};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** utime + stime (clock ticks) of a whole process, dead threads included. */
    static long cpuTicks(long pid) throws IOException {
        String s = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        // f[0] is field 3 (state); utime is field 14, stime field 15
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** CPU of the HAM over an idle window, in ms per s, from the live threads' schedstat (ns precise). */
    double idleCpu(int seconds) throws Exception {
        Map<String, Long> a = threadNs(hamPid);
        long w0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        Map<String, Long> b = threadNs(hamPid);
        long w1 = System.nanoTime();
        long sum = 0;
        Map<String, Long> byName = new HashMap<>();
        for (Map.Entry<String, Long> e : b.entrySet()) {
            Long before = a.get(e.getKey());
            long d = e.getValue() - (before == null ? 0 : before);
            sum += d;
            byName.merge(threadName(hamPid, e.getKey()), d, Long::sum);
        }
        double secs = (w1 - w0) / 1e9;
        StringBuilder top = new StringBuilder();
        byName.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(6)
                .forEach(e -> top.append(top.length() == 0 ? "" : ", ")
                        .append(String.format(Locale.ROOT, "'%s' %.3f ms/s", e.getKey(), e.getValue() / 1e6 / secs)));
        idleTop = top.length() == 0 ? "(none)" : top.toString();
        return sum / 1e6 / secs;
    }

    String idleTop = "";

    /**
     * CPU per restart by thread name over the measured kills (digits folded, so the per-child
     * threads add up); the CPU of threads that ended meanwhile is the rest of {@code totalNs}.
     */
    String cpuByThread(Map<String, Long> a, Map<String, Long> b, long totalNs, int restarts) {
        Map<String, Long> byName = new HashMap<>();
        long live = 0;
        for (Map.Entry<String, Long> e : b.entrySet()) {
            Long before = a.get(e.getKey());
            long d = e.getValue() - (before == null ? 0 : before);
            live += d;
            byName.merge(threadName(hamPid, e.getKey()).replaceAll("[0-9]+", "N"), d, Long::sum);
        }
        // /proc/<pid>/stat keeps the time of ended threads (e.g. one waiter per child): the rest
        long ended = Math.max(0, totalNs - live);
        StringBuilder sb = new StringBuilder();
        byName.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(8)
                .forEach(e -> sb.append(sb.length() == 0 ? "" : ", ")
                        .append(String.format(Locale.ROOT, "'%s' %.3f", e.getKey(), e.getValue() / 1e6 / restarts)));
        sb.append(String.format(Locale.ROOT, ", threads that ended meanwhile ~%.3f (ms; the ended part is"
                + " utime+stime minus the live threads, 10 ms tick resolution over the run)", ended / 1e6 / restarts));
        return sb.toString();
    }

    /** The thread's name as the kernel knows it (Java sets it, cut to 15 characters). */
    static String threadName(long pid, String tid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/task/" + tid + "/comm"), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return tid;
        }
    }

    static Map<String, Long> threadNs(long pid) throws IOException {
        Map<String, Long> m = new HashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : ds) {
                try {
                    String s = Files.readString(t.resolve("schedstat"), StandardCharsets.US_ASCII).trim();
                    m.put(t.getFileName().toString(), Long.parseLong(s.split(" ")[0]));
                } catch (NoSuchFileException e) {
                    // thread ended meanwhile
                }
            }
        }
        return m;
    }

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
