package org.jham.agent.testing;

import static org.jham.HamConstants.CONDDEATH;
import static org.jham.HamConstants.CONDRAISE;
import static org.jham.HamConstants.HACTIONKEEPONFAIL;
import static org.jham.HamConstants.HADDFLAGS;
import static org.jham.HamConstants.HDISABLE;
import static org.jham.HamConstants.HENABLE;
import static org.jham.HamConstants.HREARMAFTERRESTART;
import static org.jham.HamConstants.HREMOVEFLAGS;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jham.ActionHandle;
import org.jham.ConditionHandle;
import org.jham.EntityHandle;
import org.jham.Errno;
import org.jham.Ham;
import org.jham.HamConnection;
import org.jham.HamException;
import org.jham.mbean.ActionMXBean;
import org.jham.mbean.ConditionMXBean;
import org.jham.mbean.EntityMXBean;
import org.jham.mbean.ObjectNames;

/**
 * The chaos run of the Guardian: {@link GuardianChaosIT} (small N) and {@code bench/takeover}
 * (large N, through {@link #main}). A HAM started by {@code bin/ham} is killed with SIGKILL round
 * after round while client threads change the tree through the client library (relying on its
 * reconnect) and the HAM's supervised processes are killed around the HAM's death. The
 * {@link Result} says what a user could check afterwards; the caller judges it.
 */
public final class Chaos {
    private Chaos() {
    }

    /** How a round kills the HAM and a supervised process; round r uses {@code values()[r % 4]}. */
    public enum Round {
        /** The service dies and its restart is seen, then the HAM is killed. */
        CALM,
        /** The Guardian is held (SIGSTOP) while the HAM is killed and the service dies: a death in the gap. */
        GAP,
        /** The service, then at once the HAM: the restart may be under way when the HAM dies. */
        SERVICE_THEN_HAM,
        /** The HAM, then at once the service: the death races the spawner going away and the takeover. */
        HAM_THEN_SERVICE
    }

    /** One supervised service at the end: its kills, the HAM's count of its restarts, its pid, the instances found. */
    public record Service(String name, int kills, int numRestarts, long pid, List<Long> instances) {
    }

    /**
     * What the run saw: Ham Failures, the services, the problems the clients' records found in
     * the final tree, the clients' counts, the reconnects of the client library, and the
     * time from each kill of the HAM to the first answer of its successor (ms; not for the rounds
     * that hold the Guardian). Ham Failures is read twice: over JMX and as {@code hamctrl cat
     * .info} shows it.
     */
    public record Result(int hamKills, int hamFailures, long hamctrlHamFailures, List<Service> services,
                         List<String> problems, Map<String, Integer> counts, int reconnects, List<Double> takeoverMs) {
    }

    /**
     * Runs {@code hamKills} rounds against {@code ham} (whose Guardian is on), with {@code services}
     * supervised {@code /bin/sleep} processes and {@code mutators} client threads; {@code progress}
     * acknowledged changes are waited for between two kills. Closes {@code ham} (Guardian first,
     * so none takes over), then kills every instance of the services, so that no HAM restarts one.
     */
    public static Result run(GuardedHam ham, int hamKills, int serviceCount, int mutatorCount, int progress,
                             Random rnd, PrintStream out) throws InterruptedException {
        String oldWindow = System.getProperty(HamConnection.RECONNECT_PROPERTY);
        // A takeover on a loaded 2-core machine can take seconds: give the clients room.
        System.setProperty(HamConnection.RECONNECT_PROPERTY, "60000");
        Services services = new Services(serviceCount, rnd);
        List<Mutator> mutators = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        HamConnection c;
        try {
            c = Ham.connect(ham.node);
        } catch (RuntimeException e) {
            ham.close();
            throw e;
        }
        try {
            for (int i = 0; i < serviceCount; i++) {
                String line = services.line(i);
                Ham.attach(services.name(i), ham.node, -1, line, 0).condition(CONDDEATH, "death", HREARMAFTERRESTART)
                        .actionRestart("restart", line, HREARMAFTERRESTART);
            }
            Map<String, Integer> kills = new HashMap<>();
            Set<Long> killed = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < mutatorCount; i++) {
                Mutator m = new Mutator(ham.node, "m" + i + "-", new Random(rnd.nextLong()));
                mutators.add(m);
                Thread t = new Thread(m, "chaos-mutator-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
            List<Double> takeovers = new ArrayList<>();
            for (int round = 0; round < hamKills; round++) {
                Round how = Round.values()[round % Round.values().length];
                String victim = services.name(rnd.nextInt(serviceCount));
                long guardian = awaitGuardian(c, 0);
                long hamPid = c.ham().getHamPid();
                awaitProgress(mutators, progress);
                long before = awaitServicePid(c, services, victim, killed);
                long t0;
                switch (how) {
                    case CALM -> {
                        killService(services, victim, before, killed, kills);
                        awaitServicePid(c, services, victim, killed);
                        t0 = killHam(hamPid);
                    }
                    case GAP -> {
                        signal("STOP", guardian);
                        try {
                            t0 = killHam(hamPid);
                            GuardedHam.awaitGone(hamPid);
                            killService(services, victim, before, killed, kills);
                            GuardedHam.awaitGone(before);
                        } finally {
                            signal("CONT", guardian);
                        }
                    }
                    case SERVICE_THEN_HAM -> {
                        killService(services, victim, before, killed, kills);
                        t0 = killHam(hamPid);
                    }
                    default -> {
                        t0 = killHam(hamPid);
                        killService(services, victim, before, killed, kills);
                    }
                }
                Await.until("the Guardian " + guardian + " to answer as the HAM", Duration.ofSeconds(90), () -> {
                    if (!GuardedHam.alive(guardian)) {
                        throw new AssertionError("the Guardian " + guardian + " died; guardian.out ends:\n"
                                + tail(ham.state.resolve("guardian.out"), 10));
                    }
                    return c.ham().getHamPid() == guardian;
                });
                double ms = (System.nanoTime() - t0) / 1e6;
                if (how != Round.GAP) {
                    takeovers.add(ms);
                }
                out.printf("round %d (%s): killed HAM %d and %s pid %d; Guardian %d answered after %.0f ms%s%n", round,
                        how, hamPid, victim, before, guardian, ms, how == Round.GAP ? " (held while the service died)" : "");
            }

            awaitGuardian(c, 0);
            for (Mutator m : mutators) {
                m.stop();
            }
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(120).toMillis());
                if (t.isAlive()) {
                    throw new AssertionError(t.getName() + " did not stop");
                }
            }
            // The restarts of the last round may still be under way: wait until each service
            // has been restarted once per kill (or give up and report what is there).
            for (int i = 0; i < serviceCount; i++) {
                String name = services.name(i);
                int expected = kills.getOrDefault(name, 0);
                EntityMXBean e = c.proxy(EntityMXBean.class, ObjectNames.entity(name));
                try {
                    Await.until(name + " restarted " + expected + " times", Duration.ofSeconds(30),
                            () -> e.getNumRestarts() >= expected && GuardedHam.alive(e.getEntityPid())
                                    && !killed.contains(e.getEntityPid()));
                } catch (AssertionError timedOut) {
                    out.println(timedOut.getMessage());
                }
            }
            Map<String, List<Long>> running = services.running();
            List<Service> svc = new ArrayList<>();
            for (int i = 0; i < serviceCount; i++) {
                String name = services.name(i);
                EntityMXBean e = c.proxy(EntityMXBean.class, ObjectNames.entity(name));
                svc.add(new Service(name, kills.getOrDefault(name, 0), e.getNumRestarts(), e.getEntityPid(),
                        running.getOrDefault(name, List.of())));
            }
            List<String> problems = new ArrayList<>();
            Map<String, Integer> counts = new TreeMap<>();
            for (Mutator m : mutators) {
                problems.addAll(m.check(Tree.read(c, m.prefix)));
                m.counts().forEach((k, v) -> counts.merge(k, v, Integer::sum));
            }
            return new Result(hamKills, c.ham().getHamFailures(), ham.numberField(".info", "Ham Failures"), svc, problems,
                    counts, c.recoveries(), takeovers);
        } finally {
            for (Mutator m : mutators) {
                m.stop();
            }
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(120).toMillis());
            }
            try {
                c.close();
            } catch (HamException e) {
                // a HAM that just died: nothing to close
            }
            ham.close();
            services.killAll();
            if (oldWindow == null) {
                System.clearProperty(HamConnection.RECONNECT_PROPERTY);
            } else {
                System.setProperty(HamConnection.RECONNECT_PROPERTY, oldWindow);
            }
        }
    }

    /**
     * The large-N run of {@code bench/takeover}: {@code Chaos KILLS [SERVICES [MUTATORS]]}, run
     * with the ham-agent module as working directory. Prints the result; exit status 1 when
     * something was lost, missed or doubled.
     */
    public static void main(String[] args) throws Exception {
        for (java.util.logging.Logger l : JMX_REMOTE_LOGS) {
            l.setLevel(java.util.logging.Level.OFF);
        }
        int kills = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int services = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int mutators = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : System.nanoTime();
        System.out.printf("chaos: %d kills of the HAM, %d services, %d client threads, seed %d%n", kills, services,
                mutators, seed);
        GuardedHam ham = new GuardedHam(Stream.of(args).skip(4).toArray(String[]::new));
        Result r = run(ham, kills, services, mutators, 30, new Random(seed), System.out);
        List<String> bad = judge(r);
        System.out.println("services: " + r.services());
        System.out.println("client changes: " + r.counts() + "; reconnects " + r.reconnects());
        double[] t = r.takeoverMs().stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (t.length > 0) {
            System.out.printf("kill -9 -> successor answering (ms): p50 %.0f, p99 %.0f, max %.0f over %d%n",
                    t[(int) Math.ceil(0.5 * t.length) - 1], t[(int) Math.ceil(0.99 * t.length) - 1], t[t.length - 1],
                    t.length);
        }
        System.out.println(bad.isEmpty() ? "chaos: OK" : "chaos: PROBLEMS\n" + String.join("\n", bad));
        System.exit(bad.isEmpty() ? 0 : 1);
    }

    /** Held so the level sticks: OpenDMK logs every connection the kills break, with a stack trace. */
    private static final List<java.util.logging.Logger> JMX_REMOTE_LOGS = Stream.of("javax.management.remote",
            "javax.management.remote.misc", "javax.management.remote.generic").map(java.util.logging.Logger::getLogger)
            .toList();

    /** What is wrong with a result: lost or invented changes, missed or doubled restarts, miscounted failures. */
    public static List<String> judge(Result r) {
        List<String> bad = new ArrayList<>(r.problems());
        if (r.hamFailures() != r.hamKills() || r.hamctrlHamFailures() != r.hamKills()) {
            bad.add("Ham Failures " + r.hamFailures() + " (hamctrl: " + r.hamctrlHamFailures() + ") after " + r.hamKills()
                    + " kills");
        }
        for (Service s : r.services()) {
            if (s.numRestarts() != s.kills()) {
                bad.add(s.name() + ": Num Restarts " + s.numRestarts() + " after " + s.kills() + " kills");
            }
            if (!s.instances().equals(List.of(s.pid()))) {
                bad.add(s.name() + ": the HAM runs pid " + s.pid() + ", instances found " + s.instances());
            }
        }
        return bad;
    }

    // ------------------------------------------------------------------ kills and waits

    /** The live Guardian the HAM reports, other than {@code not}. */
    public static long awaitGuardian(HamConnection c, long not) {
        return Await.value("a live Guardian other than " + not, () -> {
            long g = c.ham().getGuardianPid();
            return g > 0 && g != not && GuardedHam.alive(g) && cmdline(g).contains("org.jham.agent.guardian.Guardian")
                    ? g : null;
        });
    }

    /** Until the clients together had {@code n} more changes acknowledged. */
    static void awaitProgress(List<Mutator> mutators, int n) {
        int start = mutators.stream().mapToInt(m -> m.acked.get()).sum();
        Await.until(n + " more acknowledged changes", Duration.ofSeconds(90),
                () -> mutators.stream().mapToInt(m -> m.acked.get()).sum() >= start + n || mutators.stream()
                        .anyMatch(m -> m.crash != null));
        for (Mutator m : mutators) {
            if (m.crash != null) {
                throw new AssertionError("client thread " + m.prefix + " failed", m.crash);
            }
        }
    }

    /** The service's pid as the HAM reports it, once it is a live instance that was never killed. */
    static long awaitServicePid(HamConnection c, Services s, String name, Set<Long> killed) {
        EntityMXBean e = c.proxy(EntityMXBean.class, ObjectNames.entity(name));
        return Await.value(name + " running a pid never killed", Duration.ofSeconds(60), () -> {
            long p = e.getEntityPid();
            return p > 0 && !killed.contains(p) && s.isInstance(name, p) ? p : null;
        });
    }

    static void killService(Services s, String name, long pid, Set<Long> killed, Map<String, Integer> kills) {
        if (!s.isInstance(name, pid)) {
            throw new AssertionError(name + " pid " + pid + " is not running any more");
        }
        killed.add(pid);
        kills.merge(name, 1, Integer::sum);
        GuardedHam.kill9(pid);
    }

    /** SIGKILL to a HAM (checked to be one: pids are reused quickly here); returns when it was sent. */
    static long killHam(long pid) {
        if (!cmdline(pid).contains("org.jham.agent.")) {
            throw new AssertionError("pid " + pid + " is not a HAM: " + cmdline(pid));
        }
        long t0 = System.nanoTime();
        GuardedHam.kill9(pid);
        return t0;
    }

    private static void signal(String sig, long pid) {
        Child.Result r = Child.run("/bin/kill", "-" + sig, Long.toString(pid));
        if (r.status() != 0) {
            throw new AssertionError("kill -" + sig + " " + pid + ": " + r.out());
        }
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> l = Files.readAllLines(file);
            return String.join("\n", l.subList(Math.max(0, l.size() - lines), l.size()));
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    /** The command line of a process, arguments joined by spaces; "" when it is gone or a zombie. */
    static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ').trim();
        } catch (IOException e) {
            return "";
        }
    }

    // ------------------------------------------------------------------ supervised processes

    /**
     * The supervised services: {@code /bin/sleep N} with an N of their own, so that every instance
     * of one can be found in /proc, whoever started it.
     */
    public static final class Services {
        private final String[] args;

        public Services(int n, Random rnd) {
            args = new String[n];
            long base = 800_000_000L + rnd.nextInt(100_000_000) * 100L;
            for (int i = 0; i < n; i++) {
                args[i] = Long.toString(base + i);
            }
        }

        public String name(int i) {
            return "svc" + i;
        }

        public String line(int i) {
            return "/bin/sleep " + args[i];
        }

        boolean isInstance(String name, long pid) {
            return GuardedHam.alive(pid) && cmdline(pid).equals(line(Integer.parseInt(name.substring(3))));
        }

        /** Every live instance of each service, by name, pids ascending. */
        public Map<String, List<Long>> running() {
            Map<String, List<Long>> found = new LinkedHashMap<>();
            Map<String, String> byLine = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                byLine.put(line(i), name(i));
            }
            long[] pids;
            try (Stream<Path> s = Files.list(Path.of("/proc"))) {
                pids = s.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                        .mapToLong(Long::parseLong).sorted().toArray();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            for (long pid : pids) {
                String name = byLine.get(cmdline(pid));
                if (name != null && GuardedHam.alive(pid)) {
                    found.computeIfAbsent(name, k -> new ArrayList<>()).add(pid);
                }
            }
            return found;
        }

        /** Kills every instance still running. */
        public void killAll() {
            running().values().forEach(l -> l.forEach(GuardedHam::kill9));
        }
    }

    // ------------------------------------------------------------------ the clients

    enum Kind { ENTITY, CONDITION, ACTION, FAIL }

    /** What a client knows of an item: present (acknowledged), absent (removal acknowledged), or maybe. */
    enum Fate { PRESENT, ABSENT, MAYBE }

    static final class Item {
        final String path;
        final String name;
        final Kind kind;
        final Item parent;
        final List<Item> children = new ArrayList<>();
        Fate fate;
        /** Conditions: enabled as last acknowledged (null: unknown). */
        Boolean enabled = Boolean.TRUE;
        /** Actions: HACTIONKEEPONFAIL as last acknowledged (null: unknown). */
        Boolean keepOnFail = Boolean.FALSE;
        Object handle;

        Item(Item parent, Kind kind, String name) {
            this.parent = parent;
            this.kind = kind;
            this.name = name;
            this.path = parent == null ? name : parent.path + "/" + name;
        }
    }

    /**
     * A client thread: changes the tree of its own entities (names starting with {@code prefix})
     * through the client library as fast as the HAM answers, keeping the tree small, and records
     * what each call's outcome proves. A call that returned was acknowledged: its change must be
     * there. An add answering EEXIST, or a removal answering ENOENT, was a call the library made
     * again after a takeover, the first try having been carried out (and journaled) by the HAM
     * that died: the change is there too. Any other failure (EBADF: no HAM within the reconnect
     * window) may or may not have been carried out.
     */
    public static final class Mutator implements Runnable {
        final String prefix;
        private final String node;
        private final Random rnd;
        private final Map<String, Item> items = new LinkedHashMap<>();
        private final Map<Kind, Set<Item>> present = new HashMap<>();
        private final Map<String, Integer> counts = new TreeMap<>();
        private final List<String> unexpected = new ArrayList<>();
        final AtomicInteger acked = new AtomicInteger();
        private volatile boolean stopped;
        volatile Throwable crash;
        private int seq;

        Mutator(String node, String prefix, Random rnd) {
            this.node = node;
            this.prefix = prefix;
            this.rnd = rnd;
            for (Kind k : Kind.values()) {
                present.put(k, new LinkedHashSet<>());
            }
        }

        void stop() {
            stopped = true;
        }

        Map<String, Integer> counts() {
            return counts;
        }

        @Override
        public void run() {
            try {
                while (!stopped) {
                    step();
                }
            } catch (Throwable t) {
                crash = t;
            }
        }

        private <T> T pick(Kind k) {
            List<Item> l = new ArrayList<>(present.get(k));
            @SuppressWarnings("unchecked")
            T t = l.isEmpty() ? null : (T) l.get(rnd.nextInt(l.size()));
            return t;
        }

        private static long live(Item i) {
            return i.children.stream().filter(c -> c.fate == Fate.PRESENT).count();
        }

        private void step() {
            int r = rnd.nextInt(100);
            Item e = pick(Kind.ENTITY);
            Item c = pick(Kind.CONDITION);
            Item a = pick(Kind.ACTION);
            if (e == null || present.get(Kind.ENTITY).size() < 3 || (r < 4 && present.get(Kind.ENTITY).size() < 6)) {
                Item n = new Item(null, Kind.ENTITY, prefix + "e" + seq++);
                add(n, () -> n.handle = Ham.entity(n.name, node, 0));
            } else if (r < 8) {
                remove(e, () -> Ham.detachName(node, e.name, 0));
            } else if (r < 35) {
                if (live(e) >= 5) {
                    removeCondition(pickChild(e));
                } else if (resolve(e)) {
                    Item n = new Item(e, Kind.CONDITION, "c" + seq++);
                    EntityHandle h = (EntityHandle) e.handle;
                    int type = rnd.nextInt(3);
                    add(n, () -> n.handle = switch (type) {
                        case 0 -> h.condition(CONDDEATH, n.name, 0);
                        case 1 -> h.conditionState(n.name, 1, 2, 0);
                        default -> h.conditionRaise(n.name, 7, 1, 0, 0);
                    });
                }
            } else if (r < 45 && c != null) {
                removeCondition(c);
            } else if (r < 65 && c != null) {
                if (live(c) >= 3) {
                    removeAction(pickChild(c));
                } else if (resolve(c)) {
                    Item n = new Item(c, Kind.ACTION, "a" + seq++);
                    ConditionHandle h = (ConditionHandle) c.handle;
                    boolean log = rnd.nextBoolean();
                    add(n, () -> n.handle = log ? h.actionLog(n.name, "chaos " + n.name, 0, 1, 0)
                            : h.actionExecute(n.name, "/bin/true " + n.name, 0));
                }
            } else if (r < 72 && a != null) {
                removeAction(a);
            } else if (r < 84 && a != null && resolve(a)) {
                ActionHandle h = (ActionHandle) a.handle;
                if (live(a) >= 2) {
                    Item x = pickChild(a);
                    remove(x, () -> h.failRemove(x.name, 0));
                } else {
                    Item n = new Item(a, Kind.FAIL, "f" + seq++);
                    add(n, () -> h.failLog(n.name, "fallback " + n.name, 0, 1, 0));
                }
            } else if (r < 92 && a != null && resolve(a)) {
                boolean keep = !Boolean.TRUE.equals(a.keepOnFail);
                ActionHandle h = (ActionHandle) a.handle;
                change(a, () -> h.control(keep ? HADDFLAGS : HREMOVEFLAGS, HACTIONKEEPONFAIL),
                        () -> a.keepOnFail = keep, () -> a.keepOnFail = null);
            } else if (c != null && resolve(c)) {
                boolean enable = !Boolean.TRUE.equals(c.enabled);
                ConditionHandle h = (ConditionHandle) c.handle;
                change(c, () -> h.control(enable ? HENABLE : HDISABLE, 0),
                        () -> c.enabled = enable, () -> c.enabled = null);
            }
        }

        private Item pickChild(Item i) {
            List<Item> l = i.children.stream().filter(x -> x.fate == Fate.PRESENT).toList();
            return l.get(rnd.nextInt(l.size()));
        }

        private void removeCondition(Item c) {
            if (resolve(c)) {
                remove(c, () -> ((ConditionHandle) c.handle).remove(0));
            }
        }

        private void removeAction(Item a) {
            if (resolve(a)) {
                remove(a, () -> ((ActionHandle) a.handle).remove(0));
            }
        }

        /**
         * The item's handle: kept from the call that made it, else (that call answered EEXIST)
         * looked up. False when the lookup failed: EBADF is no HAM for now; anything else means
         * an acknowledged item is not there, which is recorded.
         */
        private boolean resolve(Item x) {
            if (x.handle != null) {
                return true;
            }
            try {
                x.handle = switch (x.kind) {
                    case ENTITY -> Ham.entityHandle(node, x.name, 0);
                    case CONDITION -> Ham.conditionHandle(node, x.parent.name, x.name, 0);
                    case ACTION -> Ham.actionHandle(node, x.parent.parent.name, x.parent.name, x.name, 0);
                    case FAIL -> throw new IllegalArgumentException("no handle for a fail item");
                };
                return true;
            } catch (HamException ex) {
                if (ex.errno() != Errno.EBADF) {
                    unexpected.add("LOST: " + x.kind + " " + x.path + " was acknowledged; its handle: " + ex);
                    setFate(x, Fate.MAYBE);
                }
                return false;
            }
        }

        private void add(Item n, Runnable call) {
            items.put(n.path, n);
            if (n.parent != null) {
                n.parent.children.add(n);
            }
            Outcome o = call(call, Errno.EEXIST, "add " + n.kind + " " + n.path);
            setFate(n, o == Outcome.APPLIED ? Fate.PRESENT : Fate.MAYBE);
        }

        private void remove(Item x, Runnable call) {
            Outcome o = call(call, Errno.ENOENT, "remove " + x.kind + " " + x.path);
            setFate(x, o == Outcome.APPLIED ? Fate.ABSENT : Fate.MAYBE);
        }

        private void change(Item x, Runnable call, Runnable applied, Runnable unknown) {
            Outcome o = call(call, null, "control " + x.kind + " " + x.path);
            (o == Outcome.APPLIED ? applied : unknown).run();
        }

        enum Outcome { APPLIED, MAYBE }

        private Outcome call(Runnable call, Errno retriedAnswer, String what) {
            try {
                call.run();
                acked.incrementAndGet();
                count("acknowledged");
                return Outcome.APPLIED;
            } catch (HamException ex) {
                if (ex.errno() == retriedAnswer) {
                    count("acknowledged");
                    count(retriedAnswer + " on a retried call");
                    acked.incrementAndGet();
                    return Outcome.APPLIED;
                }
                if (ex.errno() == Errno.EBADF) {
                    count("failed with EBADF (maybe applied): " + what.substring(0, what.indexOf(' ', what.indexOf(' ') + 1)));
                } else {
                    count("failed with " + ex.errno() + " (unexpected)");
                    unexpected.add(what + ": " + ex);
                }
                return Outcome.MAYBE;
            }
        }

        private void count(String k) {
            counts.merge(k, 1, Integer::sum);
        }

        /** A removal takes the subtree with it; an unknown one leaves the subtree unknown. */
        private void setFate(Item x, Fate f) {
            x.fate = f;
            if (f == Fate.PRESENT) {
                present.get(x.kind).add(x);
            } else {
                present.get(x.kind).remove(x);
                for (Item ch : x.children) {
                    if (ch.fate != Fate.ABSENT) {
                        setFate(ch, f);
                    }
                }
            }
        }

        /** What is wrong in the final tree by this client's record. */
        List<String> check(Map<String, Tree.Node> tree) {
            List<String> bad = new ArrayList<>(unexpected);
            for (Item i : items.values()) {
                Tree.Node n = tree.get(i.path);
                if (i.fate == Fate.PRESENT && n == null) {
                    bad.add("LOST: " + i.kind + " " + i.path + " was acknowledged and is not in the tree");
                } else if (i.fate == Fate.ABSENT && n != null) {
                    bad.add("BACK: " + i.kind + " " + i.path + " was removed (acknowledged) and is in the tree");
                } else if (i.fate == Fate.PRESENT) {
                    if (i.kind == Kind.CONDITION && i.enabled != null && i.enabled != n.enabled()) {
                        bad.add("LOST: condition " + i.path + " should be " + (i.enabled ? "enabled" : "disabled"));
                    }
                    if (i.kind == Kind.ACTION && i.keepOnFail != null && i.keepOnFail != n.keepOnFail()) {
                        bad.add("LOST: action " + i.path + " should " + (i.keepOnFail ? "" : "not ")
                                + "have HACTIONKEEPONFAIL");
                    }
                }
            }
            for (String path : tree.keySet()) {
                if (!items.containsKey(path)) {
                    bad.add("INVENTED: " + path + " is in the tree and was never asked for");
                }
            }
            return bad;
        }
    }

    /** The tree under the entities whose names start with a prefix, as the HAM's MBeans show it. */
    public static final class Tree {
        private Tree() {
        }

        record Node(boolean enabled, boolean keepOnFail) {
        }

        static Map<String, Node> read(HamConnection c, String prefix) {
            Map<String, Node> t = new TreeMap<>();
            for (String e : c.ham().getEntityNames()) {
                if (!e.startsWith(prefix)) {
                    continue;
                }
                EntityMXBean eb = c.proxy(EntityMXBean.class, ObjectNames.entity(e));
                t.put(e, new Node(eb.isEnabled(), false));
                for (String cn : eb.getConditionNames()) {
                    ConditionMXBean cb = c.proxy(ConditionMXBean.class, ObjectNames.condition(e, cn));
                    t.put(e + "/" + cn, new Node(cb.isEnabled(), false));
                    for (String an : cb.getActionNames()) {
                        ActionMXBean ab = c.proxy(ActionMXBean.class, ObjectNames.action(e, cn, an));
                        t.put(e + "/" + cn + "/" + an, new Node(ab.isEnabled(), Arrays.asList(ab.getFlags().split("\\|"))
                                .contains("HACTIONKEEPONFAIL")));
                        for (String f : ab.getFailActions()) {
                            t.put(e + "/" + cn + "/" + an + "/" + f.substring(0, f.indexOf(" : ")), new Node(true, false));
                        }
                    }
                }
            }
            return t;
        }
    }
}
