package org.jham.agent.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jham.agent.engine.Image;
import org.jham.agent.engine.StateLog;

/**
 * The HAM's saved state: the engine's {@link StateLog} written to a {@link Journal} in the state
 * directory. Each change appends the changed entity's whole image (last one wins on replay);
 * when the log has grown well past the state it describes, it is compacted into a snapshot of
 * the current images, which this store keeps in memory for that purpose. Called under the
 * engine lock; synchronized anyway.
 */
public final class StateStore implements StateLog, AutoCloseable {
    /** Compact once the log holds this much and more than {@link #COMPACT_RATIO} times the state. */
    static final long COMPACT_MIN_BYTES = 4L << 20;
    static final int COMPACT_RATIO = 4;

    private final Journal journal;
    private final Map<String, byte[]> entities = new LinkedHashMap<>();
    private byte[] ham;
    private long stateBytes;
    private final Loaded loaded;

    /** What was found on opening: the state to restore (empty on a first start), and any damage. */
    public record Loaded(Optional<Image.Ham> ham, List<Image.Entity> entities, Optional<String> damage) {
        public boolean isEmpty() {
            return ham.isEmpty() && entities.isEmpty();
        }
    }

    private StateStore(Journal journal) {
        this.journal = journal;
        this.loaded = replay(journal.recovered());
    }

    /**
     * Opens the journal in {@code <stateDir>/journal}; {@code fresh} erases it first (the HAM
     * starts empty). With {@code fsync} every change is forced to disk before the call that made
     * it returns (power loss); without, it is written to the page cache, which survives the
     * death of the HAM process — what the Guardian covers.
     */
    public static StateStore open(Path stateDir, boolean fsync, boolean fresh) throws IOException {
        Path dir = stateDir.resolve("journal");
        if (fresh) {
            Journal.erase(dir);
        }
        return new StateStore(Journal.open(dir, fsync));
    }

    public Loaded loaded() {
        return loaded;
    }

    private Loaded replay(Journal.Recovered r) {
        List<byte[]> records = new ArrayList<>(r.snapshot());
        records.addAll(r.log());
        String damage = r.damage().map(Object::toString).orElse(null);
        int n = 0;
        for (byte[] b : records) {
            ImageCodec.Record rec;
            try {
                rec = ImageCodec.decode(b);
            } catch (IOException | RuntimeException e) {
                // A record that passed its checksum but does not decode: stop here rather than
                // restore a state that skips a change.
                String why = "record " + (n + 1) + " of " + records.size() + " does not decode (" + e.getMessage()
                        + "); replay stopped before it";
                damage = damage == null ? why : damage + "; " + why;
                break;
            }
            apply(rec, b);
            n++;
        }
        List<Image.Entity> images = new ArrayList<>(entities.size());
        for (byte[] b : entities.values()) {
            try {
                images.add(ImageCodec.decode(b).entity());
            } catch (IOException e) {
                throw new UncheckedIOException(e); // decoded once already
            }
        }
        Optional<Image.Ham> h = Optional.empty();
        if (ham != null) {
            try {
                h = Optional.of(ImageCodec.decode(ham).ham());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Loaded(h, images, Optional.ofNullable(damage));
    }

    private void apply(ImageCodec.Record rec, byte[] bytes) {
        if (rec.entity() != null) {
            byte[] old = entities.put(rec.entity().name(), bytes);
            stateBytes += bytes.length - (old == null ? 0 : old.length);
        } else if (rec.removed() != null) {
            byte[] old = entities.remove(rec.removed());
            stateBytes -= old == null ? 0 : old.length;
        } else {
            stateBytes += bytes.length - (ham == null ? 0 : ham.length);
            ham = bytes;
        }
    }

    @Override
    public synchronized void entity(Image.Entity image) {
        byte[] b = ImageCodec.entity(image);
        append(b);
        apply(new ImageCodec.Record(image, null, null), b);
    }

    @Override
    public synchronized void entityRemoved(String ename) {
        if (!entities.containsKey(ename)) {
            return;
        }
        append(ImageCodec.removed(ename));
        apply(new ImageCodec.Record(null, ename, null), null);
    }

    @Override
    public synchronized void ham(Image.Ham image) {
        byte[] b = ImageCodec.ham(image);
        append(b);
        apply(new ImageCodec.Record(null, null, image), b);
    }

    private void append(byte[] record) {
        try {
            journal.append(record);
            if (journal.logBytes() > COMPACT_MIN_BYTES && journal.logBytes() > COMPACT_RATIO * stateBytes) {
                compact();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("journal: " + e.getMessage(), e);
        }
    }

    /** Writes the current state as the new snapshot and starts an empty log. */
    public synchronized void compact() throws IOException {
        List<byte[]> all = new ArrayList<>(entities.size() + 1);
        if (ham != null) {
            all.add(ham);
        }
        all.addAll(entities.values());
        journal.compact(all);
    }

    /** Bytes in the log since the last compaction. */
    public synchronized long logBytes() {
        return journal.logBytes();
    }

    @Override
    public synchronized void close() throws IOException {
        journal.close();
    }
}
