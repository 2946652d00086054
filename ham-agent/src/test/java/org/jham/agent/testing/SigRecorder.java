package org.jham.agent.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A running {@code src/test/c/sig-recorder} (built with gcc on first use, as SignalSenderIT does):
 * a real process that prints each signal it receives with its sigqueue value. Closing kills it by
 * pid.
 */
public final class SigRecorder implements AutoCloseable {
    private static final Path BINARY = Child.MODULE.resolve("target/test-native/sig-recorder-it");
    private static final Pattern RECORD = Pattern.compile("sig (\\d+) code (-?\\d+) value (-?\\d+)");
    /** si_code of a signal sent by sigqueue. */
    public static final int SI_QUEUE = -1;
    private static boolean built;

    public record Received(int signum, int code, int value) {
    }

    public final Child.Live live;
    public final long pid;

    public SigRecorder() throws IOException {
        build();
        live = new Child.Live(List.of(BINARY.toString()));
        pid = live.process.pid();
        assertEquals(Long.toString(pid), live.await("^ready (\\d+)$"));
    }

    private static synchronized void build() throws IOException {
        if (built) {
            return;
        }
        Files.createDirectories(BINARY.getParent());
        Child.Result r = Child.run("gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-o", BINARY.toString(),
                Child.MODULE.resolve("src/test/c/sig-recorder.c").toString());
        assertEquals(0, r.status(), "gcc: " + r.out());
        built = true;
    }

    public List<Received> received() {
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

    /** Waits until the signal arrived with {@code value}, sent by sigqueue. */
    public void awaitReceived(int signum, int value) {
        Received expected = new Received(signum, SI_QUEUE, value);
        Await.until("signal " + signum + " with value " + value + " at pid " + pid, () -> {
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
