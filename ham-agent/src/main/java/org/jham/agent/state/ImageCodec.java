package org.jham.agent.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jham.ConditionType;
import org.jham.agent.engine.EntityType;
import org.jham.agent.engine.Image;

/**
 * The bytes of one journal record: an entity image, an entity removal, or the HAM-wide image.
 * A version byte leads every record so a later format can still read this one. Strings are
 * length-prefixed UTF-8 of any length (command lines and log messages may exceed 64 KiB).
 * Stateless.
 */
public final class ImageCodec {
    static final byte VERSION = 1;
    static final byte ENTITY = 'E';
    static final byte REMOVED = 'R';
    static final byte HAM = 'H';

    private ImageCodec() {
    }

    /** One decoded record: exactly one of the three is set. */
    public record Record(Image.Entity entity, String removed, Image.Ham ham) {
    }

    public static byte[] entity(Image.Entity e) {
        return write(ENTITY, out -> {
            str(out, e.name());
            out.writeByte(e.type().ordinal());
            out.writeInt(e.flags());
            out.writeBoolean(e.enabled());
            out.writeBoolean(e.alive());
            out.writeLong(e.pid());
            out.writeLong(e.startTime());
            str(out, e.startLine());
            instant(out, e.created());
            instant(out, e.lastDeath());
            instant(out, e.restarted());
            out.writeInt(e.numRestarts());
            str(out, e.lastExit());
            out.writeInt(e.recentRestarts().size());
            for (Instant i : e.recentRestarts()) {
                instant(out, i);
            }
            out.writeInt(e.state());
            out.writeLong(e.hpNanos());
            out.writeInt(e.hpdl());
            out.writeInt(e.hpdh());
            str(out, e.heartbeatState());
            out.writeInt(e.misses());
            out.writeInt(e.conditions().size());
            for (Image.Condition c : e.conditions()) {
                str(out, c.name());
                str(out, c.type().name());
                out.writeInt(c.flags());
                out.writeBoolean(c.enabled());
                out.writeLong(c.triggers());
                out.writeInt(c.fromState());
                out.writeInt(c.toState());
                out.writeInt(c.rtype());
                out.writeInt(c.rclass());
                out.writeInt(c.rseverity());
                out.writeInt(c.actions().size());
                for (Image.Action a : c.actions()) {
                    str(out, a.name());
                    spec(out, a.spec());
                    out.writeInt(a.flags());
                    out.writeBoolean(a.enabled());
                    out.writeLong(a.runs());
                    out.writeLong(a.failures());
                    out.writeInt(a.fails().size());
                    for (Image.Fail f : a.fails()) {
                        str(out, f.name());
                        spec(out, f.spec());
                        out.writeLong(f.runs());
                        out.writeLong(f.failures());
                    }
                }
            }
        });
    }

    public static byte[] removed(String ename) {
        return write(REMOVED, out -> str(out, ename));
    }

    public static byte[] ham(Image.Ham h) {
        return write(HAM, out -> {
            out.writeInt(h.verbosity());
            out.writeInt(h.hamFailures());
            out.writeInt(h.guardianFailures());
        });
    }

    /** Decodes a record; IOException when its bytes are not a record of this format. */
    public static Record decode(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        byte version = in.readByte();
        if (version != VERSION) {
            throw new IOException("record format version " + version + " is not " + VERSION);
        }
        byte kind = in.readByte();
        Record r;
        switch (kind) {
            case ENTITY:
                r = new Record(readEntity(in), null, null);
                break;
            case REMOVED:
                r = new Record(null, str(in), null);
                break;
            case HAM:
                r = new Record(null, null, new Image.Ham(in.readInt(), in.readInt(), in.readInt()));
                break;
            default:
                throw new IOException("unknown record kind " + kind);
        }
        if (in.available() != 0) {
            throw new IOException(in.available() + " bytes left after a " + (char) kind + " record");
        }
        return r;
    }

    private static Image.Entity readEntity(DataInputStream in) throws IOException {
        String name = str(in);
        EntityType type = EntityType.values()[in.readUnsignedByte()];
        int flags = in.readInt();
        boolean enabled = in.readBoolean();
        boolean alive = in.readBoolean();
        long pid = in.readLong();
        long startTime = in.readLong();
        String startLine = str(in);
        Instant created = instant(in);
        Instant lastDeath = instant(in);
        Instant restarted = instant(in);
        int numRestarts = in.readInt();
        String lastExit = str(in);
        int nr = count(in);
        List<Instant> recent = new ArrayList<>(nr);
        for (int i = 0; i < nr; i++) {
            recent.add(instant(in));
        }
        int state = in.readInt();
        long hp = in.readLong();
        int hpdl = in.readInt();
        int hpdh = in.readInt();
        String hbState = str(in);
        int misses = in.readInt();
        int nc = count(in);
        List<Image.Condition> conds = new ArrayList<>(nc);
        for (int i = 0; i < nc; i++) {
            String cname = str(in);
            ConditionType ctype = ConditionType.valueOf(str(in));
            int cflags = in.readInt();
            boolean cen = in.readBoolean();
            long triggers = in.readLong();
            int from = in.readInt();
            int to = in.readInt();
            int rtype = in.readInt();
            int rclass = in.readInt();
            int rsev = in.readInt();
            int na = count(in);
            List<Image.Action> acts = new ArrayList<>(na);
            for (int j = 0; j < na; j++) {
                String aname = str(in);
                Image.Spec spec = spec(in);
                int aflags = in.readInt();
                boolean aen = in.readBoolean();
                long runs = in.readLong();
                long failures = in.readLong();
                int nf = count(in);
                List<Image.Fail> fails = new ArrayList<>(nf);
                for (int k = 0; k < nf; k++) {
                    fails.add(new Image.Fail(str(in), spec(in), in.readLong(), in.readLong()));
                }
                acts.add(new Image.Action(aname, spec, aflags, aen, runs, failures, fails));
            }
            conds.add(new Image.Condition(cname, ctype, cflags, cen, triggers, from, to, rtype, rclass, rsev, acts));
        }
        return new Image.Entity(name, type, flags, enabled, alive, pid, startTime, startLine, created, lastDeath,
                restarted, numRestarts, lastExit, recent, state, hp, hpdl, hpdh, hbState, misses, conds);
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] write(byte kind, Body body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(VERSION);
            out.writeByte(kind);
            body.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
    }

    private static void spec(DataOutputStream out, Image.Spec s) throws IOException {
        str(out, s.kind());
        out.writeInt(s.args().size());
        for (String a : s.args()) {
            str(out, a);
        }
    }

    private static Image.Spec spec(DataInputStream in) throws IOException {
        String kind = str(in);
        int n = count(in);
        List<String> args = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            args.add(str(in));
        }
        return new Image.Spec(kind, args);
    }

    private static void str(DataOutputStream out, String s) throws IOException {
        byte[] b = (s == null ? "" : s).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String str(DataInputStream in) throws IOException {
        int n = count(in);
        if (n > in.available()) {
            throw new IOException("string of " + n + " bytes runs past the record");
        }
        return new String(in.readNBytes(n), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("negative count " + n);
        }
        return n;
    }

    private static void instant(DataOutputStream out, Instant i) throws IOException {
        out.writeBoolean(i != null);
        if (i != null) {
            out.writeLong(i.getEpochSecond());
            out.writeInt(i.getNano());
        }
    }

    private static Instant instant(DataInputStream in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
    }
}
