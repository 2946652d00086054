package org.jham.agent.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jham.agent.process.ProcStat;

/**
 * A HAM with its Guardian as users start it: {@code bin/ham} on a state directory of its own and
 * a free port, driven by {@code bin/hamctrl}. Tracks every HAM, Guardian and monitored pid it
 * sees; {@link #close()} stops them all before killing any (a Guardian outliving its HAM would
 * take over), then kills the monitored processes.
 */
public final class GuardedHam implements AutoCloseable {
    public final Path state;
    public final String node;
    private final Set<Long> children = ConcurrentHashMap.newKeySet();
    private final Set<Long> hams = ConcurrentHashMap.newKeySet();
    private final Set<Long> guardians = ConcurrentHashMap.newKeySet();

    /** Starts a HAM on a new state directory; {@code extra} are more bin/ham options. */
    public GuardedHam(String... extra) throws IOException {
        this(Files.createTempDirectory("jham-guarded"), 0, extra);
    }

    /** Starts a HAM on {@code state} and {@code port} (0 = any free one). */
    public GuardedHam(Path state, int port, String... extra) {
        this.state = state;
        this.node = start(port, extra);
    }

    private String start(int port, String... extra) {
        List<String> cmd = new ArrayList<>(List.of(Child.TOP.resolve("bin/ham").toString(), "--port",
                Integer.toString(port), "--state-dir", state.toString(), "-V2", "-f", state.resolve("activity.log").toString()));
        cmd.addAll(List.of(extra));
        Child.Result r = Child.run(cmd);
        Matcher m = Pattern.compile("jHAM listening on service:jmx:jmxmp://(127\\.0\\.0\\.1:\\d+) pid=(\\d+)")
                .matcher(r.out());
        if (r.status() != 0 || !m.find()) {
            throw new AssertionError("bin/ham did not start: " + r);
        }
        hams.add(Long.parseLong(m.group(2)));
        return m.group(1);
    }

    /** Starts another HAM on the same state directory and port (after a stop); it cleans up after both. */
    public GuardedHam again(String... extra) {
        GuardedHam next = new GuardedHam(state, Integer.parseInt(node.substring(node.indexOf(':') + 1)), extra);
        next.children.addAll(children);
        next.guardians.addAll(guardians);
        next.hams.addAll(hams);
        return next;
    }

    public Child.Result hamctrl(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Child.TOP.resolve("bin/hamctrl").toString(), "-node", node));
        cmd.addAll(List.of(args));
        return Child.run(cmd);
    }

    /** A {@code Name : value} field of {@code hamctrl cat PATH}, or null when the HAM does not answer. */
    public String field(String path, String name) {
        Child.Result r = hamctrl("cat", path);
        if (r.status() != 0) {
            return null;
        }
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " : (.*)$").matcher(r.out());
        return m.find() ? m.group(1).trim() : null;
    }

    public long numberField(String path, String name) {
        String v = field(path, name);
        return v == null ? -1 : Long.parseLong(v);
    }

    /** The HAM's pid as it reports it (-1 when it does not answer); tracked. */
    public long hamPid() {
        long p = numberField(".info", "Ham Pid");
        if (p > 0) {
            hams.add(p);
        }
        return p;
    }

    /** The Guardian's pid once the HAM reports one that is alive; tracked. */
    public long awaitGuardian(long not) {
        long p = Await.value("a live Guardian other than " + not, () -> {
            long g = numberField(".info", "Guardian Pid");
            return g > 0 && g != not && alive(g) ? g : null;
        });
        guardians.add(p);
        return p;
    }

    /** The entity's pid once it is alive and other than {@code not}; tracked. */
    public long awaitPid(String ename, long not) {
        long p = Await.value(ename + " running with a pid other than " + not, () -> {
            long now = numberField(ename, "Entity Pid");
            return now > 0 && now != not && alive(now) ? now : null;
        });
        children.add(p);
        return p;
    }

    public void track(long pid) {
        children.add(pid);
    }

    /** Alive and not a zombie (an orphan killed here waits a while for init to reap it). */
    public static boolean alive(long pid) {
        return ProcStat.liveStartTime(pid).isPresent();
    }

    public static void kill9(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** Waits until every thread of the process is gone (a killed JVM's main thread dies before the others). */
    public static void awaitGone(long pid) {
        Await.until("pid " + pid + " to exit", () -> {
            // /proc/<tid>/stat is each thread's own, as for a process.
            try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
                return tasks.noneMatch(t -> alive(Long.parseLong(t.getFileName().toString())));
            } catch (IOException e) {
                return true;
            }
        });
    }

    /** The pid in a file of the state directory (ham.pid, guardian.pid), or -1. */
    public long pidFile(String name) {
        try {
            return Long.parseLong(Files.readString(state.resolve(name)).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        // Freeze every HAM and Guardian of this state directory before killing any: a Guardian
        // whose HAM dies takes over (and restarts what it finds dead), and a Guardian seen
        // earlier may be the HAM by now. The pid files name the newest.
        for (int round = 0; round < 5; round++) {
            guardians.add(pidFile("guardian.pid"));
            hams.add(pidFile("ham.pid"));
            List<Long> live = new ArrayList<>();
            for (Set<Long> s : List.of(hams, guardians)) {
                for (long p : s) {
                    if (p > 0 && !live.contains(p) && alive(p) && ours(p)) {
                        live.add(p);
                    }
                }
            }
            if (live.isEmpty()) {
                break;
            }
            for (long p : live) {
                Child.run("/bin/kill", "-STOP", Long.toString(p));
            }
            for (long p : live) {
                kill9(p);
            }
            for (long p : live) {
                awaitGone(p);
            }
        }
        for (long c : children) {
            kill9(c);
        }
    }

    /** A HAM or Guardian on this state directory (pids are reused quickly here). */
    private boolean ours(long pid) {
        try {
            String cmd = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    java.nio.charset.StandardCharsets.UTF_8);
            return cmd.contains("org.jham.agent.") && cmd.contains(state.toString());
        } catch (IOException e) {
            return false;
        }
    }
}
