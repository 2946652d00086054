/*
 * Takeover.java - the harness of the takeover benchmark (Java 17 single-file source launch, run
 * by run.sh with ham-agent.jar on the class path; its manifest brings ham-mbeans and OpenDMK).
 *
 *   java -cp ham-agent/target/ham-agent.jar Takeover.java takeover --root DIR --tmp DIR
 *        [--entities 200] [--conditions 2] [--actions 2] [--kills 30] [--warmup 1] [--csv FILE]
 *   java -cp ... Takeover.java journal-jmx --root DIR --tmp DIR [--pairs 5000] [--ballast 0] [--fsync]
 *   java -cp ... Takeover.java journal-inproc --tmp DIR [--pairs 20000] [--ballast 0]
 *
 * takeover: bin/ham starts a HAM and its Guardian; the harness builds E entities (started by the
 * HAM: /bin/sleep with an argument of their own), each with C conditions of A actions, then K
 * times: waits until the current Guardian watches the HAM, kills the HAM with SIGKILL, and
 * measures from just before the kill until a fresh JMXMP connection to the same address gets the
 * full state back (HamPid = the Guardian's, NumEntities/NumConditions/NumActions as before the
 * kill, the last entity's MBean registered), polling every millisecond; and, in parallel, until
 * a call on a client-library connection opened before the kill returns (its transparent
 * reconnect). The Guardian's own stamps (wall clock) split the first figure: kill -> it holds the
 * state lock ("taking over"), -> "jHAM listening" (printed once it serves and has started its
 * own Guardian, so a little after the connector opens).
 *
 * journal-jmx: bin/ham (with --fsync or not); one client adds and removes a condition on a
 * placeholder through the client library, as fast as the HAM answers: mutations/s end to end.
 *
 * journal-inproc: the same calls made in-process on a HamServer's MBeans (no network), with the
 * journal off (StateLog.NONE), on (page cache), and on with fsync: the HAM's own cost per mutation.
 */

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.MBeanServerFactory;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.jham.ConditionHandle;
import org.jham.EntityHandle;
import org.jham.Ham;
import org.jham.HamConnection;
import org.jham.HamConstants;
import org.jham.agent.engine.StateLog;
import org.jham.agent.launch.HamOptions;
import org.jham.agent.launch.HamServer;
import org.jham.mbean.ConditionMXBean;
import org.jham.mbean.EntityMXBean;
import org.jham.mbean.HamMXBean;
import org.jham.mbean.ObjectNames;

public final class Takeover {
    static final List<java.util.logging.Logger> QUIET = List.of("javax.management.remote",
            "javax.management.remote.misc", "javax.management.remote.generic").stream()
            .map(java.util.logging.Logger::getLogger).toList();

    private final Map<String, String> opt = new HashMap<>();
    private final List<String> flags = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        for (java.util.logging.Logger l : QUIET) {
            l.setLevel(java.util.logging.Level.OFF); // OpenDMK logs each connection a kill breaks
        }
        Takeover t = new Takeover();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--fsync")) {
                t.flags.add(args[i]);
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                t.opt.put(args[i].substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("bad argument " + args[i]);
            }
        }
        switch (args.length == 0 ? "" : args[0]) {
            case "takeover" -> t.takeover();
            case "journal-jmx" -> t.journalJmx();
            case "journal-inproc" -> t.journalInProcess();
            default -> throw new IllegalArgumentException("usage: Takeover takeover|journal-jmx|journal-inproc ...");
        }
        System.exit(0);
    }

    private int num(String k, int d) {
        return opt.containsKey(k) ? Integer.parseInt(opt.get(k)) : d;
    }

    private Path path(String k) {
        String v = opt.get(k);
        if (v == null) {
            throw new IllegalArgumentException("--" + k + " is required");
        }
        return Path.of(v);
    }

    static void say(String fmt, Object... args) {
        System.out.printf(Locale.ROOT, "[takeover] " + fmt + "%n", args);
        System.out.flush();
    }

    // ------------------------------------------------------------------ a HAM started by bin/ham

    /** A HAM as bin/ham starts it; its pids are written where run.sh's clean-up finds them. */
    record BinHam(Path state, String node, String url) {
        static BinHam start(Path root, Path state, String... extra) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of(root.resolve("bin/ham").toString(), "--port", "0", "--state-dir",
                    state.toString(), "--fresh", "-V1", "-t", "absolute"));
            cmd.addAll(List.of(extra));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("bin/ham did not start: " + out);
            }
            Matcher m = Pattern.compile("jHAM listening on (service:jmx:jmxmp://(127\\.0\\.0\\.1:\\d+))").matcher(out);
            if (!m.find()) {
                throw new IllegalStateException("bin/ham printed no address: " + out);
            }
            return new BinHam(state, m.group(2), m.group(1));
        }

        long pidFile(String name) {
            try {
                return Long.parseLong(Files.readString(state.resolve(name)).trim());
            } catch (IOException | NumberFormatException e) {
                return -1;
            }
        }

        /** Stops the Guardian first, then the HAM (ham_stop); monitored processes keep running. */
        void stop() {
            try {
                Ham.stop(node, true);
            } catch (RuntimeException e) {
                say("stop: %s", e);
            }
            for (String f : List.of("guardian.pid", "ham.pid")) {
                long pid = pidFile(f);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (pid > 0 && alive(pid) && System.nanoTime() < deadline) {
                    pause(20);
                }
            }
        }
    }

    static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ').trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** Field 22 of /proc/PID/stat, to tell a process from a later one with its pid. */
    static String startTime(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return s.substring(s.lastIndexOf(')') + 2).split(" ")[19];
        } catch (IOException | RuntimeException e) {
            return "gone";
        }
    }

    static double pct(double[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }

    static String summary(List<Double> ms) {
        double[] s = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format(Locale.ROOT, "p50 %7.1f  p90 %7.1f  p99 %7.1f  max %7.1f ms  (n=%d)", pct(s, 50), pct(s, 90),
                pct(s, 99), s[s.length - 1], s.length);
    }

    // ------------------------------------------------------------------ takeover

    void takeover() throws Exception {
        Path root = path("root");
        Path tmp = path("tmp");
        int entities = num("entities", 200);
        int conditions = num("conditions", 2);
        int actions = num("actions", 2);
        int kills = num("kills", 30);
        int warmup = num("warmup", 1);
        BinHam ham = BinHam.start(root, tmp.resolve("state"));
        Files.writeString(tmp.resolve("url"), ham.url + "\n");
        say("HAM at %s (pid %d), Guardian pid %d", ham.url, ham.pidFile("ham.pid"), ham.pidFile("guardian.pid"));
        HamConnection conn = Ham.connect(ham.node);
        long base = 700_000_000L + (ProcessHandle.current().pid() % 10_000) * 10_000L;
        Map<String, Long> pids = new HashMap<>();
        List<Double> full = new ArrayList<>();
        List<Double> library = new ArrayList<>();
        List<Double> toLock = new ArrayList<>();
        List<Double> toServe = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < entities; i++) {
                String name = "e" + i;
                String line = "/bin/sleep " + (base + i);
                EntityHandle e = Ham.attach(name, ham.node, -1, line, 0);
                for (int c = 0; c < conditions; c++) {
                    ConditionHandle ch = c == 0 ? e.condition(HamConstants.CONDDEATH, "death", HamConstants.HREARMAFTERRESTART)
                            : e.conditionRaise("alarm" + c, 7, 1, 0, 0);
                    for (int a = 0; a < actions; a++) {
                        if (c == 0 && a == 0) {
                            ch.actionRestart("restart", line, HamConstants.HREARMAFTERRESTART);
                        } else {
                            ch.actionLog("log" + a, name + " " + ch.name(), 1, 1, HamConstants.HREARMAFTERRESTART);
                        }
                    }
                }
                long pid = e.pid();
                pids.put(name, pid);
                Files.writeString(tmp.resolve("pids").resolve(Long.toString(pid)), startTime(pid) + "\n");
            }
            HamMXBean h = conn.ham();
            int ne = h.getNumEntities();
            int nc = h.getNumConditions();
            int na = h.getNumActions();
            String last = "e" + (entities - 1);
            say("tree built in %.1f s: %d entities, %d conditions, %d actions (each entity a /bin/sleep the HAM started)",
                    (System.nanoTime() - t0) / 1e9, ne, nc, na);
            long journal;
            try (var s = Files.list(ham.state.resolve("journal"))) {
                journal = s.mapToLong(p -> p.toFile().length()).sum();
            }
            say("journal: %d bytes", journal);

            Path guardianOut = ham.state.resolve("guardian.out");
            for (int k = 0; k < warmup + kills; k++) {
                long hamPid = h.getHamPid();
                long guardian = h.getGuardianPid();
                // The Guardian is ready once its watch saw the HAM answer (it waits on the lock by then).
                String ready = "HAM pid " + hamPid + " at " + ham.node + ": answering";
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!Files.readString(guardianOut).contains(ready)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Guardian " + guardian + " not ready within 60 s");
                    }
                    pause(10);
                }
                pause(200); // let the new HAM and its Guardian settle (not measured)
                if (!cmdline(hamPid).contains("org.jham.agent.")) {
                    throw new IllegalStateException("pid " + hamPid + " is not a HAM: " + cmdline(hamPid));
                }
                int outLines = Files.readAllLines(guardianOut).size();
                CompletableFuture<Long> raw = new CompletableFuture<>();
                CompletableFuture<Long> lib = new CompletableFuture<>();
                LocalTime wall = LocalTime.now();
                long kill = System.nanoTime();
                ProcessHandle.of(hamPid).ifPresent(ProcessHandle::destroyForcibly);
                Thread rawThread = new Thread(() -> pollFresh(ham.url, guardian, ne, nc, na, last, raw));
                Thread libThread = new Thread(() -> {
                    try {
                        int n = h.getNumEntities(); // fails on the dead connection, reconnects, retries
                        lib.complete(n == ne ? System.nanoTime() : -1L);
                    } catch (RuntimeException e) {
                        lib.completeExceptionally(e);
                    }
                });
                int rec0 = conn.recoveries();
                rawThread.start();
                libThread.start();
                long brokenAt = -1;
                long recoveredAt = -1;
                while (!lib.isDone()) {
                    if (brokenAt < 0 && conn.isBroken()) {
                        brokenAt = System.nanoTime();
                    }
                    if (recoveredAt < 0 && conn.recoveries() != rec0) {
                        recoveredAt = System.nanoTime();
                    }
                    pause(1);
                }
                long fullAt = raw.get(120, TimeUnit.SECONDS);
                long libAt = lib.get(120, TimeUnit.SECONDS);
                if (libAt < 0) {
                    throw new IllegalStateException("the library's call after the takeover saw another tree");
                }
                double[] g = guardianStamps(guardianOut, outLines, wall);
                String tag = k < warmup ? "warm-up" : "kill " + (k - warmup + 1);
                double fullMs = (fullAt - kill) / 1e6;
                double libMs = (libAt - kill) / 1e6;
                say("%-8s HAM %d -> %d: full state on a fresh connection %.1f ms (state lock %.1f, Guardian says listening %.1f);"
                        + " library call %.1f ms (connection seen broken %.1f, reopened %.1f)", tag, hamPid, guardian, fullMs,
                        g[0], g[1], libMs, (brokenAt - kill) / 1e6, (recoveredAt - kill) / 1e6);
                if (k >= warmup) {
                    full.add(fullMs);
                    library.add(libMs);
                    toLock.add(g[0]);
                    toServe.add(g[1]);
                    if (opt.containsKey("csv")) {
                        Files.writeString(Path.of(opt.get("csv")), String.format(Locale.ROOT, "%d,%d,%.3f,%.3f,%.3f,%.3f%n",
                                entities, k - warmup + 1, fullMs, g[0], g[1], libMs),
                                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                    }
                }
            }
            // Every process was adopted, none restarted: the state came back whole each time.
            int restarted = 0;
            for (Map.Entry<String, Long> en : pids.entrySet()) {
                EntityMXBean e = conn.proxy(EntityMXBean.class, ObjectNames.entity(en.getKey()));
                if (e.getEntityPid() != en.getValue() || e.getNumRestarts() != 0) {
                    restarted++;
                }
            }
            say("after %d takeovers: Ham Failures %d; %d of %d entities kept their pid and 0 restarts", warmup + kills,
                    h.getHamFailures(), entities - restarted, entities);
            System.out.println();
            say("kill -9 -> full state on a fresh JMXMP connection : %s", summary(full));
            say("kill -9 -> the Guardian holds the state lock       : %s", summary(toLock));
            say("kill -9 -> the Guardian prints 'jHAM listening'    : %s", summary(toServe));
            say("kill -9 -> a library call on the old connection   : %s", summary(library));
            if (restarted != 0 || h.getHamFailures() != warmup + kills) {
                throw new IllegalStateException("the state did not come back whole");
            }
        } finally {
            try {
                conn.close();
            } catch (RuntimeException e) {
                // the HAM went away
            }
            ham.stop();
            for (int i = 0; i < entities; i++) {
                Long pid = pids.get("e" + i);
                if (pid != null && cmdline(pid).equals("/bin/sleep " + (base + i))) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
    }

    /** Polls the address with fresh connections until it serves the full state from {@code pid}. */
    static void pollFresh(String url, long pid, int ne, int nc, int na, String last, CompletableFuture<Long> done) {
        Map<String, Object> env = new HashMap<>();
        env.put("jmx.remote.x.request.timeout", 5_000L);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(url), env)) {
                MBeanServerConnection s = c.getMBeanServerConnection();
                HamMXBean h = JMX.newMXBeanProxy(s, ObjectNames.HAM, HamMXBean.class);
                if (h.getHamPid() == pid && h.getNumEntities() == ne && h.getNumConditions() == nc
                        && h.getNumActions() == na && s.isRegistered(ObjectNames.entity(last))) {
                    done.complete(System.nanoTime());
                    return;
                }
            } catch (IOException | RuntimeException e) {
                // not serving yet
            }
            pause(1);
        }
        done.completeExceptionally(new IllegalStateException("no full state within 120 s"));
    }

    /**
     * From the Guardian's lines written after the kill: ms from the kill (wall clock) to "taking
     * over" (it holds the state lock) and to "jHAM listening" (restored and serving).
     */
    static double[] guardianStamps(Path out, int skip, LocalTime kill) throws IOException {
        double lock = Double.NaN;
        double serve = Double.NaN;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Double.isNaN(serve) && System.nanoTime() < deadline) {
            List<String> lines = Files.readAllLines(out);
            for (String l : lines.subList(Math.min(skip, lines.size()), lines.size())) {
                int sp = l.indexOf(' ');
                if (sp < 0) {
                    continue;
                }
                double ms;
                try {
                    ms = ChronoUnit.NANOS.between(kill, LocalTime.parse(l.substring(0, sp))) / 1e6;
                } catch (RuntimeException e) {
                    continue;
                }
                if (l.contains(": taking over") && Double.isNaN(lock)) {
                    lock = ms;
                } else if (l.contains("jHAM listening on") && Double.isNaN(serve)) {
                    serve = ms;
                }
            }
            if (Double.isNaN(serve)) {
                pause(5);
            }
        }
        return new double[] {lock, serve};
    }

    // ------------------------------------------------------------------ the journal's cost

    void journalJmx() throws Exception {
        Path root = path("root");
        Path tmp = path("tmp");
        int pairs = num("pairs", 5000);
        int ballast = num("ballast", 0);
        boolean fsync = flags.contains("--fsync");
        BinHam ham = fsync ? BinHam.start(root, tmp.resolve("state-jmx-fsync"), "--fsync")
                : BinHam.start(root, tmp.resolve("state-jmx"));
        Files.writeString(tmp.resolve("url"), ham.url + "\n");
        HamConnection conn = Ham.connect(ham.node);
        try {
            EntityHandle e = Ham.entity("bench", ham.node, 0);
            addBallast(e, ballast);
            int warm = Math.max(500, pairs / 5);
            for (int i = 0; i < warm; i++) {
                e.condition(HamConstants.CONDDEATH, "c", 0).remove(0);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < pairs; i++) {
                e.condition(HamConstants.CONDDEATH, "c", 0).remove(0);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            say("over JMXMP, one client, %s%s: %d mutations in %.2f s = %.0f mutations/s, %.0f us each",
                    fsync ? "--fsync" : "no fsync", ballast > 0 ? ", entity image of " + ballast + " conditions" : "",
                    2 * pairs, s, 2 * pairs / s, s * 1e6 / (2 * pairs));
        } finally {
            conn.close();
            ham.stop();
        }
    }

    /** {@code n} conditions of two log actions each on the entity: every mutation rewrites its whole image. */
    static void addBallast(EntityHandle e, int n) {
        for (int i = 0; i < n; i++) {
            ConditionHandle c = e.conditionRaise("ballast" + i, 7, 1, 0, 0);
            c.actionLog("a", "ballast", 1, 1, 0);
            c.actionLog("b", "ballast", 1, 1, 0);
        }
    }

    void journalInProcess() throws Exception {
        Path tmp = path("tmp");
        int pairs = num("pairs", 20000);
        int ballast = num("ballast", 0);
        String[][] variants = {{"journal off (StateLog.NONE)", "off"}, {"journal, page cache", "on"},
            {"journal, --fsync", "fsync"}};
        // Interleaved rounds, so that drift on this shared machine touches every variant alike.
        Map<String, List<Double>> us = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            for (String[] v : variants) {
                List<String> args = new ArrayList<>(List.of("--port=0", "--bind=127.0.0.1", "--no-guardian", "--fresh", "-d",
                        "--state-dir=" + tmp.resolve("inproc-" + v[1])));
                if (v[1].equals("fsync")) {
                    args.add("--fsync");
                }
                MBeanServer mbs = MBeanServerFactory.newMBeanServer();
                HamServer server = HamServer.start(HamOptions.parse(args.toArray(new String[0])), mbs,
                        HamServer.GuardianLink.NONE, () -> { });
                try {
                    if (v[1].equals("off")) {
                        server.engine().setStateLog(StateLog.NONE);
                    }
                    JMX.newMXBeanProxy(mbs, ObjectNames.HAM, HamMXBean.class).entity("bench", "0");
                    EntityMXBean e = JMX.newMXBeanProxy(mbs, ObjectNames.entity("bench"), EntityMXBean.class);
                    for (int i = 0; i < ballast; i++) {
                        e.conditionRaise("ballast" + i, 7, 1, 0, "0");
                        var c = JMX.newMXBeanProxy(mbs, ObjectNames.condition("bench", "ballast" + i), ConditionMXBean.class);
                        c.actionLog("a", "ballast", 1, 1, "0");
                        c.actionLog("b", "ballast", 1, 1, "0");
                    }
                    ConditionMXBean c = JMX.newMXBeanProxy(mbs, ObjectNames.condition("bench", "c"), ConditionMXBean.class);
                    int n = v[1].equals("fsync") ? Math.max(1000, pairs / 10) : pairs;
                    for (int i = 0; i < n / 4; i++) {
                        e.condition("CONDDEATH", "c", "0");
                        c.remove("0");
                    }
                    long t0 = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        e.condition("CONDDEATH", "c", "0");
                        c.remove("0");
                    }
                    double each = (System.nanoTime() - t0) / 1e3 / (2 * n);
                    us.computeIfAbsent(v[0], k -> new ArrayList<>()).add(each);
                } finally {
                    server.stop(true);
                }
            }
        }
        double off = us.get(variants[0][0]).stream().sorted().toList().get(1);
        for (String[] v : variants) {
            double med = us.get(v[0]).stream().sorted().toList().get(1);
            say("in-process, %-28s: %7.1f us per mutation (median of 3 rounds %s)%s", v[0], med, us.get(v[0]).stream()
                    .map(x -> String.format(Locale.ROOT, "%.1f", x)).toList(),
                    v[1].equals("off") ? "" : String.format(Locale.ROOT, "; the journal adds %.1f us", med - off));
        }
    }
}
