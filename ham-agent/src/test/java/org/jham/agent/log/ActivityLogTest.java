package org.jham.agent.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.jham.Errno;
import org.jham.HamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActivityLogTest {
    private static final Instant T0 = Instant.parse("2026-11-21T13:03:07.123456789Z");
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris"); // UTC+1 in November

    @TempDir
    Path dir;

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        private volatile Instant now;
        private final ZoneId zone;

        ManualClock(Instant now, ZoneId zone) {
            this.now = now;
            this.zone = zone;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        void set(Instant t) {
            now = t;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId z) {
            return new ManualClock(now, z);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private ActivityLogConfig config(TimestampMode mode, Path file) {
        return new ActivityLogConfig(false, 1, mode, file);
    }

    private static List<String> readLines(Path f) throws IOException {
        return Files.readAllLines(f, StandardCharsets.UTF_8);
    }

    @Test
    void relativeStampsCountFromConstruction() throws IOException {
        ManualClock clock = new ManualClock(T0, ZoneOffset.UTC);
        Path f = dir.resolve("ham.log");
        try (ActivityLog log = new ActivityLog(config(TimestampMode.RELATIVE, f), clock)) {
            log.log(1, "started");
            clock.advance(Duration.ofMillis(12_345));
            log.log(1, "hello");
            clock.advance(Duration.ofSeconds(1_000_000));
            log.log(1, "later");
            assertEquals(List.of("[     0.000] started", "[    12.345] hello", "[1000012.345] later"), log.recent());
        }
        assertEquals(List.of("[     0.000] started", "[    12.345] hello", "[1000012.345] later"), readLines(f));
    }

    @Test
    void relativeStampNeverNegativeWhenTheClockStepsBack() {
        ManualClock clock = new ManualClock(T0, ZoneOffset.UTC);
        try (ActivityLog log = new ActivityLog(config(TimestampMode.RELATIVE, dir.resolve("l")), clock)) {
            clock.set(T0.minusSeconds(5));
            log.log(1, "x");
            assertEquals(List.of("[     0.000] x"), log.recent());
        }
    }

    @Test
    void absoluteStampsAreLocalDateAndTimeToTheNanosecond() {
        ManualClock clock = new ManualClock(T0, PARIS);
        try (ActivityLog log = new ActivityLog(config(TimestampMode.ABSOLUTE, dir.resolve("l")), clock)) {
            log.log(1, "hello");
            assertEquals(List.of("2026/11/21 14:03:07.123456789 hello"), log.recent());
        }
    }

    @Test
    void shortAbsoluteStampsAreLocalTimeOfDayToTheMillisecond() {
        ManualClock clock = new ManualClock(T0, PARIS);
        try (ActivityLog log = new ActivityLog(config(TimestampMode.SHORTABS, dir.resolve("l")), clock)) {
            log.log(1, "hello");
            assertEquals(List.of("14:03:07.123 hello"), log.recent());
        }
    }

    @Test
    void noStampIsTheMessageAlone() {
        try (ActivityLog log = new ActivityLog(config(TimestampMode.NONE, dir.resolve("l")),
                new ManualClock(T0, PARIS))) {
            log.log(1, "hello");
            log.log(1, null);
            assertEquals(List.of("hello", "null"), log.recent());
        }
    }

    @Test
    void lineBreaksInAMessageDoNotSplitTheLine() throws IOException {
        Path f = dir.resolve("l");
        try (ActivityLog log = new ActivityLog(config(TimestampMode.NONE, f), new ManualClock(T0, PARIS))) {
            log.log(1, "a\nb\r\nc");
        }
        assertEquals(List.of("a\\nb\\r\\nc"), readLines(f));
    }

    @Test
    void timestampModeParsesIgnoringCase() {
        assertEquals(TimestampMode.NONE, TimestampMode.parse("none"));
        assertEquals(TimestampMode.RELATIVE, TimestampMode.parse("Relative"));
        assertEquals(TimestampMode.ABSOLUTE, TimestampMode.parse("ABSOLUTE"));
        assertEquals(TimestampMode.SHORTABS, TimestampMode.parse(" shortAbs "));
        for (String bad : new String[] {"", "rel", "short-abs", null}) {
            HamException e = assertThrows(HamException.class, () -> TimestampMode.parse(bad));
            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("none, relative, absolute, shortabs"), e.getMessage());
        }
        assertEquals("shortabs", TimestampMode.SHORTABS.optionName());
    }

    @Test
    void messagesAboveTheVerbosityAreNotLogged() {
        try (ActivityLog log = new ActivityLog(config(TimestampMode.NONE, dir.resolve("l")),
                new ManualClock(T0, PARIS))) {
            assertEquals(1, log.verbosity());
            assertTrue(log.isLogged(1));
            assertFalse(log.isLogged(2));
            log.log(1, "one");
            log.log(2, "two");
            assertEquals(3, log.setVerbosity(3));
            log.log(3, "three");
            log.log(4, "four");
            assertEquals(List.of("one", "three"), log.recent());
            assertEquals(0, log.setVerbosity(0));
            log.log(1, "silent");
            assertEquals(List.of("one", "three"), log.recent());
        }
    }

    @Test
    void increaseAndDecreaseFollowHamVerbose() {
        try (ActivityLog log = new ActivityLog(config(TimestampMode.NONE, dir.resolve("l")),
                new ManualClock(T0, PARIS))) {
            assertEquals(2, log.increase(0)); // 0 means 1
            assertEquals(5, log.increase(3));
            assertEquals(4, log.decrease(0));
            assertEquals(2, log.decrease(2));
            assertEquals(0, log.decrease(10)); // floors at 0
            assertEquals(0, log.decrease(1));
            assertEquals(Integer.MAX_VALUE, log.increase(Integer.MAX_VALUE));
            assertEquals(Integer.MAX_VALUE, log.increase(1));
            assertEquals(Errno.EINVAL, assertThrows(HamException.class, () -> log.setVerbosity(-1)).errno());
            assertEquals(Errno.EINVAL, assertThrows(HamException.class, () -> log.increase(-1)).errno());
            assertEquals(Errno.EINVAL, assertThrows(HamException.class, () -> log.decrease(-1)).errno());
            assertEquals(Errno.EINVAL, assertThrows(HamException.class, () -> log.isLogged(0)).errno());
            assertEquals(Errno.EINVAL, assertThrows(HamException.class, () -> log.log(0, "x")).errno());
        }
    }

    @Test
    void disabledWritesNothingAndRecordsNothing() {
        Path f = dir.resolve("never.log");
        List<String> heard = new ArrayList<>();
        try (ActivityLog log = new ActivityLog(new ActivityLogConfig(true, 5, TimestampMode.RELATIVE, f),
                new ManualClock(T0, PARIS))) {
            log.addListener(heard::add);
            assertFalse(log.isLogged(1));
            log.log(1, "hello");
            assertEquals(List.of(), log.recent());
            assertEquals(List.of(), heard);
            assertNull(log.appender());
            // The verbosity can still be read and changed, as through ham_verbose.
            assertEquals(5, log.verbosity());
            assertEquals(6, log.increase(1));
        }
        assertFalse(Files.exists(f), "a disabled log must not create its file");
    }

    @Test
    void fileOutputIsAppendedAndReallyWritten() throws IOException {
        Path f = dir.resolve("sub").resolve("ham.log");
        ManualClock clock = new ManualClock(T0, PARIS);
        try (ActivityLog log = new ActivityLog(config(TimestampMode.NONE, f), clock)) {
            assertInstanceOf(FileAppender.class, log.appender());
            log.log(1, "first");
            // Written at once (immediateFlush), not only at close.
            assertEquals(List.of("first"), readLines(f));
        }
        try (ActivityLog log = new ActivityLog(config(TimestampMode.NONE, f), clock)) {
            log.log(1, "second é");
        }
        assertEquals(List.of("first", "second é"), readLines(f));
    }

    @Test
    void unwritableFileIsEio() throws IOException {
        Path notADir = dir.resolve("file");
        Files.writeString(notADir, "x");
        HamException e = assertThrows(HamException.class,
                () -> new ActivityLog(config(TimestampMode.NONE, notADir.resolve("ham.log")), Clock.systemUTC()));
        assertEquals(Errno.EIO, e.errno());
        assertTrue(e.getMessage().contains(notADir.resolve("ham.log").toString()), e.getMessage());
    }

    @Test
    void withoutAFileLinesGoToStderrThroughAPrivateContext() throws Exception {
        try (ActivityLog log = new ActivityLog(config(TimestampMode.NONE, null), new ManualClock(T0, PARIS))) {
            ConsoleAppender a = assertInstanceOf(ConsoleAppender.class, log.appender());
            assertEquals(ConsoleAppender.Target.SYSTEM_ERR, a.getTarget());
            assertEquals("jham-activity", log.loggerContext().getName());
            assertEquals("jham-activity", log.loggerContext().getConfiguration().getName());
            // Our context is not the one a host application gets from LogManager.
            assertNotSame(log.loggerContext(), LogManager.getContext(false));
            // Nor does it put Log4j's MBeans into the (host's) platform MBeanServer.
            assertTrue(ManagementFactory.getPlatformMBeanServer()
                    .queryNames(new ObjectName("org.apache.logging.log4j2:*"), null).isEmpty());
            log.log(1, "to stderr");
            assertEquals(List.of("to stderr"), log.recent());
        }
    }

    @Test
    void closeStopsTheContextAndLaterLinesAreDropped() {
        ActivityLog log = new ActivityLog(config(TimestampMode.NONE, dir.resolve("l")), new ManualClock(T0, PARIS));
        log.log(1, "before");
        log.close();
        assertTrue(log.loggerContext().isStopped());
        log.log(1, "after");
        log.close(); // idempotent
        assertEquals(List.of("before"), log.recent());
    }

    @Test
    void recentKeepsTheLatestLinesUpToItsCapacity() {
        try (ActivityLog log = new ActivityLog(new ActivityLogConfig(false, 1, TimestampMode.NONE, dir.resolve("l"), 3),
                new ManualClock(T0, PARIS))) {
            for (int i = 1; i <= 5; i++) {
                log.log(1, "m" + i);
            }
            List<String> r = log.recent();
            assertEquals(List.of("m3", "m4", "m5"), r);
            r.clear(); // a copy
            assertEquals(3, log.recent().size());
        }
        try (ActivityLog log = new ActivityLog(new ActivityLogConfig(false, 1, TimestampMode.NONE, dir.resolve("l0"), 0),
                new ManualClock(T0, PARIS))) {
            log.log(1, "x");
            assertEquals(List.of(), log.recent());
        }
        assertEquals(500, ActivityLogConfig.defaults().recentCapacity());
    }

    @Test
    void configIsValidated() {
        assertEquals(Errno.EINVAL, assertThrows(HamException.class,
                () -> new ActivityLogConfig(false, -1, TimestampMode.NONE, null)).errno());
        assertEquals(Errno.EINVAL, assertThrows(HamException.class,
                () -> new ActivityLogConfig(false, 1, TimestampMode.NONE, null, -1)).errno());
        assertThrows(NullPointerException.class, () -> new ActivityLogConfig(false, 1, null, null));
        ActivityLogConfig d = ActivityLogConfig.defaults();
        assertFalse(d.disabled());
        assertEquals(1, d.verbosity());
        assertEquals(TimestampMode.RELATIVE, d.timestamps());
        assertNull(d.file());
    }

    @Test
    void aFailingListenerStopsNeitherTheOthersNorTheLog() {
        List<String> heard = Collections.synchronizedList(new ArrayList<>());
        try (ActivityLog log = new ActivityLog(config(TimestampMode.NONE, dir.resolve("l")),
                new ManualClock(T0, PARIS))) {
            log.addListener(line -> {
                throw new IllegalStateException("boom");
            });
            log.addListener(heard::add);
            log.log(1, "one");
            log.log(1, "two");
            assertEquals(List.of("one", "two"), heard);
            List<String> r = log.recent();
            assertEquals(4, r.size(), r.toString());
            assertEquals("one", r.get(0));
            assertTrue(r.get(1).contains("listener") && r.get(1).contains("boom"), r.get(1));
            assertEquals("two", r.get(2));
            Consumer<String> c = line -> { };
            log.addListener(c);
            assertTrue(log.removeListener(c));
            assertFalse(log.removeListener(c));
        }
    }

    @Test
    void listenersRunOutsideTheLog() throws Exception {
        // A listener that logs (e.g. forwards lines as notifications that log) must not deadlock.
        try (ActivityLog log = new ActivityLog(config(TimestampMode.NONE, dir.resolve("l")),
                new ManualClock(T0, PARIS))) {
            log.addListener(line -> {
                if (line.equals("outer")) {
                    log.log(1, "inner");
                }
            });
            ExecutorService ex = Executors.newSingleThreadExecutor();
            try {
                ex.submit(() -> log.log(1, "outer")).get(10, TimeUnit.SECONDS);
            } finally {
                ex.shutdownNow();
            }
            assertEquals(List.of("outer", "inner"), log.recent());
        }
    }

    @Test
    void concurrentLoggingGivesWholeLines() throws Exception {
        Path f = dir.resolve("concurrent.log");
        int threads = 8;
        int perThread = 500;
        List<String> heard = Collections.synchronizedList(new ArrayList<>());
        try (ActivityLog log = new ActivityLog(new ActivityLogConfig(false, 1, TimestampMode.RELATIVE, f, 100_000),
                Clock.systemUTC())) {
            log.addListener(heard::add);
            ExecutorService ex = Executors.newFixedThreadPool(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                done.add(ex.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        log.log(1, "thread " + id + " line " + i + " " + "x".repeat(200));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> d : done) {
                d.get(60, TimeUnit.SECONDS);
            }
            ex.shutdown();
            assertEquals(threads * perThread, log.recent().size());
            assertEquals(readLines(f), log.recent(), "file and recent() hold the same lines in the same order");
        }
        List<String> lines = readLines(f);
        assertEquals(threads * perThread, lines.size());
        assertEquals(threads * perThread, heard.size());
        Pattern p = Pattern.compile("\\[ *\\d+\\.\\d{3}\\] thread (\\d) line (\\d+) x{200}");
        int[] next = new int[threads];
        for (String line : lines) {
            Matcher m = p.matcher(line);
            assertTrue(m.matches(), "torn line: " + line);
            int id = Integer.parseInt(m.group(1));
            assertEquals(next[id], Integer.parseInt(m.group(2)), "thread " + id + " out of order");
            next[id]++;
        }
    }
}
