package org.jham.agent.state;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.jham.agent.state.Journal.Damage;
import org.jham.agent.state.Journal.Recovered;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The journal on real files in a temporary directory. Damage and crashes are made by editing the
 * files between a close and an open, exactly as a torn write or a crash would leave them; the
 * frames the tests write themselves use their own encoder, so the format on disk is pinned too.
 */
class JournalTest {
    private static final int HEADER = 20;

    @TempDir
    Path tmp;

    // ---- round trip

    @Test
    void aNewJournalIsEmptyAndGivesBackWhatWasAppended() throws IOException {
        Path dir = tmp.resolve("journal");
        List<byte[]> appended = List.of(bytes("first"), new byte[0], new byte[] {0, -1, 127, -128}, bytes("x".repeat(5000)));
        try (Journal j = Journal.open(dir, false)) {
            assertEquals(List.of(), j.recovered().snapshot());
            assertEquals(List.of(), j.recovered().log());
            assertEquals(Optional.empty(), j.recovered().damage());
            assertEquals(0, j.logBytes());
            for (byte[] r : appended) {
                j.append(r);
            }
            assertEquals(appended.stream().mapToLong(r -> 8 + r.length).sum(), j.logBytes());
        }
        try (Journal j = Journal.open(dir, false)) {
            assertRecords(List.of(), j.recovered().snapshot());
            assertRecords(appended, j.recovered().log());
            assertEquals(Optional.empty(), j.recovered().damage());
            assertEquals(appended.stream().mapToLong(r -> 8 + r.length).sum(), j.logBytes(), "the log so far counts");
        }
        assertEquals(setOf("journal.lock", "log-0.jhl", "snapshot-0.jhs"), names(dir));
    }

    @Test
    void aLogWrittenByHandInTheDocumentedFormatIsRead() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("j"));
        Files.write(dir.resolve("snapshot-0.jhs"), snapshotBytes(0, List.of(bytes("s")), 1L));
        Files.write(dir.resolve("log-0.jhl"), concat(logHeader(0), frame(bytes("one")), frame(bytes("two"))));
        try (Journal j = Journal.open(dir, false)) {
            assertStrings(List.of("s"), j.recovered().snapshot());
            assertStrings(List.of("one", "two"), j.recovered().log());
            assertEquals(Optional.empty(), j.recovered().damage());
        }
    }

    @Test
    void theChecksumCoversTheLength() throws IOException {
        Path dir = newJournal("j", "a", "b");
        // a frame of "bc" whose checksum covers only the payload: accepted by a payload-only check
        byte[] payloadOnly = ByteBuffer.allocate(10).putInt(2).putInt(crc(bytes("bc"))).put(bytes("bc")).array();
        appendBytes(logOf(dir, 0), payloadOnly);
        Recovered r = reopen(dir);
        assertStrings(List.of("a", "b"), r.log());
        assertEquals("bad checksum", reasonHead(r));
    }

    // ---- damage

    @Test
    void aTornLastRecordIsCutOffReportedAndKept() throws IOException {
        Path dir = newJournal("j", "alpha", "beta", "gamma-gamma");
        Path log = logOf(dir, 0);
        byte[] before = Files.readAllBytes(log);
        long third = HEADER + 8 + 5 + 8 + 4;
        truncate(log, before.length - 5); // the last write went only part of the way

        Recovered r = reopen(dir);
        assertStrings(List.of("alpha", "beta"), r.log());
        Damage d = r.damage().orElseThrow();
        assertEquals(log, d.file());
        assertEquals(third, d.offset());
        assertTrue(d.reason().startsWith("torn record: 14 of 19 bytes"), d.reason());
        assertArrayEquals(Arrays.copyOfRange(before, (int) third, before.length - 5), Files.readAllBytes(d.preservedAs()));
        assertTrue(d.preservedAs().getFileName().toString().startsWith("log-0.jhl.damaged-"), d.preservedAs().toString());
        assertEquals(third, Files.size(log), "the log is cut back to its last good record");
        assertTrue(d.toString().contains(log.toString()) && d.toString().contains("torn record") && !d.toString().contains("\n"),
                d.toString());
    }

    @Test
    void aTornFrameHeaderIsCutOff() throws IOException {
        Path dir = newJournal("j", "alpha", "beta");
        Path log = logOf(dir, 0);
        long second = HEADER + 8 + 5;
        truncate(log, second + 3);
        Recovered r = reopen(dir);
        assertStrings(List.of("alpha"), r.log());
        assertEquals(second, r.damage().orElseThrow().offset());
        assertEquals("torn record: 3 of at least 8 bytes", reasonHead(r));
    }

    @Test
    void afterATornRecordNewAppendsAreReadableAndTheDamageIsNotReportedTwice() throws IOException {
        Path dir = newJournal("j", "a", "b", "c");
        Path log = logOf(dir, 0);
        truncate(log, Files.size(log) - 1);
        try (Journal j = Journal.open(dir, false)) {
            assertTrue(j.recovered().damage().isPresent());
            j.append(bytes("d"));
            j.append(bytes("e"));
        }
        for (int i = 0; i < 2; i++) {
            Recovered r = reopen(dir);
            assertStrings(List.of("a", "b", "d", "e"), r.log());
            assertEquals(Optional.empty(), r.damage());
        }
        assertEquals(1, damagedFiles(dir, "log-0.jhl").size());
    }

    @Test
    void aBadChecksumInTheMiddleStopsReplayThereAndKeepsEverythingAfterIt() throws IOException {
        Path dir = newJournal("j", "r0", "r1", "r2", "r3", "r4");
        Path log = logOf(dir, 0);
        byte[] before = Files.readAllBytes(log);
        long r2 = HEADER + 2L * (8 + 2);
        flipByte(log, r2 + 8 + 1); // a payload byte of r2

        Recovered r = reopen(dir);
        assertStrings(List.of("r0", "r1"), r.log(), "every good record before the damage, none after it");
        assertEquals(r2, r.damage().orElseThrow().offset());
        assertTrue(reasonHead(r).equals("bad checksum"), r.damage().get().reason());
        assertTrue(r.damage().get().reason().contains("replayed the 2 good records before it"), r.damage().get().reason());
        byte[] kept = Files.readAllBytes(r.damage().get().preservedAs());
        byte[] expected = Arrays.copyOfRange(before, (int) r2, before.length);
        expected[9] ^= 0x40;
        assertArrayEquals(expected, kept, "r2 (as found), r3 and r4 are kept for a person to look at");
        assertEquals(r2, Files.size(log));
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MAX_VALUE, -1, Integer.MIN_VALUE, Journal.MAX_RECORD_BYTES + 1})
    void aBadLengthStopsReplay(int length) throws IOException {
        Path dir = newJournal("j", "r0", "r1", "r2");
        Path log = logOf(dir, 0);
        long r1 = HEADER + 8 + 2;
        writeAt(log, r1, ByteBuffer.allocate(4).putInt(length).array());
        Recovered r = reopen(dir);
        assertStrings(List.of("r0"), r.log());
        assertEquals(r1, r.damage().orElseThrow().offset());
        assertTrue(reasonHead(r).startsWith("bad length " + length), r.damage().get().reason());
        assertEquals(Files.size(r.damage().get().preservedAs()), 2L * (8 + 2));
    }

    @Test
    void aLengthPastTheEndOfTheFileIsATornRecord() throws IOException {
        Path dir = newJournal("j", "r0", "r1");
        Path log = logOf(dir, 0);
        writeAt(log, HEADER + 8 + 2, ByteBuffer.allocate(4).putInt(40).array());
        Recovered r = reopen(dir);
        assertStrings(List.of("r0"), r.log());
        assertEquals("torn record: 10 of 48 bytes", reasonHead(r));
    }

    @Test
    void aLengthChangedWithinTheFileIsABadChecksum() throws IOException {
        Path dir = newJournal("j", "r0", "r1", "r2");
        writeAt(logOf(dir, 0), HEADER + 8 + 2, ByteBuffer.allocate(4).putInt(3).array());
        Recovered r = reopen(dir);
        assertStrings(List.of("r0"), r.log());
        assertEquals("bad checksum", reasonHead(r));
    }

    @Test
    void zerosAfterTheLastGoodRecordAreGarbage() throws IOException {
        // what a file system may leave after a crash: the size grew, the data never came
        Path dir = newJournal("j", "a", "b", "c");
        Path log = logOf(dir, 0);
        long end = Files.size(log);
        appendBytes(log, new byte[4096]);
        Recovered r = reopen(dir);
        assertStrings(List.of("a", "b", "c"), r.log());
        assertEquals(end, r.damage().orElseThrow().offset());
        assertEquals("bad checksum", reasonHead(r));
        assertEquals(4096, Files.size(r.damage().get().preservedAs()));
        assertEquals(end, Files.size(log));
    }

    @Test
    void randomGarbageAfterTheLastGoodRecordNeverReplays() throws IOException {
        Random random = new Random(42);
        for (int i = 0; i < 50; i++) {
            Path dir = newJournal("j" + i, "a", "b");
            Path log = logOf(dir, 0);
            long end = Files.size(log);
            byte[] garbage = new byte[1 + random.nextInt(200)];
            random.nextBytes(garbage);
            appendBytes(log, garbage);
            Recovered r = reopen(dir);
            assertStrings(List.of("a", "b"), r.log(), "garbage #" + i);
            assertEquals(end, r.damage().orElseThrow().offset(), "garbage #" + i);
        }
    }

    @Test
    void aLogWithABadHeaderIsKeptWholeAndReplacedByAnEmptyOne() throws IOException {
        Path dir = newJournal("j", "a", "b");
        Path log = logOf(dir, 0);
        byte[] before = Files.readAllBytes(log);
        writeAt(log, 0, bytes("XXXX"));
        Recovered r = reopen(dir);
        assertEquals(List.of(), r.log());
        assertEquals(0, r.damage().orElseThrow().offset());
        assertTrue(reasonHead(r).startsWith("bad header checksum"), r.damage().get().reason());
        byte[] kept = Files.readAllBytes(r.damage().get().preservedAs());
        assertArrayEquals(Arrays.copyOfRange(before, 4, before.length), Arrays.copyOfRange(kept, 4, kept.length));
        try (Journal j = Journal.open(dir, false)) {
            assertEquals(Optional.empty(), j.recovered().damage());
            j.append(bytes("c"));
        }
        assertStrings(List.of("c"), reopen(dir).log());
    }

    // ---- compaction

    @Test
    void compactionRoundTripAndAppendsAfterIt() throws IOException {
        Path dir = tmp.resolve("j");
        List<byte[]> state = IntStream.range(0, 1000).mapToObj(i -> bytes("entity-" + i + "-" + "s".repeat(i % 300)))
                .collect(Collectors.toList());
        try (Journal j = Journal.open(dir, false)) {
            j.append(bytes("a"));
            j.append(bytes("b"));
            j.compact(state);
            assertEquals(0, j.logBytes());
            assertEquals(1, j.generation());
            j.append(bytes("x"));
            j.append(bytes("y"));
            assertEquals(2 * 9, j.logBytes());
        }
        assertEquals(setOf("journal.lock", "log-1.jhl", "snapshot-1.jhs"), names(dir), "generation 0 is gone");
        try (Journal j = Journal.open(dir, false)) {
            assertRecords(state, j.recovered().snapshot());
            assertStrings(List.of("x", "y"), j.recovered().log());
            assertEquals(Optional.empty(), j.recovered().damage());
            j.compact(List.of());
            j.append(bytes("z"));
        }
        Recovered r = reopen(dir);
        assertEquals(List.of(), r.snapshot());
        assertStrings(List.of("z"), r.log());
        assertEquals(setOf("journal.lock", "log-2.jhl", "snapshot-2.jhs"), names(dir));
    }

    @Test
    void aSnapshotWithRecordsLargerThanTheWriteBufferRoundTrips() throws IOException {
        Path dir = tmp.resolve("j");
        Random random = new Random(7);
        List<byte[]> state = new ArrayList<>();
        for (int size : new int[] {1 << 18, 10, (1 << 18) - 8, 3 << 20, 0, 100}) {
            byte[] b = new byte[size];
            random.nextBytes(b);
            state.add(b);
        }
        try (Journal j = Journal.open(dir, false)) {
            j.compact(state);
        }
        assertRecords(state, reopen(dir).snapshot());
    }

    /**
     * Every moment a compaction from generation 1 (snapshot S1 S2, log a1 a2) to generation 2
     * (snapshot N1 N2 N3) can be cut short, as the files it leaves: the old state or the new one
     * is recovered, never a mix, and appends go on after it.
     */
    enum Window {
        TEMP_SNAPSHOT_HALF_WRITTEN(true, "snapshot-1.jhs", "log-1.jhl", "snapshot-2.jhs.tmp:half"),
        TEMP_SNAPSHOT_WRITTEN_NOT_RENAMED(true, "snapshot-1.jhs", "log-1.jhl", "snapshot-2.jhs.tmp"),
        RENAMED_NO_NEW_LOG(false, "snapshot-1.jhs", "log-1.jhl", "snapshot-2.jhs"),
        NEW_LOG_EMPTY(false, "snapshot-1.jhs", "log-1.jhl", "snapshot-2.jhs", "log-2.jhl:empty"),
        NEW_LOG_HEADER_TORN(false, "snapshot-1.jhs", "log-1.jhl", "snapshot-2.jhs", "log-2.jhl:7"),
        NEW_LOG_CREATED(false, "snapshot-1.jhs", "log-1.jhl", "snapshot-2.jhs", "log-2.jhl"),
        OLD_SNAPSHOT_DELETED(false, "log-1.jhl", "snapshot-2.jhs", "log-2.jhl"),
        OLD_LOG_DELETED_FIRST(false, "snapshot-1.jhs", "snapshot-2.jhs", "log-2.jhl"),
        DONE(false, "snapshot-2.jhs", "log-2.jhl");

        final boolean old;
        final List<String> files;

        Window(boolean old, String... files) {
            this.old = old;
            this.files = List.of(files);
        }
    }

    @ParameterizedTest
    @EnumSource(Window.class)
    void aCompactionCutShortRecoversTheOldStateOrTheNewOne(Window w) throws IOException {
        Map<String, byte[]> files = compactionFiles();
        Path dir = Files.createDirectories(tmp.resolve("crash"));
        for (String spec : w.files) {
            String[] f = spec.split(":");
            byte[] content = files.get(f[0].replace(".tmp", ""));
            if (f.length > 1) {
                content = Arrays.copyOf(content, f[1].equals("half") ? content.length / 2 : f[1].equals("empty") ? 0
                        : Integer.parseInt(f[1]));
            }
            Files.write(dir.resolve(f[0]), content);
        }
        List<String> snapshot = w.old ? List.of("S1", "S2") : List.of("N1", "N2", "N3");
        List<String> log = w.old ? List.of("a1", "a2") : List.of();
        String g = w.old ? "1" : "2";
        try (Journal j = Journal.open(dir, false)) {
            Recovered r = j.recovered();
            assertEquals(Optional.empty(), r.damage(), w.name());
            assertStrings(snapshot, r.snapshot(), w.name());
            assertStrings(log, r.log(), w.name());
            assertEquals(setOf("journal.lock", "log-" + g + ".jhl", "snapshot-" + g + ".jhs"), names(dir),
                    w + ": the other generation and the temporary file are gone");
            j.append(bytes("after"));
        }
        Recovered r = reopen(dir);
        assertStrings(snapshot, r.snapshot(), w.name());
        assertStrings(Stream.concat(log.stream(), Stream.of("after")).collect(Collectors.toList()), r.log(), w.name());
        assertEquals(Optional.empty(), r.damage(), w.name());
    }

    @Test
    void anIncompleteNewestSnapshotFallsBackToTheOlderGenerationAndSaysSo() throws IOException {
        // a power loss without fsync: the rename reached the disk, the snapshot's data did not
        Map<String, byte[]> files = compactionFiles();
        Path dir = Files.createDirectories(tmp.resolve("crash"));
        Files.write(dir.resolve("snapshot-1.jhs"), files.get("snapshot-1.jhs"));
        Files.write(dir.resolve("log-1.jhl"), files.get("log-1.jhl"));
        byte[] s2 = files.get("snapshot-2.jhs");
        Files.write(dir.resolve("snapshot-2.jhs"), Arrays.copyOf(s2, s2.length - 16)); // no trailer
        Files.write(dir.resolve("log-2.jhl"), files.get("log-2.jhl"));

        Recovered r = reopen(dir);
        assertStrings(List.of("S1", "S2"), r.snapshot());
        assertStrings(List.of("a1", "a2"), r.log());
        Damage d = r.damage().orElseThrow();
        assertEquals(dir.resolve("snapshot-2.jhs"), d.file());
        assertTrue(d.reason().startsWith("incomplete snapshot: no trailer"), d.reason());
        assertTrue(d.reason().contains("fell back to generation 1"), d.reason());
        assertArrayEquals(Arrays.copyOf(s2, s2.length - 16), Files.readAllBytes(d.preservedAs()));
        assertTrue(d.reason().contains("log-2.jhl"), "the newer log is set aside too: " + d.reason());
        assertFalse(Files.exists(dir.resolve("snapshot-2.jhs")));
    }

    @Test
    void aDamagedSnapshotWithNoOlderGenerationRecoversNothingAndSaysSo() throws IOException {
        Map<String, byte[]> files = compactionFiles();
        Path dir = Files.createDirectories(tmp.resolve("crash"));
        byte[] s2 = files.get("snapshot-2.jhs");
        s2[HEADER + 9] ^= 1; // a payload byte of N1
        Files.write(dir.resolve("snapshot-2.jhs"), s2);
        Files.write(dir.resolve("log-2.jhl"), concat(files.get("log-2.jhl"), frame(bytes("m1"))));
        try (Journal j = Journal.open(dir, false)) {
            Recovered r = j.recovered();
            assertEquals(List.of(), r.snapshot());
            assertEquals(List.of(), r.log());
            Damage d = r.damage().orElseThrow();
            assertEquals(dir.resolve("snapshot-2.jhs"), d.file());
            assertEquals(HEADER, d.offset());
            assertTrue(d.reason().startsWith("bad checksum; no complete snapshot is left: nothing recovered"), d.reason());
            assertTrue(Files.exists(d.preservedAs()));
            assertEquals(1, damagedFiles(dir, "log-2.jhl").size(), "its log is kept too");
            assertEquals(3, j.generation(), "a fresh generation, past every damaged one");
            j.append(bytes("new"));
        }
        Recovered r = reopen(dir);
        assertStrings(List.of("new"), r.log());
        assertEquals(Optional.empty(), r.damage());
    }

    @Test
    void aSnapshotWithoutItsExactTrailerIsNotTakenForAWholeOne() throws IOException {
        List<byte[]> two = List.of(bytes("one"), bytes("two"));
        byte[] flipped = snapshotBytes(0, two, 2L);
        flipped[flipped.length - 9] ^= 1; // the count, after its checksum was taken
        Map<String, byte[]> cases = Map.of(
                "trailer counts 1 records, the file holds 2", snapshotBytes(0, two, 1L),
                "bad snapshot checksum in the trailer", flipped,
                "incomplete snapshot: no trailer", snapshotBytes(0, two, null),
                "bytes after the trailer", concat(snapshotBytes(0, two, 2L), new byte[1]));
        for (Map.Entry<String, byte[]> c : cases.entrySet()) {
            Path dir = Files.createDirectories(tmp.resolve("j" + c.getValue().length + c.getKey().length()));
            Files.write(dir.resolve("snapshot-0.jhs"), c.getValue());
            Files.write(dir.resolve("log-0.jhl"), concat(logHeader(0), frame(bytes("m"))));
            Recovered r = reopen(dir);
            assertEquals(List.of(), r.snapshot(), c.getKey());
            assertEquals(List.of(), r.log(), c.getKey());
            assertTrue(reasonHead(r).startsWith(c.getKey()), r.damage().orElseThrow().reason());
        }
        Path whole = Files.createDirectories(tmp.resolve("whole"));
        Files.write(whole.resolve("snapshot-0.jhs"), snapshotBytes(0, two, 2L));
        Files.write(whole.resolve("log-0.jhl"), concat(logHeader(0), frame(bytes("m"))));
        Recovered r = reopen(whole);
        assertStrings(List.of("one", "two"), r.snapshot());
        assertStrings(List.of("m"), r.log());
    }

    // ---- erase, limits, lifecycle

    @Test
    void eraseDeletesTheJournalAndOnlyTheJournal() throws IOException {
        Path dir = newJournal("j", "a", "b");
        appendBytes(logOf(dir, 0), new byte[3]);
        reopen(dir); // leaves a damaged copy
        assertEquals(1, damagedFiles(dir, "log-0.jhl").size());
        Files.writeString(dir.resolve("notes.txt"), "not the journal's");
        Journal.erase(dir);
        assertEquals(setOf("notes.txt"), names(dir));
        Files.delete(dir.resolve("notes.txt"));

        Path dir2 = newJournal("j2", "a");
        Journal.erase(dir2);
        assertFalse(Files.exists(dir2), "an emptied directory goes too");
        Journal.erase(dir2); // nothing there: fine
        Recovered r = reopen(dir2);
        assertEquals(List.of(), r.log());
        assertEquals(Optional.empty(), r.damage());
    }

    @Test
    void recordsOverTheMaximumAreRefusedAndChangeNothing() throws IOException {
        Path dir = tmp.resolve("j");
        byte[] max = new byte[Journal.MAX_RECORD_BYTES];
        new Random(1).nextBytes(max);
        try (Journal j = Journal.open(dir, false)) {
            j.append(bytes("a"));
            long before = j.logBytes();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> j.append(new byte[Journal.MAX_RECORD_BYTES + 1]));
            assertTrue(e.getMessage().contains("16777217"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> j.append(null));
            assertThrows(IllegalArgumentException.class,
                    () -> j.compact(List.of(bytes("ok"), new byte[Journal.MAX_RECORD_BYTES + 1])));
            assertEquals(before, j.logBytes());
            assertEquals(0, j.generation());
            j.append(max);
            j.append(bytes("b"));
        }
        Recovered r = reopen(dir);
        assertEquals(3, r.log().size());
        assertArrayEquals(max, r.log().get(1));
        assertEquals("b", new String(r.log().get(2), UTF_8));
    }

    @Test
    void oneJournalPerDirectoryAtATime() throws IOException {
        Path dir = tmp.resolve("j");
        try (Journal j = Journal.open(dir, false)) {
            IOException e = assertThrows(IOException.class, () -> Journal.open(dir, false));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            j.append(bytes("still mine"));
        }
        try (Journal j = Journal.open(dir, false)) {
            assertStrings(List.of("still mine"), j.recovered().log());
        }
    }

    @Test
    void aClosedJournalRefusesCalls() throws IOException {
        Journal j = Journal.open(tmp.resolve("j"), false);
        j.close();
        j.close();
        assertThrows(IOException.class, () -> j.append(bytes("late")));
        assertThrows(IOException.class, () -> j.compact(List.of()));
    }

    @Test
    void anInterruptedThreadCanAppendAndCompactWithoutClosingTheJournal() throws IOException {
        // a JMX handler thread interrupted by an ABRUPT disconnect must not close the journal for everyone
        Path dir = tmp.resolve("j");
        for (boolean fsync : new boolean[] {false, true}) {
            Journal.erase(dir);
            try (Journal j = Journal.open(dir, fsync)) {
                Thread.currentThread().interrupt();
                try {
                    j.append(bytes("a"));
                    j.compact(List.of(bytes("s")));
                    j.append(bytes("b"));
                    assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is still there for the caller");
                } finally {
                    Thread.interrupted();
                }
                j.append(bytes("c"));
            }
            Recovered r = reopen(dir);
            assertStrings(List.of("s"), r.snapshot());
            assertStrings(List.of("b", "c"), r.log());
        }
    }

    // ---- concurrency and fsync

    @Test
    void concurrentAppendsAreAllThereWholeAndInEachThreadsOrder() throws Exception {
        Path dir = tmp.resolve("j");
        int threads = 8;
        int perThread = 1000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (Journal j = Journal.open(dir, false)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        j.append(threadRecord(thread, i));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
            long expected = 0;
            for (int t = 0; t < threads; t++) {
                for (int i = 0; i < perThread; i++) {
                    expected += 8 + threadRecord(t, i).length;
                }
            }
            assertEquals(expected, j.logBytes());
        } finally {
            pool.shutdownNow();
        }
        Recovered r = reopen(dir);
        assertEquals(Optional.empty(), r.damage());
        assertEquals(threads * perThread, r.log().size());
        int[] next = new int[threads];
        for (byte[] rec : r.log()) {
            ByteBuffer b = ByteBuffer.wrap(rec);
            int thread = b.getInt();
            int i = b.getInt();
            assertEquals(next[thread]++, i, "thread " + thread + "'s records in its order");
            assertArrayEquals(threadRecord(thread, i), rec, "record " + thread + "/" + i + " whole");
        }
        for (int t = 0; t < threads; t++) {
            assertEquals(perThread, next[t]);
        }
    }

    @Test
    void fsyncModeWritesTheSameJournal() throws IOException {
        Path dir = tmp.resolve("j");
        try (Journal j = Journal.open(dir, true)) {
            assertTrue(j.fsync());
            j.append(bytes("a"));
            j.compact(List.of(bytes("s1"), bytes("s2")));
            j.append(bytes("b"));
        }
        try (Journal j = Journal.open(dir, true)) {
            assertStrings(List.of("s1", "s2"), j.recovered().snapshot());
            assertStrings(List.of("b"), j.recovered().log());
            j.append(bytes("c"));
        }
        Path log = logOf(dir, 1);
        truncate(log, Files.size(log) - 1);
        try (Journal j = Journal.open(dir, true)) {
            assertStrings(List.of("b"), j.recovered().log());
            assertTrue(j.recovered().damage().isPresent());
            j.append(bytes("d"));
        }
        Recovered r = reopen(dir);
        assertStrings(List.of("s1", "s2"), r.snapshot());
        assertStrings(List.of("b", "d"), r.log());
    }

    // ---- helpers

    /** The files of generation 1 (snapshot S1 S2, log a1 a2) and of generation 2 (snapshot N1 N2 N3, empty log). */
    private Map<String, byte[]> compactionFiles() throws IOException {
        Path dir = tmp.resolve("source");
        Map<String, byte[]> files = new TreeMap<>();
        try (Journal j = Journal.open(dir, false)) {
            j.append(bytes("x"));
            j.compact(List.of(bytes("S1"), bytes("S2")));
            j.append(bytes("a1"));
            j.append(bytes("a2"));
            for (String f : List.of("snapshot-1.jhs", "log-1.jhl")) {
                files.put(f, Files.readAllBytes(dir.resolve(f)));
            }
            j.compact(List.of(bytes("N1"), bytes("N2"), bytes("N3")));
            for (String f : List.of("snapshot-2.jhs", "log-2.jhl")) {
                files.put(f, Files.readAllBytes(dir.resolve(f)));
            }
        }
        Journal.erase(dir);
        return files;
    }

    private Path newJournal(String name, String... records) throws IOException {
        Path dir = tmp.resolve(name);
        try (Journal j = Journal.open(dir, false)) {
            for (String r : records) {
                j.append(bytes(r));
            }
        }
        return dir;
    }

    private static Recovered reopen(Path dir) throws IOException {
        try (Journal j = Journal.open(dir, false)) {
            return j.recovered();
        }
    }

    private static String reasonHead(Recovered r) {
        return r.damage().orElseThrow().reason().split(";")[0];
    }

    private static byte[] threadRecord(int thread, int i) {
        byte[] b = new byte[8 + (thread * 37 + i * 11) % 300];
        ByteBuffer.wrap(b).putInt(thread).putInt(i);
        for (int k = 8; k < b.length; k++) {
            b[k] = (byte) (thread * 31 + i + k);
        }
        return b;
    }

    private static Path logOf(Path dir, long g) {
        return dir.resolve("log-" + g + ".jhl");
    }

    private static List<Path> damagedFiles(Path dir, String of) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(of + ".damaged-")).collect(Collectors.toList());
        }
    }

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Set<String> setOf(String... names) {
        return new TreeSet<>(List.of(names));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private static void assertStrings(List<String> expected, List<byte[]> actual) {
        assertStrings(expected, actual, "");
    }

    private static void assertStrings(List<String> expected, List<byte[]> actual, String what) {
        assertEquals(expected, actual.stream().map(b -> new String(b, UTF_8)).collect(Collectors.toList()), what);
    }

    private static void assertRecords(List<byte[]> expected, List<byte[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "record " + i);
        }
    }

    // the format, written independently of the code under test

    private static int crc(byte[] lengthThenPayload) {
        CRC32C c = new CRC32C();
        c.update(lengthThenPayload);
        return (int) c.getValue();
    }

    private static byte[] frame(byte[] payload) {
        byte[] covered = ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
        return ByteBuffer.allocate(8 + payload.length).putInt(payload.length).putInt(crc(covered)).put(payload).array();
    }

    private static byte[] header(String magic, long g) {
        ByteBuffer b = ByteBuffer.allocate(HEADER).put(magic.getBytes(UTF_8)).putInt(1).putLong(g);
        return b.putInt(crc(Arrays.copyOf(b.array(), 16))).array();
    }

    private static byte[] logHeader(long g) {
        return header("JHLG", g);
    }

    /** A snapshot file; its trailer says {@code count} records, or it has no trailer when null. */
    private static byte[] snapshotBytes(long g, List<byte[]> records, Long count) {
        byte[] body = concat(Stream.concat(Stream.of(header("JHSS", g)), records.stream().map(JournalTest::frame))
                .toArray(byte[][]::new));
        if (count == null) {
            return body;
        }
        byte[] upToSum = concat(body, ByteBuffer.allocate(12).putInt(-1).putLong(count).array());
        return concat(upToSum, ByteBuffer.allocate(4).putInt(crc(upToSum)).array());
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    private static void truncate(Path f, long size) throws IOException {
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(size);
        }
    }

    private static void writeAt(Path f, long offset, byte[] b) throws IOException {
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.seek(offset);
            r.write(b);
        }
    }

    private static void flipByte(Path f, long offset) throws IOException {
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.seek(offset);
            int b = r.read();
            r.seek(offset);
            r.write(b ^ 0x40);
        }
    }

    private static void appendBytes(Path f, byte[] b) throws IOException {
        Files.write(f, b, StandardOpenOption.APPEND);
    }
}
