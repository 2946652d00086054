/*
 * HeartbeatScale.java - the heartbeat-scale benchmark of jHAM (Java 17; compiled and run by
 * run.sh, which starts the HAM and passes its URL and pid). One program, two roles:
 *
 *   coordinator: java -cp <dir>:<ham-mbeans jar>:<opendmk jar> HeartbeatScale --url URL --ham-pid PID
 *                [--n 1000] [--clients 4] [--rate 10] [--seconds 60] [--warmup 10] [--fail 5]
 *                [--fail-ms 3000] [--phases spread|together] [--client-opts "..."] [--pid-dir DIR]
 *                [--csv FILE] [--label TEXT] [--ham-gc-log FILE] [--clk-tck 100] [--stop-ham]
 *   client:      ... HeartbeatScale --client --url URL --from F --count C --n N --rate R --hp-ns HP
 *                --low L --high H [--phases spread|together]   (started by the coordinator)
 *
 * The coordinator starts K client JVMs; each attaches itself (Ham.attachSelf) as its share of the
 * N entities, with a heartbeat period hp = 2/R, and beats each of them at R Hz with
 * EntityHandle.heartbeat() from a scheduled executor, the N entities' phases spread evenly over
 * the beat period. Global CONDHBEATMISSEDLOW / HIGH conditions make every missed-heartbeat mark
 * of every entity fire; the coordinator counts them from the jham.condition notifications of
 * jham:type=Ham (any of them while the clients beat is a false miss), says what happened before
 * each burst of them (the HAM's GC pauses from its GC log, a 20 ms probe of its response time,
 * the machine's load, late client beats) and measures the HAM's CPU and heap. Then it stops the
 * beats of a few entities and checks that exactly those miss.
 */

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.RuntimeMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.NotificationFilterSupport;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnectionNotification;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.jham.EntityHandle;
import org.jham.Ham;
import org.jham.HamConnection;
import org.jham.HamConstants;
import org.jham.HamException;
import org.jham.Heartbeat;
import org.jham.mbean.ConditionMXBean;
import org.jham.mbean.ObjectNames;

public final class HeartbeatScale {
    static final String LOW_COND = "hb-low";
    static final String HIGH_COND = "hb-high";
    /** Log actions at this verbosity write nothing at the HAM's -V0: the action runs, costs little. */
    static final int LOG_VERBOSITY = 9;

    static String entityName(int i) {
        return String.format(Locale.ROOT, "hb%05d", i);
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--client")) {
            Client.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Coordinator c = new Coordinator();
        try {
            c.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("HeartbeatScale: " + e.getMessage());
            System.err.println("usage: HeartbeatScale --url URL --ham-pid PID [--n N] [--clients K] [--rate HZ]"
                    + " [--seconds T] [--warmup W] [--fail F] [--fail-ms MS] [--phases spread|together]"
                    + " [--client-opts OPTS] [--pid-dir DIR] [--csv FILE] [--label TEXT] [--ham-gc-log FILE] [--clk-tck T]"
                    + " [--stop-ham]");
            System.exit(2);
        }
        System.exit(c.run());
    }

    // ================================================================== the client JVM

    /**
     * One client JVM: attaches itself as entities [from, from + count), beats each at the rate
     * from one scheduler thread, and answers the coordinator's commands on stdin (one a line):
     * {@code report}, {@code pause NAME...}, {@code resume NAME...}, {@code stop}. Replies on stdout.
     */
    static final class Client {
        String url;
        int from;
        int count;
        int n;
        double rate;
        long hpNs;
        int low;
        int high;
        boolean together;

        EntityHandle[] handles;
        ScheduledFuture<?>[] tasks;
        /** 1 = this entity's beats are stopped (the "it can fail" check). */
        AtomicIntegerArray paused;
        /** When each entity's next beat is due (System.nanoTime); only the beat thread touches it. */
        long[] due;
        long periodNs;

        // beat-thread statistics, read by the main thread under the lock
        long calls;
        long runs;
        long lateMaxNs;
        long over10;
        long over50;
        long over100;
        /** Beats more than 50 ms late since the last report: {epoch ms, lateness µs}, at most 500. */
        final List<long[]> lates = new ArrayList<>();

        static void main(String[] a) throws Exception {
            Client c = new Client();
            for (int i = 0; i < a.length; i++) {
                String v = i + 1 < a.length ? a[i + 1] : null;
                switch (a[i]) {
                    case "--url" -> c.url = v;
                    case "--from" -> c.from = Integer.parseInt(v);
                    case "--count" -> c.count = Integer.parseInt(v);
                    case "--n" -> c.n = Integer.parseInt(v);
                    case "--rate" -> c.rate = Double.parseDouble(v);
                    case "--hp-ns" -> c.hpNs = Long.parseLong(v);
                    case "--low" -> c.low = Integer.parseInt(v);
                    case "--high" -> c.high = Integer.parseInt(v);
                    case "--phases" -> c.together = v.equals("together");
                    default -> throw new IllegalArgumentException("client: unknown option " + a[i]);
                }
                i++;
            }
            c.run();
        }

        void run() throws Exception {
            PrintStream out = System.out;
            periodNs = Math.round(1e9 / rate);
            handles = new EntityHandle[count];
            tasks = new ScheduledFuture<?>[count];
            paused = new AtomicIntegerArray(count);
            due = new long[count];
            ScheduledThreadPoolExecutor beats = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "beat");
                t.setDaemon(true);
                return t;
            });
            beats.setRemoveOnCancelPolicy(true);
            Map<String, Integer> index = new HashMap<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                String name = entityName(from + i);
                index.put(name, i);
                handles[i] = Ham.attachSelf(name, url, hpNs, low, high, 0);
                // Beat at once-a-period instants on a grid shared by all clients (the wall clock):
                // entity g beats at g/N of the period, so the N entities' beats are spread evenly.
                long phase = together ? 0 : (long) (from + i) * periodNs / n;
                Instant now = Instant.now();
                long epochNs = now.getEpochSecond() * 1_000_000_000L + now.getNano();
                long delay = Math.floorMod(phase - epochNs, periodNs);
                int k = i;
                synchronized (this) {
                    due[i] = System.nanoTime() + delay;
                }
                tasks[i] = beats.scheduleAtFixedRate(() -> beat(k), delay, periodNs, TimeUnit.NANOSECONDS);
            }
            out.printf(Locale.ROOT, "attached %d %d %.0f%n", ProcessHandle.current().pid(), count,
                    (System.nanoTime() - t0) / 1e6);
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                String[] w = line.trim().split("\\s+");
                switch (w[0]) {
                    case "report" -> {
                        synchronized (this) {
                            StringBuilder l = new StringBuilder();
                            for (long[] x : lates) {
                                l.append(l.length() == 0 ? "" : ",").append(x[0]).append(':').append(x[1]);
                            }
                            out.printf(Locale.ROOT, "report calls=%d sent=%d runs=%d lateMaxUs=%d over10ms=%d over50ms=%d"
                                    + " over100ms=%d lates=%s%n", calls, Heartbeat.sent(), runs, lateMaxNs / 1000, over10,
                                    over50, over100, l.length() == 0 ? "-" : l);
                            lates.clear();
                            runs = 0;
                            lateMaxNs = 0;
                            over10 = 0;
                            over50 = 0;
                            over100 = 0;
                        }
                    }
                    case "pause", "resume" -> {
                        for (int j = 1; j < w.length; j++) {
                            paused.set(index.get(w[j]), w[0].equals("pause") ? 1 : 0);
                        }
                        out.println("ok " + w[0]);
                    }
                    case "stop" -> {
                        // Detach while the others still beat (a detached entity is no longer judged).
                        long s0 = System.nanoTime();
                        int failed = 0;
                        long slowest = 0;
                        int slowestAt = 0;
                        for (int i = 0; i < count; i++) {
                            long d0 = System.nanoTime();
                            try {
                                Ham.detachSelf(handles[i], 0);
                                if (System.nanoTime() - d0 > slowest) {
                                    slowest = System.nanoTime() - d0;
                                    slowestAt = i;
                                }
                            } catch (HamException e) {
                                failed++;
                                System.err.println("client: detach of " + handles[i].name() + " failed: " + e.getMessage());
                            }
                            tasks[i].cancel(false);
                        }
                        beats.shutdownNow();
                        out.printf(Locale.ROOT, "stopped detached=%d failed=%d ms=%.0f slowest=%.1f at=%d%n",
                                count - failed, failed, (System.nanoTime() - s0) / 1e6, slowest / 1e6, slowestAt);
                        out.flush();
                        System.exit(0);
                    }
                    default -> out.println("error unknown command " + w[0]);
                }
                out.flush();
            }
            System.exit(1); // the coordinator went away
        }

        /** One beat of entity k (on the beat thread): never blocks (the library queues it for its sender). */
        void beat(int k) {
            long now = System.nanoTime();
            boolean on = paused.get(k) == 0;
            if (on) {
                handles[k].heartbeat();
            }
            synchronized (this) {
                long late = now - due[k];
                due[k] += periodNs;
                runs++;
                if (on) {
                    calls++;
                }
                if (late > lateMaxNs) {
                    lateMaxNs = late;
                }
                if (late > 10_000_000L) {
                    over10++;
                }
                if (late > 50_000_000L) {
                    over50++;
                    if (lates.size() < 500) {
                        lates.add(new long[] {System.currentTimeMillis(), late / 1000});
                    }
                }
                if (late > 100_000_000L) {
                    over100++;
                }
            }
        }
    }

    // ================================================================== the coordinator

    /**
     * A missed-heartbeat mark as the jham.condition notification told it: {@code firedMs} is the
     * notification's time stamp (the HAM's clock when the condition fired), {@code arrivedMs} this
     * process's clock when the listener got it (same machine, same wall clock).
     */
    record Miss(String entity, String event, long firedMs, long arrivedMs) {
    }

    /** One GC pause of the HAM, from its -Xlog:gc file: when it ended (epoch ms) and how long it took. */
    record Pause(long endMs, double ms, String what) {
    }

    /** One client JVM as the coordinator sees it. */
    static final class ClientProc {
        final int index;
        final int from;
        final int count;
        final Process process;
        final PrintWriter in;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        ClientProc(int index, int from, int count, Process process) {
            this.index = index;
            this.from = from;
            this.count = count;
            this.process = process;
            this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        lines.add(l);
                    }
                } catch (IOException e) {
                    // the client is gone; expect() reports it
                }
                lines.add("<eof>");
            }, "client-" + index + "-out");
            t.setDaemon(true);
            t.start();
        }

        long pid() {
            return process.pid();
        }

        void send(String cmd) {
            in.println(cmd);
        }

        /** The next line starting with {@code prefix}; other lines are echoed. */
        String expect(String prefix, long timeoutMs) throws InterruptedException {
            long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
            while (true) {
                long left = deadline - System.nanoTime();
                String l = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
                if (l == null) {
                    throw new IllegalStateException("client " + index + " (pid " + pid() + ") said no '" + prefix
                            + "' within " + timeoutMs + " ms");
                }
                if (l.equals("<eof>")) {
                    lines.add(l);
                    throw new IllegalStateException("client " + index + " (pid " + pid() + ") exited before '" + prefix
                            + "'");
                }
                if (l.startsWith(prefix)) {
                    return l;
                }
                System.out.println("client " + index + ": " + l);
            }
        }
    }

    /** A client's report line, parsed. */
    record Report(long calls, long sent, long runs, long lateMaxUs, long over10, long over50, long over100,
                  List<long[]> lates) {
        static Report parse(String line) {
            Map<String, Long> m = new HashMap<>();
            List<long[]> lates = new ArrayList<>();
            for (String kv : line.substring("report ".length()).split(" ")) {
                String[] p = kv.split("=", 2);
                if (p[0].equals("lates")) {
                    if (!p[1].equals("-")) {
                        for (String x : p[1].split(",")) {
                            String[] q = x.split(":");
                            lates.add(new long[] {Long.parseLong(q[0]), Long.parseLong(q[1])});
                        }
                    }
                    continue;
                }
                m.put(p[0], Long.parseLong(p[1]));
            }
            return new Report(m.get("calls"), m.get("sent"), m.get("runs"), m.get("lateMaxUs"), m.get("over10ms"),
                    m.get("over50ms"), m.get("over100ms"), lates);
        }
    }

    /** The HAM's live heap by jcmd GC.class_histogram; error is null when it worked. */
    record Histo(long total, long notifications, long bufferBytes, String error) {
    }

    /** What every entity's MBean said at one moment. */
    record Counts(long beats, long missedNow, int notOk, List<String> notOkNames, double readMs) {
    }

    /** CPU and load at one moment. */
    record Snap(long nanos, long statTotal, long statIdle, long hamTicks, long[] clientTicks, long selfTicks,
                Map<String, Long> hamThreads, Map<String, Long> client0Threads, long gcCount, long gcMs, long[] hamIo,
                long epochMs) {
    }

    static final class Coordinator {
        // options
        String url;
        long hamPid = -1;
        int n = 1000;
        int clients = 4;
        double rate = 10;
        int seconds = 60;
        int warmup = 10;
        int fail = 5;
        int failMs = 3000;
        boolean together;
        List<String> clientOpts = List.of("-XX:+UseSerialGC", "-Xmx256m");
        Path pidDir;
        Path csv;
        String label = "";
        long clkTck = 100;
        boolean stopHam;

        // state
        final List<String> problems = new ArrayList<>();
        final List<Miss> misses = new ArrayList<>();
        final List<String> lost = new ArrayList<>();
        /** Phase names and when each began (epoch ms): misses are told apart by their firing time. */
        final List<String> phaseNames = new ArrayList<>();
        final List<Long> phaseStarts = new ArrayList<>();
        Path hamGcLog;
        long hamStartMs;
        /** Client beats more than 50 ms late: {epoch ms, lateness µs}. */
        final List<long[]> clientLates = new ArrayList<>();
        /** The probe's calls: {epoch ms, round trip µs}; machine samples: {epoch ms, busy ‰ of all CPUs, procs_running}. */
        final List<long[]> probes = new ArrayList<>();
        final List<long[]> machine = new ArrayList<>();
        volatile boolean probing;
        double slowestDetach;
        /** Which of its client's detaches (0 = the first) was the slowest. */
        int slowestDetachAt;
        Thread prober;
        HamConnection conn;
        JMXConnector listenerConnector;
        MemoryMXBean hamMemory;
        final List<ClientProc> procs = new ArrayList<>();
        long hpNs;

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
                    case "--clients" -> clients = Integer.parseInt(v);
                    case "--rate" -> rate = Double.parseDouble(v);
                    case "--seconds" -> seconds = Integer.parseInt(v);
                    case "--warmup" -> warmup = Integer.parseInt(v);
                    case "--fail" -> fail = Integer.parseInt(v);
                    case "--fail-ms" -> failMs = Integer.parseInt(v);
                    case "--phases" -> {
                        if (!v.equals("spread") && !v.equals("together")) {
                            throw new IllegalArgumentException("--phases is spread or together, was " + v);
                        }
                        together = v.equals("together");
                    }
                    case "--client-opts" -> clientOpts = v.isBlank() ? List.of() : List.of(v.trim().split("\\s+"));
                    case "--pid-dir" -> pidDir = Path.of(v);
                    case "--csv" -> csv = Path.of(v);
                    case "--label" -> label = v;
                    case "--ham-gc-log" -> hamGcLog = Path.of(v);
                    case "--clk-tck" -> clkTck = Long.parseLong(v);
                    default -> throw new IllegalArgumentException("unknown option " + k);
                }
            }
            if (url == null || hamPid <= 0) {
                throw new IllegalArgumentException("--url and --ham-pid are required");
            }
            if (n < 1 || clients < 1 || clients > n || seconds < 1 || warmup < 0 || fail < 0 || fail > n || clkTck <= 0) {
                throw new IllegalArgumentException("need N >= 1, 1 <= K <= N, T >= 1, W >= 0, 0 <= F <= N");
            }
            // hp = 2/R: the guide's caveat (beats are accounted at period boundaries) asks for two
            // beats a period, so that no period can fall between two beats.
            hpNs = Math.round(2e9 / rate);
            if (hpNs < HamConstants.HAMHBEATMIN) {
                throw new IllegalArgumentException("the rate gives hp = " + hpNs + " ns, below HAMHBEATMIN ("
                        + HamConstants.HAMHBEATMIN + " ns)");
            }
            if (failMs < 4 * hpNs / 1_000_000L) {
                throw new IllegalArgumentException("--fail-ms must be at least 4 heartbeat periods (" + 4 * hpNs / 1_000_000L
                        + " ms): HIGH fires after 2 missed boundaries");
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
            hamMemory = ManagementFactory.newPlatformMXBeanProxy(conn.mbeanServer(), ManagementFactory.MEMORY_MXBEAN_NAME,
                    MemoryMXBean.class);
            long periodNs = Math.round(1e9 / rate);
            System.out.printf(Locale.ROOT, "HAM: pid %d, %s%n", hamPid, describeHamJvm());
            hamStartMs = ManagementFactory.newPlatformMXBeanProxy(conn.mbeanServer(), ManagementFactory.RUNTIME_MXBEAN_NAME,
                    RuntimeMXBean.class).getStartTime();
            System.out.printf(Locale.ROOT, "setup: N=%d self-attached entities in K=%d client JVMs (%s), beating at"
                    + " R=%s Hz each (every %.1f ms, phases %s), hp = 2/R = %.1f ms, hpdl=1, hpdh=2; warm-up %d s, then"
                    + " T=%d s measured; then %d entities stop beating for %d ms%n", n, clients, String.join(" ", clientOpts),
                    fmt(rate), periodNs / 1e6, together ? "together (every entity of a client at the same instant)"
                            : "spread evenly over the period across all N", hpNs / 1e6, warmup, seconds, fail, failMs);

            // Every missed-heartbeat mark of every entity fires a global condition: counted from
            // the jham.condition notifications, on a connection of its own that also tells lost ones.
            listen();
            EntityHandle global = Ham.entityHandle(url, null, 0);
            global.condition(HamConstants.CONDHBEATMISSEDLOW, LOW_COND, 0)
                    .actionLog("log", "missed heartbeats (LOW mark)", 1, LOG_VERBOSITY, 0);
            global.condition(HamConstants.CONDHBEATMISSEDHIGH, HIGH_COND, 0)
                    .actionLog("log", "missed heartbeats (HIGH mark)", 1, LOG_VERBOSITY, 0);
            System.out.printf(Locale.ROOT, "global conditions: /%s (CONDHBEATMISSEDLOW) and /%s (CONDHBEATMISSEDHIGH),"
                    + " each with a log action at verbosity %d (the HAM runs at -V0: nothing is written)%n",
                    LOW_COND, HIGH_COND, LOG_VERBOSITY);

            long heap0 = heapAfterGc();
            Histo live0 = histogram();
            int threads0 = hamThreads();

            // ---- the clients attach their entities and start beating each at once
            startProbe();
            phase("attach");
            long a0 = System.nanoTime();
            long hamTicksA = cpuTicks(hamPid);
            int from = 0;
            for (int k = 0; k < clients; k++) {
                int count = n / clients + (k < n % clients ? 1 : 0);
                procs.add(startClient(k, from, count));
                from += count;
            }
            for (ClientProc p : procs) {
                String l = p.expect("attached ", 300_000);
                System.out.println("client " + p.index + " (pid " + p.pid() + "): " + p.count + " entities "
                        + entityName(p.from) + ".." + entityName(p.from + p.count - 1) + " attached in "
                        + l.split(" ")[3] + " ms");
            }
            long hamTicksB = cpuTicks(hamPid);
            System.out.printf(Locale.ROOT, "all %d entities attached and beating after %.1f s; HAM CPU during the"
                    + " attaches %.2f s (%.2f ms per attach)%n", n, (System.nanoTime() - a0) / 1e9,
                    (hamTicksB - hamTicksA) / (double) clkTck, (hamTicksB - hamTicksA) * 1000.0 / clkTck / n);

            // ---- warm-up
            phase("warm-up");
            Thread.sleep(warmup * 1000L);
            reportAll(); // resets the clients' lateness window

            // ---- the measured window
            phase("measured");
            Counts c0 = readCounts();
            Report[] r0 = reportAll();
            Snap s0 = snap();
            long[] prevTicks = {s0.hamTicks(), sum(s0.clientTicks())};
            long prevSent = sent(r0);
            long prevNs = s0.nanos();
            long end = s0.nanos() + seconds * 1_000_000_000L;
            long lateMaxUs = 0;
            long over10 = 0;
            long over50 = 0;
            long over100 = 0;
            List<Double> othersPerStep = new ArrayList<>();
            long[] prevStat = {s0.statTotal(), s0.statIdle(), s0.hamTicks() + sum(s0.clientTicks()) + s0.selfTicks()};
            while (System.nanoTime() < end) {
                long step = Math.min(10_000_000_000L, end - System.nanoTime());
                Thread.sleep(Math.max(1, step / 1_000_000L));
                Report[] r = reportAll();
                long now = System.nanoTime();
                long hamT = cpuTicks(hamPid);
                long cliT = clientTicks();
                long[] st = procStat();
                long mine = hamT + cliT + cpuTicks(ProcessHandle.current().pid());
                double others = othersPct(prevStat, st, mine);
                othersPerStep.add(others);
                prevStat = new long[] {st[0], st[1], mine};
                long sentNow = sent(r);
                double secs = (now - prevNs) / 1e9;
                long stepLate = 0;
                for (Report x : r) {
                    stepLate = Math.max(stepLate, x.lateMaxUs());
                    over10 += x.over10();
                    over50 += x.over50();
                    over100 += x.over100();
                }
                lateMaxUs = Math.max(lateMaxUs, stepLate);
                System.out.printf(Locale.ROOT, "  t=%3.0f s: %6.0f beats/s delivered; HAM %5.1f%% of one CPU, clients"
                        + " %5.1f%%; other processes %4.1f%% of all CPUs; latest beat %.1f ms late; misses so far %d%n",
                        (now - s0.nanos()) / 1e9, (sentNow - prevSent) / secs,
                        100.0 * (hamT - prevTicks[0]) / clkTck / secs, 100.0 * (cliT - prevTicks[1]) / clkTck / secs,
                        others, stepLate / 1000.0, missCount());
                prevTicks = new long[] {hamT, cliT};
                prevSent = sentNow;
                prevNs = now;
            }
            Snap s1 = snap();
            Report[] r1 = reportAll();
            Counts c1 = readCounts();

            // ---- it can fail: a few entities stop beating, the others go on
            phase("fail-check");
            Map<String, Long> failStart = failCheck();

            // ---- the end state of every entity, with the clients still beating
            phase("final");
            Counts cf = readCounts();
            reportAll(); // the clients' late beats since the window

            // ---- the HAM's heap with N entities beating, after a full GC: a stop-the-world pause
            // the harness causes, last, and its misses told apart
            phase("forced-gc");
            Histo liveN = histogram();
            long heapN = hamMemory.getHeapMemoryUsage().getUsed();
            int threadsN = hamThreads();
            Thread.sleep(2000);
            phase("stop");
            stopClients();
            stopProbe();
            phase("after");

            // ---- figures
            double secs = (s1.nanos() - s0.nanos()) / 1e9;
            long hamBeats = c1.beats() - c0.beats();
            long sentBeats = sent(r1) - sent(r0);
            // the clients' count: exact at the two report instants; the HAM's sum is read entity by
            // entity over a few hundred ms (smeared), so it is the cross-check
            long beats = sentBeats;
            long calls = calls(r1) - calls(r0);
            long hamTicks = s1.hamTicks() - s0.hamTicks();
            long cliTicks = sum(s1.clientTicks()) - sum(s0.clientTicks());
            double hamCpu = hamTicks / (double) clkTck;
            double cliCpu = cliTicks / (double) clkTck;
            long total = s1.statTotal() - s0.statTotal();
            long busy = total - (s1.statIdle() - s0.statIdle());
            long selfT = s1.selfTicks() - s0.selfTicks();
            double othersPct = total > 0 ? Math.max(0, 100.0 * (busy - hamTicks - cliTicks - selfT) / total) : 0;
            double othersMax = othersPerStep.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            System.out.println();
            System.out.printf(Locale.ROOT, "measured window: %.1f s%n", secs);
            System.out.printf(Locale.ROOT, "  heartbeats delivered (the clients' Heartbeat.sent: acknowledged by the HAM):"
                    + " %d = %.0f/s (N*R = %.0f/s: %.2f%%); beats made (EntityHandle.heartbeat): %d%n", beats, beats / secs,
                    n * rate, 100.0 * beats / secs / (n * rate), calls);
            System.out.printf(Locale.ROOT, "  cross-check: the sum of the entities' HeartbeatCount rose by %d (%+.2f%%; each"
                    + " sum is read entity by entity, over %.0f ms at the start and %.0f ms at the end)%n", hamBeats,
                    100.0 * (hamBeats - beats) / beats, c0.readMs(), c1.readMs());
            System.out.printf(Locale.ROOT, "  HAM CPU: %.2f s = %.1f%% of one CPU = %.2f CPU s per million heartbeats"
                    + " (utime+stime of pid %d, CLK_TCK=%d)%n", hamCpu, 100 * hamCpu / secs, hamCpu / (beats / 1e6),
                    hamPid, clkTck);
            System.out.println("  HAM CPU by thread (% of one CPU): " + byThread(s0.hamThreads(), s1.hamThreads(),
                    secs / 100.0, 10));
            List<Pause> pauses = gcPauses();
            System.out.printf(Locale.ROOT, "  HAM GC over the window: %d collections, %d ms (GarbageCollectorMXBeans); pauses"
                    + " from its GC log: %s%n", s1.gcCount() - s0.gcCount(), s1.gcMs() - s0.gcMs(),
                    hamGcLog == null ? "no log" : pauseSummary(pauses, s0.epochMs(), s1.epochMs()));
            long rd = s1.hamIo()[0] - s0.hamIo()[0];
            long wr = s1.hamIo()[1] - s0.hamIo()[1];
            System.out.printf(Locale.ROOT, "  HAM system calls (/proc/<pid>/io): %.0f reads/s and %.0f writes/s = %.3f reads"
                    + " and %.3f writes per heartbeat (one heartbeats() call costs about one write: beats per call ~ %.1f)%n",
                    rd / secs, wr / secs, (double) rd / beats, (double) wr / beats, wr == 0 ? 0 : (double) beats / wr);
            System.out.println("  " + probeSummary(s0.epochMs(), s1.epochMs()));
            System.out.printf(Locale.ROOT, "  clients CPU: %.2f s in all = %.1f%% of one CPU = %.2f CPU s per million"
                    + " heartbeats (%d JVMs)%n", cliCpu, 100 * cliCpu / secs, cliCpu / (beats / 1e6), clients);
            System.out.println("  client 0 CPU by thread (% of one CPU): " + byThread(s0.client0Threads(),
                    s1.client0Threads(), secs / 100.0, 6));
            System.out.printf(Locale.ROOT, "  clients' beat lateness (scheduled instant -> the beat call): max %.1f ms;"
                    + " beats more than 10 / 50 / 100 ms late: %d / %d / %d%n", lateMaxUs / 1000.0, over10, over50, over100);
            System.out.printf(Locale.ROOT, "  other processes: %.1f%% of all CPUs over the window (max %.1f%% over a 10 s"
                    + " step)%s%n", othersPct, othersMax, othersPct >= 10 ? "  <- the figures are disturbed" : "");
            System.out.printf(Locale.ROOT, "  HAM heap used after a full GC (java.lang:type=Memory): %.1f MB with no entity,"
                    + " %.1f MB with %d beating; HAM threads %d -> %d%n", heap0 / 1e6, heapN / 1e6, n, threads0, threadsN);
            if (live0.error() == null && liveN.error() == null) {
                System.out.printf(Locale.ROOT, "  HAM live objects (jcmd GC.class_histogram): %.1f MB with no entity, %.1f MB"
                        + " with %d beating = %.1f KB per entity; of those, the JMXMP connector's notification buffer holds"
                        + " %d notifications (%.1f MB in Notification + its wrapper, more in their Strings and Longs)%n",
                        live0.total() / 1e6, liveN.total() / 1e6, n, (liveN.total() - live0.total()) / 1024.0 / n,
                        liveN.notifications(), liveN.bufferBytes() / 1e6);
            } else {
                System.out.println("  HAM live objects: " + (live0.error() != null ? live0.error() : liveN.error()));
            }

            int falseMisses = report(failStart, c1, cf, s0, pauses);
            appendCsv(secs, beats, hamCpu, cliCpu, live0.total(), liveN.total(), falseMisses, lateMaxUs, othersPct);

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
         * Stops the beats of {@code fail} entities spread over the clients for failMs, then resumes
         * them; returns when each stopped (epoch ms just before the pause was sent).
         */
        Map<String, Long> failCheck() throws Exception {
            Map<String, Long> started = new LinkedHashMap<>();
            if (fail == 0) {
                return started;
            }
            Map<ClientProc, List<String>> byClient = new LinkedHashMap<>();
            for (int j = 0; j < fail; j++) {
                int g = (int) (((long) j * n + n / 2) / fail);
                String name = entityName(g);
                for (ClientProc p : procs) {
                    if (g >= p.from && g < p.from + p.count) {
                        byClient.computeIfAbsent(p, x -> new ArrayList<>()).add(name);
                    }
                }
            }
            System.out.println();
            System.out.printf(Locale.ROOT, "it can fail: stopping the beats of %d entities for %d ms: %s%n", fail, failMs,
                    byClient.values());
            for (Map.Entry<ClientProc, List<String>> e : byClient.entrySet()) {
                long t = System.currentTimeMillis();
                e.getKey().send("pause " + String.join(" ", e.getValue()));
                e.getKey().expect("ok pause", 30_000);
                for (String name : e.getValue()) {
                    started.put(name, t);
                }
            }
            Thread.sleep(failMs);
            for (Map.Entry<ClientProc, List<String>> e : byClient.entrySet()) {
                e.getKey().send("resume " + String.join(" ", e.getValue()));
                e.getKey().expect("ok resume", 30_000);
            }
            // the resumed entities stay MISSEDHIGH (no heartbeat_healthy): nothing more may fire
            Thread.sleep(2000);
            return started;
        }

        /** Prints the misses and checks them; returns the false misses. */
        int report(Map<String, Long> failStart, Counts atWindowEnd, Counts fin, Snap s0, List<Pause> pauses)
                throws Exception {
            List<Miss> all;
            synchronized (misses) {
                all = new ArrayList<>(misses);
            }
            Map<String, Integer> byPhase = new LinkedHashMap<>();
            int falseMisses = 0;
            Map<String, List<Miss>> expected = new LinkedHashMap<>();
            List<Miss> falses = new ArrayList<>();
            List<Miss> forced = new ArrayList<>();
            long lagMax = 0;
            for (Miss m : all) {
                Long t = failStart.get(m.entity());
                String ph = phaseAt(m.firedMs());
                lagMax = Math.max(lagMax, m.arrivedMs() - m.firedMs());
                if (t != null && m.firedMs() >= t && (ph.equals("fail-check") || ph.equals("final"))) {
                    expected.computeIfAbsent(m.entity(), x -> new ArrayList<>()).add(m);
                } else if (ph.equals("forced-gc")) {
                    forced.add(m); // the harness's own full GC of the HAM

                } else {
                    falseMisses++;
                    falses.add(m);
                    byPhase.merge(ph, 1, Integer::sum);
                }
            }
            System.out.println();
            System.out.printf(Locale.ROOT, "false misses (a LOW/HIGH mark of an entity that was beating): %d%s%n",
                    falseMisses, falseMisses == 0 ? "" : " by phase (of the firing) " + byPhase);
            System.out.printf(Locale.ROOT, "  the jham.condition notifications reached the listener at most %d ms after"
                    + " the HAM fired them%n", lagMax);
            if (falseMisses > 0) {
                problem(falseMisses + " false misses (" + byPhase.getOrDefault("measured", 0) + " in the measured window)");
                bursts(falses, s0, pauses);
            }
            long gcFrom = phaseStart("forced-gc");
            long gcTo = phaseStart("stop");
            Pause full = pauses.stream().filter(x -> x.endMs() >= gcFrom && x.endMs() <= gcTo)
                    .max((a, b) -> Double.compare(a.ms(), b.ms())).orElse(null);
            System.out.printf(Locale.ROOT, "not counted: %d marks fired while the harness's forced full GC of the HAM"
                    + " (for its heap figure, after everything else) stopped it%s%n", forced.size(), full == null ? ""
                            : String.format(Locale.ROOT, " for %.1f ms (%s)", full.ms(), full.what()));
            // cross-checks: the HAM's trigger counts, the entities' states
            long low = conn.proxy(ConditionMXBean.class, ObjectNames.condition(ObjectNames.GLOBAL_ENTITY, LOW_COND))
                    .getTriggerCount();
            long high = conn.proxy(ConditionMXBean.class, ObjectNames.condition(ObjectNames.GLOBAL_ENTITY, HIGH_COND))
                    .getTriggerCount();
            System.out.printf(Locale.ROOT, "check: the global conditions fired %d (LOW) + %d (HIGH) times; notifications"
                    + " received: %d; lost notifications: %s%n", low, high, all.size(), lost.isEmpty() ? "none" : lost);
            if (low + high != all.size()) {
                problem("the HAM's trigger counts (" + (low + high) + ") differ from the notifications received ("
                        + all.size() + ")");
            }
            if (!lost.isEmpty() && low + high != all.size()) {
                problem("the listener lost notifications: " + lost);
            } else if (!lost.isEmpty()) {
                // the trigger counts say every jham.condition notification arrived: the gap the
                // connector reported held other notifications (jham.heartbeat, one per beat)
                System.out.println("note: the JMXMP connector's notification buffer turned over under the listener ("
                        + lost + "), yet no jham.condition notification was lost (trigger counts = received)");
            }
            System.out.printf(Locale.ROOT, "check: at the end of the measured window %d entities were not OK"
                    + " (HeartbeatState) and the sum of MissedHeartbeats was %d%s%n", atWindowEnd.notOk(),
                    atWindowEnd.missedNow(), atWindowEnd.notOk() == 0 ? "" : ": " + head(atWindowEnd.notOkNames()));
            if (atWindowEnd.notOk() != 0 || atWindowEnd.missedNow() != 0) {
                problem(atWindowEnd.notOk() + " entities not OK at the end of the measured window");
            }
            if (failStart.isEmpty()) {
                return falseMisses;
            }
            // it can fail: each stopped entity LOW then HIGH, once; nothing else
            List<Double> toLow = new ArrayList<>();
            List<Double> toHigh = new ArrayList<>();
            for (String e : failStart.keySet()) {
                List<Miss> ms = expected.getOrDefault(e, List.of());
                List<String> seen = ms.stream().map(Miss::event).toList();
                // each mark fires once per episode: one that fired falsely before is not due again
                List<String> due = new ArrayList<>(List.of("CONDHBEATMISSEDLOW", "CONDHBEATMISSEDHIGH"));
                for (Miss m : falses) {
                    if (m.entity().equals(e) && m.firedMs() < failStart.get(e)) {
                        due.remove(m.event());
                    }
                }
                if (!seen.equals(due)) {
                    problem("stopped entity " + e + ": expected " + due + ", saw " + seen);
                    continue;
                }
                for (Miss m : ms) {
                    (m.event().equals("CONDHBEATMISSEDLOW") ? toLow : toHigh).add((double) (m.firedMs() - failStart.get(e)));
                }
            }
            Set<String> notOk = new TreeSet<>(fin.notOkNames());
            String notOkText = notOk.size() <= 10 ? notOk.toString() : notOk.size() + " entities " + head(new ArrayList<>(notOk));
            System.out.printf(Locale.ROOT, "it can fail: %d stopped entities fired %d true misses (LOW then HIGH each:"
                    + " %s); stop -> LOW fired %s ms, stop -> HIGH fired %s ms (hp = %.0f ms: LOW is due 1-2 hp after the"
                    + " last beat, HIGH one hp later)%n", failStart.size(), expected.values().stream().mapToInt(List::size).sum(),
                    failStart.keySet().stream().allMatch(x -> expected.containsKey(x)) ? "yes" : "NO", range(toLow),
                    range(toHigh), hpNs / 1e6);
            System.out.printf(Locale.ROOT, "it can fail: entities not OK at the end: %s (expected exactly the stopped"
                    + " ones, MISSEDHIGH); sum of MissedHeartbeats %d (expected %d = %d x hpdh)%n", notOkText, fin.missedNow(),
                    2L * failStart.size(), failStart.size());
            if (falseMisses > 0) {
                System.out.println("it can fail: (the entities that missed falsely are not OK either: the two checks"
                        + " above need a run without false misses)");
            } else if (!notOk.equals(new TreeSet<>(failStart.keySet()))) {
                problem("entities not OK at the end (" + notOkText + ") differ from the stopped ones " + failStart.keySet());
            } else if (fin.missedNow() != 2L * failStart.size()) {
                problem("sum of MissedHeartbeats at the end is " + fin.missedNow() + ", expected " + 2L * failStart.size());
            }
            return falseMisses;
        }

        /**
         * Groups false misses that fired within 100 ms of each other and prints each group with
         * the HAM GC pause that ended last before it: a HAM that stops receiving for longer than
         * hp minus the beat interval judges boundaries whose beats are still in its sockets.
         */
        void bursts(List<Miss> falses, Snap s0, List<Pause> pauses) {
            List<Miss> f = new ArrayList<>(falses);
            f.sort((a, b) -> Long.compare(a.firedMs(), b.firedMs()));
            List<List<Miss>> groups = new ArrayList<>();
            for (Miss m : f) {
                List<Miss> last = groups.isEmpty() ? null : groups.get(groups.size() - 1);
                if (last != null && m.firedMs() - last.get(last.size() - 1).firedMs() <= 100) {
                    last.add(m);
                } else {
                    groups.add(new ArrayList<>(List.of(m)));
                }
            }
            System.out.printf(Locale.ROOT, "  they came in %d bursts (misses fired within 100 ms of each other); time from"
                    + " the start of the measured window, and what happened just before:%n", groups.size());
            int shown = 0;
            for (List<Miss> g : groups) {
                if (shown++ == 20) {
                    System.out.println("  ...");
                    break;
                }
                long t = g.get(0).firedMs();
                // the nearest pause: the log's clock (JVM start + uptime) may be some ms off the HAM's
                Pause before = null;
                for (Pause p : pauses) {
                    if (before == null || Math.abs(t - p.endMs()) < Math.abs(t - before.endMs())) {
                        before = p;
                    }
                }
                long low = g.stream().filter(m -> m.event().equals("CONDHBEATMISSEDLOW")).count();
                System.out.printf(Locale.ROOT, "    t=%7.3f s (%s): %d misses (%d LOW, %d HIGH) over %d ms; nearest HAM GC"
                        + " pause: %s%n      in the %d ms before: %s%n",
                        (t - s0.epochMs()) / 1000.0, phaseAt(t), g.size(), low, g.size() - low,
                        g.get(g.size() - 1).firedMs() - t, before == null ? "none"
                                : String.format(Locale.ROOT, "%.1f ms (%s), logged as ending %d ms before", before.ms(),
                                before.what(), t - before.endMs()), 3 * hpNs / 1_000_000L,
                        around(t - 3 * hpNs / 1_000_000L, t, pauses));
            }
        }

        /**
         * The HAM's GC pauses from its {@code -Xlog:gc:file=...:uptimemillis} log, in epoch ms (the
         * JVM's start time plus the uptime stamp, which is written as the pause ends).
         */
        List<Pause> gcPauses() {
            List<Pause> out = new ArrayList<>();
            if (hamGcLog == null || !Files.exists(hamGcLog)) {
                return out;
            }
            java.util.regex.Pattern p = java.util.regex.Pattern.compile(
                    "^\\[(\\d+)ms\\] GC\\(\\d+\\) (Pause [^(]*(?:\\([^)]*\\))?).* ([0-9.]+)ms$");
            try {
                for (String line : Files.readAllLines(hamGcLog, StandardCharsets.UTF_8)) {
                    java.util.regex.Matcher m = p.matcher(line);
                    if (m.matches()) {
                        out.add(new Pause(hamStartMs + Long.parseLong(m.group(1)), Double.parseDouble(m.group(3)),
                                m.group(2).trim()));
                    }
                }
            } catch (IOException e) {
                System.out.println("note: cannot read the HAM's GC log " + hamGcLog + ": " + e);
            }
            return out;
        }

        static String pauseSummary(List<Pause> pauses, long fromMs, long toMs) {
            List<Pause> in = pauses.stream().filter(x -> x.endMs() >= fromMs && x.endMs() <= toMs).toList();
            if (in.isEmpty()) {
                return "none logged";
            }
            double[] ms = in.stream().mapToDouble(Pause::ms).sorted().toArray();
            double total = Arrays.stream(ms).sum();
            long over50 = Arrays.stream(ms).filter(x -> x > 50).count();
            long over100 = Arrays.stream(ms).filter(x -> x > 100).count();
            return String.format(Locale.ROOT, "%d pauses, %.0f ms in all, median %.1f ms, max %.1f ms; over 50 ms: %d,"
                    + " over 100 ms: %d", ms.length, total, ms[ms.length / 2], ms[ms.length - 1], over50, over100);
        }

        static String range(List<Double> v) {
            if (v.isEmpty()) {
                return "-";
            }
            double lo = v.stream().mapToDouble(Double::doubleValue).min().getAsDouble();
            double hi = v.stream().mapToDouble(Double::doubleValue).max().getAsDouble();
            return String.format(Locale.ROOT, "%.0f..%.0f", lo, hi);
        }

        static String head(List<String> names) {
            return names.size() <= 10 ? names.toString() : names.subList(0, 10) + " ...";
        }

        // ------------------------------------------------------------------ the clients

        ClientProc startClient(int k, int from, int count) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> cmd = new ArrayList<>();
            cmd.add(java);
            cmd.addAll(clientOpts);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), HeartbeatScale.class.getName(), "--client",
                    "--url", url, "--from", Integer.toString(from), "--count", Integer.toString(count), "--n",
                    Integer.toString(n), "--rate", fmt(rate), "--hp-ns", Long.toString(hpNs), "--low", "1", "--high", "2",
                    "--phases", together ? "together" : "spread"));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (pidDir != null) {
                // run.sh's clean-up kills every pid named here that is still the same process
                Files.createDirectories(pidDir);
                Files.writeString(pidDir.resolve(Long.toString(p.pid())), startTime(p.pid()) + "\n",
                        StandardCharsets.US_ASCII);
            }
            return new ClientProc(k, from, count, p);
        }

        Report[] reportAll() throws InterruptedException {
            for (ClientProc p : procs) {
                p.send("report");
            }
            Report[] r = new Report[procs.size()];
            for (int i = 0; i < r.length; i++) {
                r[i] = Report.parse(procs.get(i).expect("report ", 30_000));
                synchronized (clientLates) {
                    clientLates.addAll(r[i].lates());
                }
            }
            return r;
        }

        static long sent(Report[] r) {
            return Arrays.stream(r).mapToLong(Report::sent).sum();
        }

        static long calls(Report[] r) {
            return Arrays.stream(r).mapToLong(Report::calls).sum();
        }

        void stopClients() throws InterruptedException {
            long t0 = System.nanoTime();
            for (ClientProc p : procs) {
                p.send("stop");
            }
            for (ClientProc p : procs) {
                String l = p.expect("stopped ", 300_000);
                if (!l.contains(" failed=0 ")) {
                    problem("client " + p.index + ": " + l);
                }
                String[] w = l.substring(l.indexOf("slowest=") + 8).split(" at=");
                if (Double.parseDouble(w[0]) > slowestDetach) {
                    slowestDetach = Double.parseDouble(w[0]);
                    slowestDetachAt = Integer.parseInt(w[1].trim());
                }
            }
            for (ClientProc p : procs) {
                if (!p.process.waitFor(30, TimeUnit.SECONDS)) {
                    problem("client " + p.index + " (pid " + p.pid() + ") did not exit after stop");
                }
            }
            int left = 0;
            try {
                left = conn.mbeanServer().queryNames(new ObjectName("jham:type=Entity,entity=hb*"), null).size();
            } catch (IOException | javax.management.MalformedObjectNameException e) {
                problem("cannot count the entities left: " + e);
            }
            System.out.printf(Locale.ROOT, "%nstop: the clients detached their %d entities in %.1f s (slowest detach %.1f ms,"
                    + " its client's detach #%d) and exited; entities left in the HAM: %d%n", n, (System.nanoTime() - t0) / 1e9,
                    slowestDetach, slowestDetachAt + 1, left);
            if (left != 0) {
                problem(left + " entities left after every client detached");
            }
        }

        long clientTicks() {
            long t = 0;
            for (ClientProc p : procs) {
                try {
                    t += cpuTicks(p.pid());
                } catch (IOException e) {
                    // exited: its CPU is no longer counted
                }
            }
            return t;
        }

        // ------------------------------------------------------------------ the HAM side

        void listen() throws Exception {
            listenerConnector = JMXConnectorFactory.connect(new JMXServiceURL(url), null);
            listenerConnector.addConnectionNotificationListener((n, h) -> {
                if (JMXConnectionNotification.NOTIFS_LOST.equals(n.getType())) {
                    synchronized (lost) {
                        lost.add(n.getMessage() + " (" + phaseAt(System.currentTimeMillis()) + ")");
                    }
                }
            }, null, null);
            NotificationFilterSupport f = new NotificationFilterSupport();
            f.enableType(ObjectNames.NOTIF_CONDITION);
            listenerConnector.getMBeanServerConnection().addNotificationListener(ObjectNames.HAM, this::onCondition, f, null);
        }

        void onCondition(Notification n, Object handback) {
            long t = System.currentTimeMillis();
            if (!(n.getUserData() instanceof CompositeData)) {
                return;
            }
            CompositeData cd = (CompositeData) n.getUserData();
            String event = (String) cd.get("event");
            if (!event.startsWith("CONDHBEATMISSED")) {
                return;
            }
            synchronized (misses) {
                misses.add(new Miss((String) cd.get("entity"), event, n.getTimeStamp(), t));
            }
        }

        void phase(String name) {
            synchronized (phaseNames) {
                phaseNames.add(name);
                phaseStarts.add(System.currentTimeMillis());
            }
        }

        /** When the phase began (epoch ms), or Long.MAX_VALUE. */
        long phaseStart(String name) {
            synchronized (phaseNames) {
                int i = phaseNames.indexOf(name);
                return i < 0 ? Long.MAX_VALUE : phaseStarts.get(i);
            }
        }

        /** The phase that was running at {@code epochMs}. */
        String phaseAt(long epochMs) {
            synchronized (phaseNames) {
                String p = "setup";
                for (int i = 0; i < phaseNames.size() && phaseStarts.get(i) <= epochMs; i++) {
                    p = phaseNames.get(i);
                }
                return p;
            }
        }

        /**
         * Every 20 ms a trivial call to the HAM (getHamPid: its JMXMP server threads' response time,
         * i.e. whether the HAM was stopped or starved), every 100 ms the machine's load
         * (/proc/stat: busy share of all CPUs, procs_running). ~50 calls/s, next to ~10,000 beats/s.
         */
        void startProbe() {
            probing = true;
            prober = new Thread(() -> {
                long[] prev = null;
                long next = System.nanoTime();
                for (int i = 0; probing; i++) {
                    try {
                        long t = System.currentTimeMillis();
                        long a = System.nanoTime();
                        conn.ham().getHamPid();
                        long rtt = (System.nanoTime() - a) / 1000;
                        synchronized (probes) {
                            probes.add(new long[] {t, rtt});
                        }
                        if (i % 5 == 0) {
                            long[] st = procStatRunning();
                            if (prev != null && st[0] > prev[0]) {
                                long busy = 1000 * ((st[0] - prev[0]) - (st[1] - prev[1])) / (st[0] - prev[0]);
                                synchronized (machine) {
                                    machine.add(new long[] {t, busy, st[2]});
                                }
                            }
                            prev = st;
                        }
                        next += 20_000_000L;
                        long left = next - System.nanoTime();
                        if (left > 0) {
                            Thread.sleep(left / 1_000_000L, (int) (left % 1_000_000L));
                        } else {
                            next = System.nanoTime();
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (IOException | RuntimeException e) {
                        if (probing) {
                            System.out.println("note: the probe failed: " + e);
                        }
                        return;
                    }
                }
            }, "probe");
            prober.setDaemon(true);
            prober.start();
        }

        void stopProbe() throws InterruptedException {
            probing = false;
            if (prober != null) {
                prober.join(5000);
            }
        }

        /** What the probes and client reports saw in [from, to] (epoch ms). */
        String around(long from, long to, List<Pause> pauses) {
            long lateMax = 0;
            int lateN = 0;
            synchronized (clientLates) {
                for (long[] x : clientLates) {
                    if (x[0] >= from && x[0] <= to) {
                        lateN++;
                        lateMax = Math.max(lateMax, x[1]);
                    }
                }
            }
            long rttMax = 0;
            synchronized (probes) {
                for (long[] x : probes) {
                    if (x[0] >= from && x[0] <= to) {
                        rttMax = Math.max(rttMax, x[1]);
                    }
                }
            }
            long busyMax = 0;
            long runMax = 0;
            synchronized (machine) {
                for (long[] x : machine) {
                    if (x[0] >= from && x[0] <= to) {
                        busyMax = Math.max(busyMax, x[1]);
                        runMax = Math.max(runMax, x[2]);
                    }
                }
            }
            double gcMax = 0;
            for (Pause p : pauses) {
                // a pause overlaps the interval
                if (p.endMs() >= from && p.endMs() - p.ms() <= to) {
                    gcMax = Math.max(gcMax, p.ms());
                }
            }
            return String.format(Locale.ROOT, "HAM GC pause max %.0f ms; HAM probe round trip max %.1f ms; client beats"
                    + " >50 ms late: %d (max %.0f ms); machine busy max %.0f%%, runnable max %d", gcMax, rttMax / 1000.0,
                    lateN, lateMax / 1000.0, busyMax / 10.0, runMax);
        }

        /** Percentiles of the probe's round trip (ms) and machine saturation over [from, to]. */
        String probeSummary(long from, long to) {
            long[] r;
            synchronized (probes) {
                r = probes.stream().filter(x -> x[0] >= from && x[0] <= to).mapToLong(x -> x[1]).sorted().toArray();
            }
            long sat;
            long all;
            long runMax;
            synchronized (machine) {
                sat = machine.stream().filter(x -> x[0] >= from && x[0] <= to && x[1] >= 950).count();
                all = machine.stream().filter(x -> x[0] >= from && x[0] <= to).count();
                runMax = machine.stream().filter(x -> x[0] >= from && x[0] <= to).mapToLong(x -> x[2]).max().orElse(0);
            }
            if (r.length == 0) {
                return "no probes";
            }
            return String.format(Locale.ROOT, "HAM probe round trip (getHamPid every 20 ms, N=%d): p50 %.2f  p99 %.2f  max %.1f"
                    + " ms; over 50 ms: %d; machine 100 ms samples at >= 95%% busy: %d of %d, runnable tasks max %d",
                    r.length, r[r.length / 2] / 1000.0, r[Math.min(r.length - 1, (int) Math.ceil(r.length * 0.99) - 1)] / 1000.0,
                    r[r.length - 1] / 1000.0, Arrays.stream(r).filter(x -> x > 50_000).count(), sat, all, runMax);
        }

        int missCount() {
            synchronized (misses) {
                return misses.size();
            }
        }

        /** Every entity's HeartbeatCount, MissedHeartbeats and HeartbeatState, one call each. */
        Counts readCounts() throws Exception {
            long t0 = System.nanoTime();
            MBeanServerConnection mbs = conn.mbeanServer();
            String[] attrs = {"HeartbeatCount", "MissedHeartbeats", "HeartbeatState"};
            long beats = 0;
            long missed = 0;
            List<String> notOk = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String name = entityName(i);
                AttributeList l = mbs.getAttributes(ObjectNames.entity(name), attrs);
                Map<String, Object> m = new HashMap<>();
                for (Attribute a : l.asList()) {
                    m.put(a.getName(), a.getValue());
                }
                if (m.size() != attrs.length) {
                    throw new IllegalStateException("entity " + name + " answered " + m.keySet());
                }
                beats += (Long) m.get("HeartbeatCount");
                missed += (Integer) m.get("MissedHeartbeats");
                if (!"OK".equals(m.get("HeartbeatState"))) {
                    notOk.add(name);
                }
            }
            return new Counts(beats, missed, notOk.size(), notOk, (System.nanoTime() - t0) / 1e6);
        }

        /**
         * The HAM's live objects by class ({@code jcmd <pid> GC.class_histogram}, which runs a full
         * GC first): the total, and how much of it is the JMXMP connector's notification buffer.
         */
        Histo histogram() {
            String jcmd = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd").toString();
            try {
                Process p = new ProcessBuilder(jcmd, Long.toString(hamPid), "GC.class_histogram")
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    return new Histo(0, 0, 0, "jcmd failed: " + out.lines().limit(3).toList());
                }
                long total = 0;
                long notif = 0;
                long named = 0;
                long count = 0;
                for (String l : out.split("\n")) {
                    String[] f = l.trim().split("\\s+");
                    if (f.length >= 3 && f[0].equals("Total")) {
                        total = Long.parseLong(f[2]);
                    } else if (f.length >= 4 && f[3].equals("javax.management.Notification")) {
                        notif = Long.parseLong(f[2]);
                        count = Long.parseLong(f[1]);
                    } else if (f.length >= 4 && f[3].endsWith("ArrayNotificationBuffer$NamedNotification")) {
                        named = Long.parseLong(f[2]);
                    }
                }
                return new Histo(total, count, notif + named, null);
            } catch (IOException | InterruptedException e) {
                return new Histo(0, 0, 0, "jcmd: " + e);
            }
        }

        long heapAfterGc() {
            hamMemory.gc();
            return hamMemory.getHeapMemoryUsage().getUsed();
        }

        int hamThreads() {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc/" + hamPid + "/task"))) {
                int k = 0;
                for (Path ignored : ds) {
                    k++;
                }
                return k;
            } catch (IOException e) {
                return -1;
            }
        }

        Snap snap() throws Exception {
            long[] st = procStat();
            long gcCount = 0;
            long gcMs = 0;
            MBeanServerConnection mbs = conn.mbeanServer();
            for (ObjectName on : mbs.queryNames(new ObjectName(ManagementFactory.GARBAGE_COLLECTOR_MXBEAN_DOMAIN_TYPE + ",*"),
                    null)) {
                GarbageCollectorMXBean gc = ManagementFactory.newPlatformMXBeanProxy(mbs, on.toString(),
                        GarbageCollectorMXBean.class);
                gcCount += gc.getCollectionCount();
                gcMs += gc.getCollectionTime();
            }
            long[] ct = new long[procs.size()];
            for (int i = 0; i < ct.length; i++) {
                ct[i] = cpuTicks(procs.get(i).pid());
            }
            return new Snap(System.nanoTime(), st[0], st[1], cpuTicks(hamPid), ct, cpuTicks(ProcessHandle.current().pid()),
                    threadNs(hamPid), threadNs(procs.get(0).pid()), gcCount, gcMs, procIo(hamPid), System.currentTimeMillis());
        }

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

        void appendCsv(double secs, long beats, double hamCpu, double cliCpu, long heap0, long heapN, int falseMisses,
                       long lateMaxUs, double others) throws IOException {
            if (csv == null) {
                return;
            }
            if (csv.getParent() != null) {
                Files.createDirectories(csv.getParent());
            }
            if (!Files.exists(csv)) {
                Files.writeString(csv, "when,label,n,clients,rate_hz,hp_ms,phases,seconds,beats,beats_per_s,ham_cpu_pct,"
                        + "ham_cpu_s_per_million,clients_cpu_pct,clients_cpu_s_per_million,live0_mb,liveN_mb,"
                        + "false_misses,late_max_ms,others_pct\n", StandardCharsets.US_ASCII);
            }
            String line = String.format(Locale.ROOT, "%s,%s,%d,%d,%s,%.0f,%s,%.1f,%d,%.0f,%.1f,%.2f,%.1f,%.2f,%.1f,%.1f,%d,"
                    + "%.1f,%.1f%n", Instant.now(), label.replace(',', ';'), n, clients, fmt(rate), hpNs / 1e6,
                    together ? "together" : "spread", secs, beats, beats / secs, 100 * hamCpu / secs, hamCpu / (beats / 1e6),
                    100 * cliCpu / secs, cliCpu / (beats / 1e6), heap0 / 1e6, heapN / 1e6, falseMisses, lateMaxUs / 1000.0,
                    others);
            Files.writeString(csv, line, StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
            System.out.println("CSV: appended to " + csv);
        }

        // ------------------------------------------------------------------ clean-up

        void tidyUp() {
            for (ClientProc p : procs) {
                if (p.process.isAlive()) {
                    p.process.destroyForcibly();
                }
            }
            if (listenerConnector != null) {
                try {
                    listenerConnector.close();
                } catch (IOException e) {
                    // going away anyway
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

        void problem(String msg) {
            problems.add(msg);
            System.out.println("PROBLEM: " + msg);
            System.out.flush();
        }
    }

    // ================================================================== /proc

    /** {total, idle} jiffies of all CPUs (/proc/stat; idle includes iowait). */
    static long[] procStat() throws IOException {
        String[] f = Files.readString(Path.of("/proc/stat"), StandardCharsets.US_ASCII).split("\n", 2)[0].trim()
                .split("\\s+");
        long total = 0;
        for (int k = 1; k <= 8 && k < f.length; k++) {
            total += Long.parseLong(f[k]);
        }
        return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    }

    /** {total, idle, procs_running} from /proc/stat. */
    static long[] procStatRunning() throws IOException {
        String all = Files.readString(Path.of("/proc/stat"), StandardCharsets.US_ASCII);
        String[] f = all.split("\n", 2)[0].trim().split("\\s+");
        long total = 0;
        for (int k = 1; k <= 8 && k < f.length; k++) {
            total += Long.parseLong(f[k]);
        }
        long running = 0;
        int i = all.indexOf("procs_running ");
        if (i >= 0) {
            int e = all.indexOf('\n', i);
            running = Long.parseLong(all.substring(i + "procs_running ".length(), e < 0 ? all.length() : e).trim());
        }
        return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5]), running};
    }

    /** Share of all CPUs (%) busy with processes other than ours ({@code mine} ticks) between two samples. */
    static double othersPct(long[] prev, long[] now, long mine) {
        long total = now[0] - prev[0];
        long busy = total - (now[1] - prev[1]);
        return total > 0 ? Math.max(0, 100.0 * (busy - (mine - prev[2])) / total) : 0;
    }

    static long cpuTicks(long pid) throws IOException {
        String s = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** {syscr, syscw} of a process (/proc/<pid>/io): read and write system calls so far. */
    static long[] procIo(long pid) {
        try {
            long r = 0;
            long w = 0;
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/io"), StandardCharsets.US_ASCII)) {
                if (l.startsWith("syscr:")) {
                    r = Long.parseLong(l.substring(6).trim());
                } else if (l.startsWith("syscw:")) {
                    w = Long.parseLong(l.substring(6).trim());
                }
            }
            return new long[] {r, w};
        } catch (IOException e) {
            return new long[] {0, 0};
        }
    }

    static String startTime(long pid) throws IOException {
        String s = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
        return s.substring(s.lastIndexOf(')') + 2).split(" ")[19];
    }

    /**
     * Run time (ns, /proc schedstat) of each live thread of a process, keyed "tid name" (the name
     * read now: the process may be gone when the figures are printed).
     */
    static Map<String, Long> threadNs(long pid) throws IOException {
        Map<String, Long> m = new HashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : ds) {
                try {
                    String st = Files.readString(t.resolve("schedstat"), StandardCharsets.US_ASCII).trim();
                    String name = Files.readString(t.resolve("comm"), StandardCharsets.UTF_8).trim();
                    m.put(t.getFileName() + " " + name, Long.parseLong(st.split(" ")[0]));
                } catch (NoSuchFileException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return m;
    }

    /** CPU by thread name (digits folded, so per-instance threads add up), per unit, the top few. */
    static String byThread(Map<String, Long> a, Map<String, Long> b, double per, int top) {
        Map<String, Long> byName = new HashMap<>();
        long all = 0;
        for (Map.Entry<String, Long> e : b.entrySet()) {
            long d = e.getValue() - a.getOrDefault(e.getKey(), 0L);
            all += d;
            String name = e.getKey().substring(e.getKey().indexOf(' ') + 1);
            byName.merge(name.replaceAll("[0-9]+", "N"), d, Long::sum);
        }
        StringBuilder sb = new StringBuilder();
        byName.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(top)
                .forEach(e -> sb.append(sb.length() == 0 ? "" : ", ")
                        .append(String.format(Locale.ROOT, "'%s' %.1f", e.getKey(), e.getValue() / 1e9 / per)));
        return sb.length() == 0 ? "(none)" : String.format(Locale.ROOT, "%s (all live threads %.1f)", sb,
                all / 1e9 / per);
    }

    static long sum(long[] v) {
        return Arrays.stream(v).sum();
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
