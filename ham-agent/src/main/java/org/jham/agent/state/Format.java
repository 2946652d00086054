package org.jham.agent.state;

import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The journal's on-disk format (see {@code package-info.java}): writing headers, frames and
 * trailers, and reading log and snapshot files back up to the first damage. Streams, not
 * channels: an interrupt must not close a file under the journal (see {@link Journal}).
 * Stateless and thread-safe.
 */
final class Format {
    static final int LOG_MAGIC = 0x4A484C47; // "JHLG"
    static final int SNAPSHOT_MAGIC = 0x4A485353; // "JHSS"
    static final int VERSION = 1;
    static final int HEADER_SIZE = 20;
    static final int FRAME_HEADER_SIZE = 8;
    static final int TRAILER_MARK = -1;
    static final int TRAILER_SIZE = 16;
    /** The largest record: a bad length must not make a reader allocate gigabytes. */
    static final int MAX_RECORD = 16 << 20;

    private Format() {
    }

    static ByteBuffer header(int magic, long generation) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE);
        b.putInt(magic).putInt(VERSION).putLong(generation);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 16);
        b.putInt((int) crc.getValue());
        return b.flip();
    }

    /** Why {@code h} is not the header of a {@code magic} file of {@code generation}, or null. */
    static String checkHeader(byte[] h, int magic, long generation) {
        ByteBuffer b = ByteBuffer.wrap(h);
        CRC32C crc = new CRC32C();
        crc.update(h, 0, 16);
        int m = b.getInt();
        int v = b.getInt();
        long g = b.getLong();
        if (b.getInt() != (int) crc.getValue()) {
            return "bad header checksum";
        }
        if (m != magic) {
            return "not a journal " + (magic == LOG_MAGIC ? "log" : "snapshot") + " (magic 0x" + Integer.toHexString(m) + ")";
        }
        if (v != VERSION) {
            return "unknown format version " + v;
        }
        if (g != generation) {
            return "header says generation " + g + ", file name says " + generation;
        }
        return null;
    }

    /** CRC32C of a frame: the length's four bytes, then the payload. */
    static int frameCrc(CRC32C crc, int length, byte[] payload) {
        crc.reset();
        crc.update(length >>> 24);
        crc.update(length >>> 16);
        crc.update(length >>> 8);
        crc.update(length);
        crc.update(payload, 0, length);
        return (int) crc.getValue();
    }

    static void checkRecord(byte[] record) {
        if (record == null) {
            throw new IllegalArgumentException("record is null");
        }
        if (record.length > MAX_RECORD) {
            throw new IllegalArgumentException("record of " + record.length + " bytes exceeds the journal's maximum of "
                    + MAX_RECORD + " bytes");
        }
    }

    /** Puts one frame into {@code into}, which has room for {@code FRAME_HEADER_SIZE + record.length}. */
    static void putFrame(ByteBuffer into, CRC32C crc, byte[] record) {
        into.putInt(record.length).putInt(frameCrc(crc, record.length, record)).put(record);
    }

    /** Writes a complete snapshot (header, frames, trailer) to {@code out}. */
    static void writeSnapshot(OutputStream out, long generation, List<byte[]> records) throws IOException {
        CRC32C whole = new CRC32C();
        CRC32C frame = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocate(1 << 18);
        buf.put(header(SNAPSHOT_MAGIC, generation));
        for (byte[] r : records) {
            int need = FRAME_HEADER_SIZE + r.length;
            if (buf.remaining() < need) {
                drain(out, buf, whole);
            }
            if (buf.remaining() < need) { // bigger than the buffer: a frame of its own
                ByteBuffer big = ByteBuffer.allocate(need);
                putFrame(big, frame, r);
                drain(out, big, whole);
            } else {
                putFrame(buf, frame, r);
            }
        }
        if (buf.remaining() < TRAILER_SIZE) {
            drain(out, buf, whole);
        }
        buf.putInt(TRAILER_MARK).putLong(records.size());
        whole.update(buf.array(), 0, buf.position());
        buf.putInt((int) whole.getValue());
        out.write(buf.array(), 0, buf.position());
    }

    /** Writes what {@code buf} holds, adds it to {@code whole}, and empties {@code buf}. */
    private static void drain(OutputStream out, ByteBuffer buf, CRC32C whole) throws IOException {
        whole.update(buf.array(), 0, buf.position());
        out.write(buf.array(), 0, buf.position());
        buf.clear();
    }

    /**
     * What a file holds up to its first damage: the good records, the offset just past the last
     * good byte, and the damage (offset and reason) or none.
     */
    record Scan(List<byte[]> records, long goodEnd, long damageOffset, String reason) {
        boolean damaged() {
            return reason != null;
        }
    }

    /** Reads a log of {@code generation}: header, then frames until the end or the first damage. */
    static Scan scanLog(Path file, long generation) throws IOException {
        long size = Files.size(file);
        List<byte[]> records = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(new FileInputStream(file.toFile()), 1 << 16)) {
            byte[] h = new byte[HEADER_SIZE];
            int got = in.readNBytes(h, 0, HEADER_SIZE);
            if (got < HEADER_SIZE) {
                return new Scan(records, 0, 0, "torn header: " + got + " of " + HEADER_SIZE + " bytes");
            }
            String bad = checkHeader(h, LOG_MAGIC, generation);
            if (bad != null) {
                return new Scan(records, 0, 0, bad);
            }
            CRC32C crc = new CRC32C();
            byte[] fh = new byte[FRAME_HEADER_SIZE];
            long pos = HEADER_SIZE;
            while (true) {
                got = in.readNBytes(fh, 0, FRAME_HEADER_SIZE);
                if (got == 0) {
                    return new Scan(records, pos, -1, null);
                }
                String reason = null;
                byte[] payload = null;
                if (got < FRAME_HEADER_SIZE) {
                    reason = "torn record: " + got + " of at least " + FRAME_HEADER_SIZE + " bytes";
                } else {
                    ByteBuffer b = ByteBuffer.wrap(fh);
                    int len = b.getInt();
                    int sum = b.getInt();
                    if (len < 0 || len > MAX_RECORD) {
                        reason = "bad length " + len + " (0x" + Integer.toHexString(len) + ")";
                    } else if (size - pos - FRAME_HEADER_SIZE < len) {
                        reason = "torn record: " + (size - pos) + " of " + (FRAME_HEADER_SIZE + len) + " bytes";
                    } else {
                        payload = in.readNBytes(len);
                        if (payload.length < len) { // the file shrank under us
                            reason = "torn record: " + (FRAME_HEADER_SIZE + payload.length) + " of "
                                    + (FRAME_HEADER_SIZE + len) + " bytes";
                        } else if (frameCrc(crc, len, payload) != sum) {
                            reason = "bad checksum";
                        }
                    }
                }
                if (reason != null) {
                    return new Scan(records, pos, pos, reason);
                }
                records.add(payload);
                pos += FRAME_HEADER_SIZE + payload.length;
            }
        }
    }

    /**
     * Reads a snapshot of {@code generation}; damaged unless it is complete: a good header, good
     * frames, and a trailer whose count and whole-file checksum match, at the very end.
     */
    static Scan readSnapshot(Path file, long generation) throws IOException {
        long size = Files.size(file);
        List<byte[]> records = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(new FileInputStream(file.toFile()), 1 << 16)) {
            byte[] h = new byte[HEADER_SIZE];
            int got = in.readNBytes(h, 0, HEADER_SIZE);
            if (got < HEADER_SIZE) {
                return new Scan(List.of(), 0, 0, "torn header: " + got + " of " + HEADER_SIZE + " bytes");
            }
            String bad = checkHeader(h, SNAPSHOT_MAGIC, generation);
            if (bad != null) {
                return new Scan(List.of(), 0, 0, bad);
            }
            CRC32C whole = new CRC32C();
            whole.update(h);
            CRC32C crc = new CRC32C();
            byte[] fh = new byte[FRAME_HEADER_SIZE];
            long pos = HEADER_SIZE;
            while (true) {
                got = in.readNBytes(fh, 0, 4);
                if (got < 4) {
                    return new Scan(List.of(), pos, pos, "incomplete snapshot: no trailer (" + size + " bytes, "
                            + records.size() + " whole records)");
                }
                int len = ByteBuffer.wrap(fh).getInt();
                if (len == TRAILER_MARK) {
                    byte[] t = new byte[TRAILER_SIZE - 4];
                    got = in.readNBytes(t, 0, t.length);
                    if (got < t.length) {
                        return new Scan(List.of(), pos, pos, "incomplete snapshot: torn trailer");
                    }
                    ByteBuffer tb = ByteBuffer.wrap(t);
                    long count = tb.getLong();
                    int sum = tb.getInt();
                    whole.update(fh, 0, 4);
                    whole.update(t, 0, 8);
                    if ((int) whole.getValue() != sum) {
                        return new Scan(List.of(), pos, pos, "bad snapshot checksum in the trailer");
                    }
                    if (count != records.size()) {
                        return new Scan(List.of(), pos, pos, "trailer counts " + count + " records, the file holds "
                                + records.size());
                    }
                    if (in.read() != -1) {
                        return new Scan(List.of(), pos + TRAILER_SIZE, pos + TRAILER_SIZE, "bytes after the trailer");
                    }
                    return new Scan(records, pos + TRAILER_SIZE, -1, null);
                }
                got = in.readNBytes(fh, 4, 4);
                String reason = null;
                byte[] payload = null;
                if (got < 4) {
                    reason = "incomplete snapshot: torn record";
                } else if (len < 0 || len > MAX_RECORD) {
                    reason = "bad length " + len + " (0x" + Integer.toHexString(len) + ")";
                } else if (size - pos - FRAME_HEADER_SIZE < len) {
                    reason = "incomplete snapshot: torn record: " + (size - pos) + " of " + (FRAME_HEADER_SIZE + len)
                            + " bytes";
                } else {
                    payload = in.readNBytes(len);
                    if (payload.length < len) {
                        reason = "incomplete snapshot: torn record";
                    } else if (frameCrc(crc, len, payload) != ByteBuffer.wrap(fh, 4, 4).getInt()) {
                        reason = "bad checksum";
                    }
                }
                if (reason != null) {
                    return new Scan(List.of(), pos, pos, reason);
                }
                whole.update(fh);
                whole.update(payload);
                records.add(payload);
                pos += FRAME_HEADER_SIZE + len;
            }
        }
    }
}
