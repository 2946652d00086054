package org.jham.agent.state;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * A durable, checksummed record store: a write-ahead log of opaque records on top of a snapshot,
 * in a directory of its own. The HAM appends one record per acknowledged mutation before the JMX
 * call returns, and now and then {@linkplain #compact compacts} its whole state into a new
 * snapshot; the Guardian (or the next HAM) {@linkplain #open opens} the directory and replays
 * {@link #recovered()}: the snapshot's records, then the log's. The file format is in
 * {@code package-info.java}.
 *
 * <h2>What survives what</h2>
 * <ul>
 * <li>{@code fsync = false}: {@link #append} is one {@code write(2)} into the page cache and no
 *     {@code fsync} anywhere, compaction included. A record is durable against the death of the
 *     process (a {@code kill -9} of the HAM at any instant, which is what the Guardian covers),
 *     not against a crash of the machine or a power loss: those may lose the last records, or,
 *     when they strike soon after a compaction, the whole journal (reported on open, never
 *     replayed wrong).</li>
 * <li>{@code fsync = true}: every append is also forced to the disk ({@code fsync(2)}) before it
 *     returns, and a compaction forces the new snapshot, the new log and the directory before the
 *     old generation goes: durable against power loss too, at the disk's flush latency per
 *     append (see {@code bench/journal}).</li>
 * </ul>
 *
 * <h2>Damage</h2>
 * Open reads up to the first damage (a torn record, a bad length, a bad checksum, garbage after
 * the last good record) and stops there: the good records before it are all kept; the bytes from
 * the damage on are copied to {@code <file>.damaged-<UTC time>}, the log is cut back to its last
 * good record, so new appends follow it, and {@link Recovered#damage()} says what happened. An
 * incomplete or corrupt snapshot is set aside the same way and the previous complete generation,
 * if one is left, is used instead (reported as damage too); with none, nothing is recovered and
 * the damage says so.
 *
 * <h2>Interrupts</h2>
 * Every write goes through {@link FileOutputStream} and {@link RandomAccessFile}, which a
 * {@link Thread#interrupt()} does not affect, not through an interruptible {@code FileChannel},
 * which an interrupt closes: a JMX handler or lane thread interrupted mid-append (an ABRUPT
 * disconnect, a shutdown) must not close the journal under every other thread. The file
 * descriptor is opened with {@code O_APPEND} all the same.
 *
 * <p>Thread-safe: all methods are serialised on this object. One {@code Journal} per directory,
 * across processes: {@link #open} takes an OS lock on {@code journal.lock} and fails while another
 * holds it (the OS drops the lock when its process dies).
 */
public final class Journal implements AutoCloseable {
    /** The largest record {@link #append} and {@link #compact} accept: 16 MiB. */
    public static final int MAX_RECORD_BYTES = Format.MAX_RECORD;
    static final String LOCK_FILE = "journal.lock";

    private static final Pattern SNAPSHOT = Pattern.compile("snapshot-(\\d{1,18})\\.jhs");
    private static final Pattern LOG = Pattern.compile("log-(\\d{1,18})\\.jhl");
    private static final Pattern OURS = Pattern.compile("(snapshot-\\d+\\.jhs|log-\\d+\\.jhl)(\\.tmp|\\.damaged-.*)?");
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** What open() found: the snapshot's records (in order), then the log's records appended after it, and damage, if any. */
    public record Recovered(List<byte[]> snapshot, List<byte[]> log, Optional<Damage> damage) {
        public Recovered {
            snapshot = Collections.unmodifiableList(new ArrayList<>(snapshot));
            log = Collections.unmodifiableList(new ArrayList<>(log));
            Objects.requireNonNull(damage, "damage");
        }
    }

    /**
     * Where replay stopped and why: the damaged file, the byte offset of the first bad byte, the
     * reason (e.g. {@code "torn record: 12 of 40 bytes"}, {@code "bad checksum"}) with what was done
     * about it, and where the damaged bytes were kept.
     */
    public record Damage(Path file, long offset, String reason, Path preservedAs) {
        @Override
        public String toString() {
            return "journal damage in " + file + " at byte " + offset + ": " + reason + " (damaged bytes kept in "
                    + preservedAs + ")";
        }
    }

    private final Path dir;
    private final boolean fsync;
    private final FileChannel lockChannel;
    private final CRC32C crc = new CRC32C();
    /** The frame being appended, reused: one write(2) per append without garbage for small records. */
    private byte[] frame = new byte[1 << 12];
    private Recovered recovered;
    private long generation;
    private FileOutputStream log;
    private long logSize;
    private IOException broken;
    /** Why the last compaction left its old generation behind, for a person debugging; null if it did not. */
    private IOException leftover;
    private boolean closed;

    private Journal(Path dir, boolean fsync, FileChannel lockChannel) {
        this.dir = dir;
        this.fsync = fsync;
        this.lockChannel = lockChannel;
    }

    /**
     * Opens (creating) the journal in {@code dir} and reads what is there (see
     * {@link #recovered()}); {@code fsync}: force each append and each snapshot to the disk before
     * returning (see the class comment for the trade-off).
     *
     * @throws IOException when the directory cannot be used, another {@code Journal} holds it, or
     *         damage cannot be set aside (nothing is cut from a file whose damage was not kept)
     */
    public static Journal open(Path dir, boolean fsync) throws IOException {
        Files.createDirectories(dir);
        FileChannel lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        try {
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IOException("journal " + dir + " is in use by another Journal (" + LOCK_FILE + " is locked)");
            }
            Journal j = new Journal(dir, fsync, lockChannel);
            try {
                j.recover();
            } catch (IOException | RuntimeException | Error e) {
                if (j.log != null) {
                    j.log.close();
                }
                throw e;
            }
            return j;
        } catch (IOException | RuntimeException | Error e) {
            lockChannel.close();
            throw e;
        }
    }

    /** What {@link #open} found. */
    public synchronized Recovered recovered() {
        return recovered;
    }

    /** The directory this journal lives in. */
    public Path dir() {
        return dir;
    }

    /** Whether appends and snapshots are forced to the disk. */
    public boolean fsync() {
        return fsync;
    }

    /** The current generation: 0 for a new journal, one more at each {@link #compact}. */
    public synchronized long generation() {
        return generation;
    }

    /** Bytes appended to the log since the last compaction (frames included); the caller decides when to compact. */
    public synchronized long logBytes() {
        return logSize - Format.HEADER_SIZE;
    }

    /**
     * Appends one record: it is written, and forced to the disk when {@code fsync}, before this
     * returns. When it fails the log is cut back to where it was, so a later append is readable;
     * when even that fails, or a force fails (the kernel may then have dropped the data), the
     * journal is broken and every later call fails.
     *
     * @throws IllegalArgumentException if the record is null or longer than {@link #MAX_RECORD_BYTES}
     */
    public synchronized void append(byte[] record) throws IOException {
        Format.checkRecord(record);
        checkUsable();
        int n = Format.FRAME_HEADER_SIZE + record.length;
        if (frame.length < n) {
            frame = new byte[Math.max(n, Math.min(2 * frame.length, Format.FRAME_HEADER_SIZE + Format.MAX_RECORD))];
        }
        Format.putFrame(ByteBuffer.wrap(frame), crc, record);
        long before = logSize;
        try {
            log.write(frame, 0, n);
        } catch (IOException e) {
            cutBack(before, e, false);
            throw e;
        } finally {
            if (frame.length > 1 << 16) { // do not keep a 16 MiB buffer for one big record
                frame = new byte[1 << 12];
            }
        }
        if (fsync) {
            try {
                log.getFD().sync();
            } catch (IOException e) {
                cutBack(before, e, true);
                throw e;
            }
        }
        logSize = before + n;
    }

    /**
     * Replaces snapshot and log by a new snapshot holding exactly {@code snapshot} and an empty
     * log (the next generation), atomically: a crash at any moment leaves either the old state or
     * the new one readable. The steps: write {@code snapshot-<g+1>.jhs.tmp} (forced when fsync),
     * rename it to {@code snapshot-<g+1>.jhs} (the commit point; then the directory is forced),
     * create {@code log-<g+1>.jhl}, then delete generation {@code g}.
     *
     * @throws IllegalArgumentException if a record is null or too long (nothing is written)
     * @throws IOException before the rename: nothing changed; after it (creating the new log): the
     *         journal is broken (the new generation is on disk, but appends cannot go on)
     */
    public synchronized void compact(List<byte[]> snapshot) throws IOException {
        for (byte[] r : snapshot) {
            Format.checkRecord(r);
        }
        checkUsable();
        long old = generation;
        FileOutputStream newLog = startGeneration(old + 1, snapshot);
        FileOutputStream oldLog = log;
        log = newLog;
        logSize = Format.HEADER_SIZE;
        generation = old + 1;
        // Past the commit point the new generation is in use whatever happens here; a leftover
        // older generation is harmless (open() deletes superseded ones), so this is best effort.
        try {
            oldLog.close();
            Files.deleteIfExists(snapshotPath(old));
            Files.deleteIfExists(logPath(old));
        } catch (IOException e) {
            leftover = e;
        }
    }

    /** Why the last {@link #compact} could not delete the old generation (harmless: open() does), or empty. */
    public synchronized Optional<IOException> leftoverFailure() {
        return Optional.ofNullable(leftover);
    }

    /** Closes the log and releases the directory; idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (log != null) {
                log.close();
            }
        } finally {
            lockChannel.close();
        }
    }

    /**
     * Deletes the journal in {@code dir} (for {@code --fresh}): every journal file, damaged copies
     * included, and the directory if that leaves it empty. Files that are not the journal's are
     * left alone. Not while a {@code Journal} has it open.
     */
    public static void erase(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (OURS.matcher(n).matches() || n.equals(LOCK_FILE)) {
                    Files.deleteIfExists(p);
                }
            }
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            if (!ds.iterator().hasNext()) {
                Files.deleteIfExists(dir);
            }
        }
    }

    @Override
    public String toString() {
        return "Journal[" + dir + ", generation " + generation + (fsync ? ", fsync" : "") + "]";
    }

    // ---- recovery

    private void recover() throws IOException {
        TreeMap<Long, Path> snapshots = new TreeMap<>();
        TreeMap<Long, Path> logs = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                Matcher m;
                if ((m = SNAPSHOT.matcher(n)).matches()) {
                    snapshots.put(Long.parseLong(m.group(1)), p);
                } else if ((m = LOG.matcher(n)).matches()) {
                    logs.put(Long.parseLong(m.group(1)), p);
                } else if (OURS.matcher(n).matches() && n.endsWith(".tmp")) {
                    Files.delete(p); // a compaction that never reached its commit point
                }
            }
        }
        if (snapshots.isEmpty() && logs.isEmpty()) {
            generation = 0;
            log = startGeneration(0, List.of());
            recovered = new Recovered(List.of(), List.of(), Optional.empty());
            return;
        }
        List<Damage> damages = new ArrayList<>();
        long chosen = -1;
        List<byte[]> snapshot = List.of();
        List<Damage> badSnapshots = new ArrayList<>();
        for (long g : snapshots.descendingKeySet()) {
            Path p = snapshots.get(g);
            Format.Scan s = Format.readSnapshot(p, g);
            if (!s.damaged()) {
                chosen = g;
                snapshot = s.records();
                break;
            }
            badSnapshots.add(new Damage(p, s.damageOffset(), s.reason(), setAside(p)));
        }
        String consequence = chosen >= 0 ? "fell back to generation " + chosen + ", the newest complete one"
                : "no complete snapshot is left: nothing recovered";
        for (Damage d : badSnapshots) {
            damages.add(new Damage(d.file(), d.offset(), d.reason() + "; " + consequence, d.preservedAs()));
        }
        for (Map.Entry<Long, Path> e : logs.entrySet()) {
            long g = e.getKey();
            if (g < chosen) {
                Files.delete(e.getValue()); // superseded by a later snapshot
            } else if (g > chosen) {
                damages.add(new Damage(e.getValue(), 0, "log of generation " + g
                        + " has no complete snapshot under it: its records are not replayed", setAside(e.getValue())));
            }
        }
        for (Map.Entry<Long, Path> e : snapshots.headMap(chosen).entrySet()) {
            Files.delete(e.getValue()); // superseded
        }
        List<byte[]> records = List.of();
        if (chosen < 0) {
            long last = Math.max(snapshots.isEmpty() ? -1 : snapshots.lastKey(), logs.isEmpty() ? -1 : logs.lastKey());
            generation = last + 1;
            log = startGeneration(generation, List.of());
        } else {
            generation = chosen;
            records = openLog(chosen, damages);
        }
        recovered = new Recovered(snapshot, records, summary(damages));
    }

    /** Reads generation {@code g}'s log, sets its damage aside, and opens it for appends. */
    private List<byte[]> openLog(long g, List<Damage> damages) throws IOException {
        Path p = logPath(g);
        if (!Files.exists(p) || isPartOfHeader(p, g)) { // a crash while the log was being created: no record lost
            Files.deleteIfExists(p);
            log = createLog(g);
            return List.of();
        }
        Format.Scan s = Format.scanLog(p, g);
        if (s.damaged()) {
            int good = s.records().size();
            String what = good == 0 ? "nothing replayed from this log" : "replayed the " + good + " good record"
                    + (good == 1 ? "" : "s") + " before it";
            if (s.goodEnd() < Format.HEADER_SIZE) {
                damages.add(new Damage(p, s.damageOffset(), s.reason() + "; " + what, setAside(p)));
                log = createLog(g);
                return s.records();
            }
            Path kept = copyTail(p, s.damageOffset());
            try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                f.setLength(s.goodEnd());
                if (fsync) {
                    f.getFD().sync();
                }
            }
            damages.add(new Damage(p, s.damageOffset(), s.reason() + "; " + what
                    + ", cut the log back to it", kept));
        }
        log = new FileOutputStream(p.toFile(), true);
        logSize = Files.size(p);
        return s.records();
    }

    /** Whether {@code p} holds no more than a beginning of generation {@code g}'s log header. */
    private static boolean isPartOfHeader(Path p, long g) throws IOException {
        byte[] bytes;
        try (InputStream in = new FileInputStream(p.toFile())) {
            bytes = in.readNBytes(Format.HEADER_SIZE);
            if (bytes.length == Format.HEADER_SIZE) {
                return false;
            }
        }
        byte[] header = Format.header(Format.LOG_MAGIC, g).array();
        return Arrays.equals(bytes, 0, bytes.length, header, 0, bytes.length);
    }

    private static Optional<Damage> summary(List<Damage> damages) {
        if (damages.isEmpty()) {
            return Optional.empty();
        }
        Damage first = damages.get(0);
        if (damages.size() == 1) {
            return Optional.of(first);
        }
        StringBuilder reason = new StringBuilder(first.reason());
        for (Damage d : damages.subList(1, damages.size())) {
            reason.append("; and ").append(d);
        }
        return Optional.of(new Damage(first.file(), first.offset(), reason.toString(), first.preservedAs()));
    }

    /** Renames a damaged file out of the way, keeping all of it. */
    private Path setAside(Path p) throws IOException {
        Path kept = damagedName(p);
        Files.move(p, kept, StandardCopyOption.ATOMIC_MOVE);
        if (fsync) {
            forceDirectory();
        }
        return kept;
    }

    /** Copies the bytes of {@code p} from {@code offset} on to a new damaged file. */
    private Path copyTail(Path p, long offset) throws IOException {
        Path kept = damagedName(p);
        try (InputStream in = new FileInputStream(p.toFile());
             FileOutputStream out = new FileOutputStream(kept.toFile())) {
            in.skipNBytes(offset);
            in.transferTo(out);
            if (fsync) {
                out.getFD().sync();
            }
        }
        if (fsync) {
            forceDirectory();
        }
        return kept;
    }

    private Path damagedName(Path p) {
        String base = p.getFileName() + ".damaged-" + STAMP.format(Instant.now());
        Path kept = dir.resolve(base);
        for (int i = 2; Files.exists(kept); i++) {
            kept = dir.resolve(base + "-" + i);
        }
        return kept;
    }

    // ---- generations

    /**
     * Writes {@code snapshot-<g>} through a temporary file and a rename (the commit point), then
     * creates {@code log-<g>} and returns it open for appends. A failure before the rename leaves
     * no trace; after it, the journal is broken.
     */
    private FileOutputStream startGeneration(long g, List<byte[]> records) throws IOException {
        Path tmp = dir.resolve(snapshotPath(g).getFileName() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            writeSnapshot(tmp, g, records);
            Files.move(tmp, snapshotPath(g), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException d) {
                e.addSuppressed(d);
            }
            throw e;
        }
        try {
            if (fsync) {
                forceDirectory();
            }
            Files.deleteIfExists(logPath(g)); // a stale one would be appended to
            return createLog(g);
        } catch (IOException | RuntimeException e) {
            broken = new IOException("journal " + dir + " is broken: snapshot-" + g
                    + ".jhs was committed but its log could not be created", e);
            throw e;
        }
    }

    private void writeSnapshot(Path file, long g, List<byte[]> records) throws IOException {
        try (FileOutputStream out = new FileOutputStream(file.toFile())) {
            Format.writeSnapshot(out, g, records);
            if (fsync) {
                out.getFD().sync();
            }
        }
    }

    /** Creates {@code log-<g>} (which must not exist) with its header and returns it open for appends. */
    private FileOutputStream createLog(long g) throws IOException {
        Path p = logPath(g);
        FileOutputStream out = new FileOutputStream(p.toFile(), true);
        try {
            ByteBuffer h = Format.header(Format.LOG_MAGIC, g);
            out.write(h.array(), 0, h.remaining());
            if (fsync) {
                out.getFD().sync();
                forceDirectory();
            }
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
        logSize = Format.HEADER_SIZE;
        return out;
    }

    /**
     * Forces the directory's entries (renames, new files) to the disk. Only a channel can open a
     * directory, and an interrupt closes a channel mid-force: forcing is idempotent, so it is
     * retried with the interrupt set aside and the interrupt restored after.
     */
    private void forceDirectory() throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                    ch.force(true);
                    return;
                } catch (ClosedByInterruptException e) {
                    interrupted |= Thread.interrupted();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Undoes a failed append, so that the next one is readable after the last good record. */
    private void cutBack(long size, IOException cause, boolean syncFailed) {
        try (RandomAccessFile f = new RandomAccessFile(logPath(generation).toFile(), "rw")) {
            f.setLength(size);
        } catch (IOException e) {
            cause.addSuppressed(e);
            broken = new IOException("journal " + dir + " is broken: an append failed and the log could not be cut back",
                    cause);
            return;
        }
        if (syncFailed) { // after a failed fsync the kernel may have dropped dirty pages: nothing later is trustworthy
            broken = new IOException("journal " + dir + " is broken: an append failed while forced to disk", cause);
        }
    }

    private void checkUsable() throws IOException {
        if (closed) {
            throw new IOException("journal " + dir + " is closed");
        }
        if (broken != null) {
            throw new IOException(broken.getMessage(), broken);
        }
    }

    private Path snapshotPath(long g) {
        return dir.resolve("snapshot-" + g + ".jhs");
    }

    private Path logPath(long g) {
        return dir.resolve("log-" + g + ".jhl");
    }
}
