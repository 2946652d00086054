package org.jham.agent.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jham.Errno;
import org.jham.HamException;
import org.jham.agent.testing.Await;
import org.jham.agent.testing.Child;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signals with a value (ham_action_notify_signal) reach a real process through the native spawner
 * and through the {@code /bin/kill} fallback. The receiver is {@code src/test/c/sig-recorder.c},
 * built here with gcc, which prints each signal with its si_code and si_value.
 */
class SignalSenderIT {
    private static final Path RECORDER = Child.MODULE.resolve("target/test-native/sig-recorder");
    private static final Pattern RECORD = Pattern.compile("sig (\\d+) code (-?\\d+) value (-?\\d+)");
    /** si_code of a signal sent by sigqueue. */
    private static final int SI_QUEUE = -1;
    /** Ignored by default: sent wherever a regressed pid check could hit some other process. */
    private static final int SIGWINCH = 28;

    @TempDir
    Path outputDir;
    private final List<Throwable> watcherErrors = new CopyOnWriteArrayList<>();
    private ProcessWatcher watcher;
    private ProcessLauncher launcher;

    record Received(int signum, int code, int value) {
    }

    @BeforeAll
    static void buildRecorder() throws IOException {
        Files.createDirectories(RECORDER.getParent());
        Child.Result r = Child.run("gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-o", RECORDER.toString(),
                Child.MODULE.resolve("src/test/c/sig-recorder.c").toString());
        assertEquals(0, r.status(), "gcc: " + r.out());
    }

    @BeforeEach
    void startLauncher() {
        watcher = new ProcessWatcher(10, watcherErrors::add);
        launcher = new ProcessLauncher(outputDir, watcher);
        assertTrue(launcher.describe().startsWith("native"), "the native spawner is built: " + launcher.describe());
    }

    @AfterEach
    void stopLauncher() {
        launcher.close();
        watcher.close();
        assertEquals(List.of(), watcherErrors);
    }

    /** A running sig-recorder; closing kills it by pid. */
    private static final class Recorder implements AutoCloseable {
        final Child.Live live;
        final long pid;

        Recorder() throws IOException {
            live = new Child.Live(List.of(RECORDER.toString()));
            pid = live.process.pid();
            assertEquals(Long.toString(pid), live.await("^ready (\\d+)$"));
        }

        List<Received> received() {
            List<Received> all = new ArrayList<>();
            for (String line : live.output().split("\n")) {
                Matcher m = RECORD.matcher(line);
                if (m.matches()) {
                    all.add(new Received(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                            Integer.parseInt(m.group(3))));
                }
            }
            return all;
        }

        void awaitReceived(int signum, int value) {
            Received expected = new Received(signum, SI_QUEUE, value);
            Await.until(SignalNames.name(signum) + " with value " + value + " at pid " + pid, () -> {
                assertTrue(live.process.isAlive(), "the recorder died: " + live.output());
                return received().contains(expected);
            });
        }

        @Override
        public void close() throws InterruptedException {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            live.close();
        }
    }

    private static void assertErrno(Errno errno, Executable call) {
        assertEquals(errno, assertThrows(HamException.class, call).errno());
    }

    @Test
    void theNativeSpawnerDeliversTheSignalAndItsValue() throws Exception {
        SignalSender sender = launcher.signals();
        assertTrue(sender.describe().startsWith("native"), sender.describe());
        try (Recorder r = new Recorder()) {
            sender.send(r.pid, SignalNames.parse("SIGUSR1"), 42);
            r.awaitReceived(10, 42);
            sender.send(r.pid, SignalNames.parse("SIGRTMIN+5"), -7);
            r.awaitReceived(39, -7);
            sender.send(r.pid, SignalNames.SIGRTMAX, Integer.MIN_VALUE);
            r.awaitReceived(64, Integer.MIN_VALUE);
            sender.send(r.pid, 12, Integer.MAX_VALUE);
            r.awaitReceived(12, Integer.MAX_VALUE);
        }
    }

    @Test
    void theKillFallbackDeliversTheSignalAndItsValue() throws Exception {
        SignalSender kill = new SignalSender(null);
        assertTrue(kill.describe().startsWith("/bin/kill"), kill.describe());
        try (Recorder r = new Recorder()) {
            kill.send(r.pid, 12, 4242);
            r.awaitReceived(12, 4242);
            kill.send(r.pid, 40, -7); // a negative value: procps kill would read "-q -7" as signal 7
            r.awaitReceived(40, -7);
            kill.send(r.pid, 64, Integer.MIN_VALUE);
            r.awaitReceived(64, Integer.MIN_VALUE);
        }
    }

    @Test
    void aDeadNativeSpawnerFallsBackToKill() throws Exception {
        NativeSpawner spawner = NativeSpawner.start(NativeSpawner.locate().orElseThrow(), watcher);
        SignalSender sender = new SignalSender(spawner);
        try (Recorder r = new Recorder()) {
            sender.send(r.pid, 35, 1);
            r.awaitReceived(35, 1);
            spawner.close();
            Await.until("the spawner gone", spawner::isBroken);
            assertTrue(sender.describe().startsWith("/bin/kill"), sender.describe());
            sender.send(r.pid, 36, 2);
            r.awaitReceived(36, 2);
        } finally {
            spawner.close();
        }
    }

    @Test
    void aPidThatDoesNotExistIsEsrchBothWays() throws Exception {
        // Pids are below pid_max: this one never exists. (readString reads procfs short on JDK 17.)
        long none = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/kernel/pid_max")).get(0).trim());
        assertTrue(ProcessHandle.of(none).isEmpty(), "pid " + none + " exists");
        for (SignalSender sender : List.of(launcher.signals(), new SignalSender(null))) {
            HamException e = assertThrows(HamException.class, () -> sender.send(none, SIGWINCH, 1), sender.describe());
            assertEquals(Errno.ESRCH, e.errno(), e.getMessage());
            assertEquals("no process with pid " + none, e.detail());
            assertErrno(Errno.ESRCH, () -> sender.send(Integer.MAX_VALUE + 1L, SIGWINCH, 1));
        }
    }

    @Test
    void aBadSignalOrPidIsEinvalAndSendsNothing() throws Exception {
        NativeSpawner spawner = NativeSpawner.start(NativeSpawner.locate().orElseThrow(), watcher);
        try (Recorder r = new Recorder()) {
            for (SignalSender sender : List.of(launcher.signals(), new SignalSender(null))) {
                for (int bad : new int[] {0, -1, 65, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
                    HamException e = assertThrows(HamException.class, () -> sender.send(r.pid, bad, 1));
                    assertEquals(Errno.EINVAL, e.errno(), e.getMessage());
                    assertEquals("signal " + bad + " is not valid", e.detail());
                }
                for (long badPid : new long[] {0, -1, Long.MIN_VALUE}) {
                    assertErrno(Errno.EINVAL, () -> sender.send(badPid, SIGWINCH, 1));
                }
            }
            // Past the Java checks, the helper's sigqueue refuses it too.
            HamException e = assertThrows(HamException.class, () -> spawner.signal(r.pid, 65, 1));
            assertEquals(Errno.EINVAL, e.errno());
            assertEquals("signal 65 is not valid", e.detail());
            assertErrno(Errno.EINVAL, () -> spawner.signal(0, SIGWINCH, 1));

            // SIGRTMAX is taken last of all pending signals: anything sent before it shows up first.
            launcher.signals().send(r.pid, SignalNames.SIGRTMAX, 99);
            r.awaitReceived(SignalNames.SIGRTMAX, 99);
            assertEquals(List.of(new Received(SignalNames.SIGRTMAX, SI_QUEUE, 99)), r.received());
        } finally {
            spawner.close();
        }
    }

    @Test
    void concurrentSendsAllArriveWithTheirValues() throws Exception {
        int threads = 8;
        int each = 25;
        SignalSender sender = launcher.signals();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (Recorder r = new Recorder()) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> jobs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * 1000;
                jobs.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < each; i++) {
                        sender.send(r.pid, 35, base + i); // real-time: queued, none merged
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> j : jobs) {
                j.get(60, TimeUnit.SECONDS);
            }
            Set<Integer> expected = new HashSet<>();
            for (int t = 0; t < threads; t++) {
                for (int i = 0; i < each; i++) {
                    expected.add(t * 1000 + i);
                }
            }
            Await.until(threads * each + " signals", () -> r.received().size() >= threads * each);
            Set<Integer> values = new HashSet<>();
            for (Received x : r.received()) {
                assertEquals(35, x.signum());
                values.add(x.value());
            }
            assertEquals(expected, values);
            assertTrue(sender.describe().startsWith("native"), "all went natively: " + sender.describe());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anExitCallbackOnTheSpawnerReaderThreadSignalsWithoutWaitingOnItself() throws Exception {
        SignalSender sender = launcher.signals();
        org.jham.agent.process.Child sleeper = launcher.start(List.of("/bin/sleep", "1000"), "sleeper");
        try (Recorder r = new Recorder()) {
            CompletableFuture<String> sentOn = new CompletableFuture<>();
            sleeper.onExit(exit -> {
                try {
                    sender.send(r.pid, 41, 77);
                    sentOn.complete(Thread.currentThread().getName());
                } catch (RuntimeException e) {
                    sentOn.completeExceptionally(e);
                }
            });
            ProcessHandle.of(sleeper.pid()).ifPresent(ProcessHandle::destroyForcibly);

            assertEquals("ham-spawner-reader", sentOn.get(60, TimeUnit.SECONDS));
            r.awaitReceived(41, 77);
            assertTrue(launcher.describe().startsWith("native"), "the spawner did not wait itself out and break");
            assertFalse(sender.describe().startsWith("/bin/kill"));
        } finally {
            ProcessHandle.of(sleeper.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
