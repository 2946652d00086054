package org.jham.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jham.agent.testing.Await;
import org.jham.agent.testing.Child;
import org.jham.agent.testing.GuardedHam;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HAM as a system service: Debian's {@code /usr/bin/jsvc} runs {@code HamDaemon} through
 * {@code bin/hamd}, with a pid file, and the HAM brings its Guardian. {@code jsvc -stop} and
 * {@code hamctrl -stop} end both and leave monitored processes running; after a kill -9 of
 * jsvc's JVM the Guardian takes over, outside jsvc, and {@code hamctrl -stop} / {@code hamd stop}
 * stop it.
 */
class JsvcIT {
    static final Path JSVC = Path.of("/usr/bin/jsvc");
    static final String DAEMON = "org.jham.agent.launch.HamDaemon";

    private Service svc;

    @BeforeAll
    static void jsvcIsInstalled() {
        // Fail, not skip: CI installs jsvc (.ci/run), so a missing one is a broken setup.
        assertTrue(Files.isExecutable(JSVC), "JsvcIT needs Debian's jsvc at " + JSVC
                + ": install it with `apt-get install jsvc` (.ci/run does so before `mvn -B verify`)");
    }

    @AfterEach
    void cleanup() {
        if (svc != null) {
            svc.close();
        }
    }

    @Test
    void jsvcRunsTheHamWithItsGuardianAndJsvcStopEndsBothButNotTheMonitoredProcesses() throws Exception {
        svc = new Service();
        long jvm = svc.start();
        assertEquals(jvm, svc.pidFile(svc.pidfile), "the pid file names the HAM");
        assertEquals(jvm, svc.number(".info", "Ham Pid"));
        assertEquals(jvm, svc.pidFile(svc.state.resolve("ham.pid")));
        assertEquals(JSVC.toRealPath(), exe(jvm), "the HAM runs in jsvc's process");
        long controller = svc.controller(jvm);
        assertEquals(JSVC.toRealPath(), exe(controller), "jsvc's controller is the HAM's parent");
        long guardian = svc.awaitGuardian(0);
        assertEquals(guardian, svc.pidFile(svc.state.resolve("guardian.pid")));

        svc.ok("start", "sl", "/bin/sleep 1000");
        long sleep = svc.awaitEntityPid("sl", 0);

        Child.Result r = Child.run(JSVC.toString(), "-stop", "-pidfile", svc.pidfile.toString(), DAEMON);
        assertEquals(0, r.status(), "jsvc -stop: " + r);
        GuardedHam.awaitGone(guardian);
        GuardedHam.awaitGone(jvm);
        GuardedHam.awaitGone(controller);
        assertFalse(Files.exists(svc.pidfile), "jsvc removed its pid file");
        assertTrue(GuardedHam.alive(sleep), "the monitored process keeps running");
        assertNotEquals(0, svc.hamctrl("cat", ".info").status(), "no HAM answers: the Guardian did not take over");
        assertTrue(Files.readString(svc.state.resolve("ham.out")).contains("HAM stopped"), "graceful stop logged");
    }

    @Test
    void hamStopEndsTheJsvcServiceAndTheNextStartRestoresTheTree() throws Exception {
        svc = new Service();
        long jvm = svc.start();
        long controller = svc.controller(jvm);
        long guardian = svc.awaitGuardian(0);
        svc.ok("start", "sl", "/bin/sleep 1000");
        long sleep = svc.awaitEntityPid("sl", 0);

        svc.ok("-stop");
        GuardedHam.awaitGone(guardian);
        GuardedHam.awaitGone(jvm);
        // The JVM exited with 0: jsvc's controller takes that as a shutdown, not a crash to restart.
        GuardedHam.awaitGone(controller);
        Await.until("jsvc to remove its pid file", () -> !Files.exists(svc.pidfile));
        assertTrue(GuardedHam.alive(sleep), "the monitored process keeps running");

        long jvm2 = svc.start();
        assertNotEquals(jvm, jvm2);
        assertEquals(sleep, svc.number("sl", "Entity Pid"), "the tree is back and sl adopted");
        assertEquals(0, svc.number(".info", "Ham Failures"));
        long guardian2 = svc.awaitGuardian(0);

        Child.Result r = svc.hamd("stop");
        assertEquals(0, r.status(), "hamd stop: " + r);
        GuardedHam.awaitGone(guardian2);
        GuardedHam.awaitGone(jvm2);
        assertFalse(Files.exists(svc.pidfile));
        assertTrue(GuardedHam.alive(sleep), "the monitored process keeps running");
    }

    @Test
    void afterAKill9TheGuardianTakesOverOutsideJsvcAndHamctrlStopsIt() throws Exception {
        svc = new Service();
        long jvm = svc.start();
        long controller = svc.controller(jvm);
        long guardian = svc.awaitGuardian(0);
        svc.ok("start", "sl", "/bin/sleep 1000");
        long sleep = svc.awaitEntityPid("sl", 0);

        long newGuardian = svc.takeOver(jvm, guardian, sleep);

        svc.ok("-stop");
        GuardedHam.awaitGone(newGuardian);
        GuardedHam.awaitGone(guardian);
        assertTrue(GuardedHam.alive(sleep), "the monitored process keeps running");

        // jsvc's controller may still wait to start a JVM again (it does after a signal death):
        // hamd stop ends it, so no HAM comes back after the stop.
        Child.Result r = svc.hamd("stop");
        assertEquals(0, r.status(), "hamd stop: " + r);
        GuardedHam.awaitGone(controller);
        assertNotEquals(0, svc.hamctrl("cat", ".info").status(), "no HAM answers");
    }

    @Test
    void afterAKill9HamdStopStopsTheHamThatTookOverAndJsvcsController() throws Exception {
        svc = new Service();
        long jvm = svc.start();
        long controller = svc.controller(jvm);
        long guardian = svc.awaitGuardian(0);
        svc.ok("start", "sl", "/bin/sleep 1000");
        long sleep = svc.awaitEntityPid("sl", 0);

        long newGuardian = svc.takeOver(jvm, guardian, sleep);

        Child.Result r = svc.hamd("stop");
        assertEquals(0, r.status(), "hamd stop: " + r);
        GuardedHam.awaitGone(newGuardian);
        GuardedHam.awaitGone(guardian);
        GuardedHam.awaitGone(controller);
        assertTrue(GuardedHam.alive(sleep), "the monitored process keeps running");
        assertNotEquals(0, svc.hamctrl("cat", ".info").status(), "no HAM answers");
    }

    static Path exe(long pid) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe"));
    }

    /**
     * One jsvc service on a state directory of its own and a free port, driven by bin/hamd and
     * bin/hamctrl. Tracks every pid it sees; {@link #close()} kills jsvc controllers first (one
     * would start a HAM again), then Guardians before HAMs (a Guardian outliving its HAM would
     * take over), then the monitored processes.
     */
    static final class Service implements AutoCloseable {
        final Path state;
        final Path pidfile;
        private String node;
        private final Set<Long> controllers = ConcurrentHashMap.newKeySet();
        private final Set<Long> hams = ConcurrentHashMap.newKeySet();
        private final Set<Long> guardians = ConcurrentHashMap.newKeySet();
        private final Set<Long> children = ConcurrentHashMap.newKeySet();

        Service() throws IOException {
            state = Files.createTempDirectory("jham-jsvc");
            pidfile = state.resolve("run").resolve("jham.pid");
            Files.createDirectories(pidfile.getParent());
        }

        /** bin/hamd start; returns the pid of jsvc's JVM (the HAM) once it serves. */
        long start() {
            Child.Result r = hamd("start", "--port", "0", "-V2");
            Matcher m = Pattern.compile("jHAM listening on service:jmx:jmxmp://(127\\.0\\.0\\.1:\\d+) pid=(\\d+)")
                    .matcher(r.out());
            assertTrue(r.status() == 0 && m.find(), "bin/hamd start: " + r);
            node = m.group(1);
            long jvm = Long.parseLong(m.group(2));
            hams.add(jvm);
            controller(jvm);
            return jvm;
        }

        Child.Result hamd(String... args) {
            List<String> cmd = new ArrayList<>(List.of(Child.TOP.resolve("bin/hamd").toString(), args[0],
                    "--state-dir", state.toString(), "--pidfile", pidfile.toString()));
            cmd.addAll(List.of(args).subList(1, args.length));
            return Child.run(cmd);
        }

        /** The parent of jsvc's JVM: jsvc's controller process; tracked. */
        long controller(long jvm) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(jvm), "status"))) {
                    if (line.startsWith("PPid:")) {
                        long p = Long.parseLong(line.substring(5).trim());
                        controllers.add(p);
                        return p;
                    }
                }
            } catch (IOException e) {
                throw new AssertionError("pid " + jvm + " is gone", e);
            }
            throw new AssertionError("no PPid in /proc/" + jvm + "/status");
        }

        Child.Result hamctrl(String... args) {
            List<String> cmd = new ArrayList<>(List.of(Child.TOP.resolve("bin/hamctrl").toString(), "-node", node));
            cmd.addAll(List.of(args));
            return Child.run(cmd);
        }

        void ok(String... args) {
            Child.Result r = hamctrl(args);
            assertEquals(0, r.status(), String.join(" ", args) + ": " + r.out());
        }

        /** A numeric {@code Name : value} field of {@code hamctrl cat PATH}; -1 when the HAM does not answer. */
        long number(String path, String name) {
            Child.Result r = hamctrl("cat", path);
            if (r.status() != 0) {
                return -1;
            }
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " : (-?\\d+)\\s*$").matcher(r.out());
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }

        long awaitGuardian(long not) {
            long g = Await.value("a live Guardian other than " + not, () -> {
                long p = number(".info", "Guardian Pid");
                return p > 0 && p != not && GuardedHam.alive(p) ? p : null;
            });
            guardians.add(g);
            return g;
        }

        long awaitEntityPid(String ename, long not) {
            long p = Await.value(ename + " running with a pid other than " + not, () -> {
                long now = number(ename, "Entity Pid");
                return now > 0 && now != not && GuardedHam.alive(now) ? now : null;
            });
            children.add(p);
            return p;
        }

        /**
         * kill -9 of jsvc's JVM: the Guardian answers as the HAM on the same address with the
         * same tree; returns the Guardian the new HAM started.
         */
        long takeOver(long jvm, long guardian, long sleep) {
            GuardedHam.kill9(jvm);
            Await.until("the Guardian " + guardian + " to answer as the HAM",
                    () -> number(".info", "Ham Pid") == guardian);
            hams.add(guardian);
            assertEquals(1, number(".info", "Ham Failures"));
            assertEquals(guardian, pidFile(state.resolve("ham.pid")));
            assertEquals(sleep, number("sl", "Entity Pid"), "sl kept running and was adopted");
            assertFalse(GuardedHam.alive(jvm));
            return awaitGuardian(guardian);
        }

        /** The pid in a file, or -1. */
        long pidFile(Path file) {
            try {
                return Long.parseLong(Files.readString(file).trim());
            } catch (IOException | NumberFormatException e) {
                return -1;
            }
        }

        @Override
        public void close() {
            for (long c : controllers) {
                if (GuardedHam.alive(c)) {
                    GuardedHam.kill9(c);
                    GuardedHam.awaitGone(c);
                }
            }
            // As GuardedHam.close: hold the HAMs (none starts a Guardian), kill Guardians, then HAMs.
            for (int round = 0; round < 5; round++) {
                guardians.add(pidFile(state.resolve("guardian.pid")));
                hams.add(pidFile(state.resolve("ham.pid")));
                hams.add(pidFile(pidfile));
                boolean any = false;
                for (long h : hams) {
                    if (h > 0 && GuardedHam.alive(h)) {
                        Child.run("/bin/kill", "-STOP", Long.toString(h));
                        any = true;
                    }
                }
                for (long g : guardians) {
                    if (g > 0 && GuardedHam.alive(g)) {
                        GuardedHam.kill9(g);
                        GuardedHam.awaitGone(g);
                        any = true;
                    }
                }
                for (long h : hams) {
                    if (h > 0 && GuardedHam.alive(h)) {
                        GuardedHam.kill9(h);
                        GuardedHam.awaitGone(h);
                    }
                }
                if (!any) {
                    break;
                }
            }
            for (long c : children) {
                GuardedHam.kill9(c);
            }
        }
    }
}
