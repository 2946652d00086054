package org.jham.recovery;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Set;

/**
 * An HA-aware file connection: {@code ha_open}, {@code ha_open64}, {@code ha_creat} and
 * {@code ha_fopen} of the guide, over a {@link FileChannel}. Every operation (read, write,
 * position, size, truncate, force, positional read and write) recovers from a stale file — one
 * whose channel was closed under it, or that failed with EBADF, ESTALE (NFS), ENOTCONN (a FUSE
 * server gone), ESRCH, EPIPE (a FIFO whose reader died); the exact list is
 * {@link StaleConnections} — through the recovery function, which normally calls
 * {@link #reopen} and restores the position. End of file is not a failure.
 *
 * <p>{@code ha_open64} is {@code ha_open}: Java files have 64-bit offsets. Open options replace
 * the {@code O_*} flags. {@code ha_fopen}'s stream is this channel's {@link #inputStream()} and
 * {@link #outputStream()}: unbuffered views (a buffer would hold bytes ahead of the position
 * that the recovery function restores), whose {@code close} is {@code ha_fclose}.
 *
 * <p>Thread-safe, as {@link FileChannel} is. A {@link #dup} shares the channel, hence the
 * position, as {@code dup}ed descriptors share an open file description.
 */
public final class HaFileChannel implements SeekableByteChannel, HaConnection<HaFileChannel> {
    private static final HaDescriptor.IntOperation<FileChannel, ByteBuffer, IOException> READ_OP = FileChannel::read;
    private static final HaDescriptor.IntOperation<FileChannel, ByteBuffer, IOException> WRITE_OP = FileChannel::write;

    private final HaDescriptor<HaFileChannel, FileChannel> d;
    private final Path path;

    private HaFileChannel(Path path, FileChannel channel) {
        this.path = path;
        this.d = new HaDescriptor<>(this, channel, FileChannel::close, StaleConnections::isStale);
    }

    private HaFileChannel(HaFileChannel original) {
        this.path = original.path;
        this.d = original.d.dup(this);
    }

    /**
     * {@code open}: a connection that is not HA-aware yet ({@link #attach} makes it so), as in
     * the guide's example that calls {@code open()} and then {@code ha_attach()}.
     */
    public static HaFileChannel open(Path path, OpenOption... options) throws IOException {
        return new HaFileChannel(path, FileChannel.open(path, options));
    }

    /**
     * {@code ha_open} / {@code ha_open64}: opens {@code path} and attaches {@code function} with
     * {@code handle} and {@code haflags}. If the attach fails, the file is closed again.
     *
     * @throws IOException as {@link FileChannel#open(Path, OpenOption...)}
     * @throws HaException as {@link #attach}
     */
    public static <H> HaFileChannel open(Path path, RecoveryFunction<HaFileChannel, H> function, H handle, int haflags,
            OpenOption... options) throws IOException {
        return attached(open(path, options), function, handle, haflags);
    }

    /** {@code ha_creat}: {@code ha_open} for writing, creating the file or truncating it. */
    public static <H> HaFileChannel creat(Path path, RecoveryFunction<HaFileChannel, H> function, H handle, int haflags)
            throws IOException {
        return open(path, function, handle, haflags, WRITE, CREATE, TRUNCATE_EXISTING);
    }

    /**
     * {@code ha_fopen}: {@code ha_open} with an {@code fopen} mode: {@code r}, {@code r+},
     * {@code w}, {@code w+}, {@code a}, {@code a+} (a {@code b} anywhere is ignored, as on POSIX).
     * Read and write through {@link #inputStream()} / {@link #outputStream()} or the channel.
     *
     * @throws HaException EINVAL: an unknown mode
     */
    public static <H> HaFileChannel fopen(Path path, String mode, RecoveryFunction<HaFileChannel, H> function, H handle,
            int haflags) throws IOException {
        return open(path, function, handle, haflags, fopenOptions(mode));
    }

    /** The open options of an {@code fopen} mode. */
    static OpenOption[] fopenOptions(String mode) {
        String m = mode == null ? "" : mode.replace("b", "");
        Set<StandardOpenOption> o;
        switch (m) {
            case "r":
                o = EnumSet.of(READ);
                break;
            case "r+":
                o = EnumSet.of(READ, WRITE);
                break;
            case "w":
                o = EnumSet.of(WRITE, CREATE, TRUNCATE_EXISTING);
                break;
            case "w+":
                o = EnumSet.of(READ, WRITE, CREATE, TRUNCATE_EXISTING);
                break;
            case "a":
                o = EnumSet.of(WRITE, CREATE, APPEND);
                break;
            default:
                throw new HaException(HaErrno.EINVAL, "unknown fopen mode '" + mode + "' (r, r+, w, w+, a; not a+: Java "
                        + "cannot read a channel that appends)");
        }
        return o.toArray(new OpenOption[0]);
    }

    private static <H> HaFileChannel attached(HaFileChannel c, RecoveryFunction<HaFileChannel, H> function, H handle,
            int haflags) throws IOException {
        try {
            c.attach(function, handle, haflags);
            return c;
        } catch (RuntimeException e) {
            try {
                c.close();
            } catch (IOException ce) {
                e.addSuppressed(ce);
            }
            throw e;
        }
    }

    /**
     * {@code ha_reopen}: closes the channel under this connection (and its copies) and opens
     * {@code path} again in its place; the connection stays the same object. For recovery
     * functions; the position of the new channel is 0 (or the end, with APPEND): restore it with
     * {@link #position(long)}.
     *
     * @return this connection
     * @throws IOException opening failed (the old channel is closed all the same, as in C)
     */
    public HaFileChannel reopen(Path path, OpenOption... options) throws IOException {
        d.reopen(() -> FileChannel.open(path, options));
        return this;
    }

    /** The path this connection was opened with. */
    public Path path() {
        return path;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return d.callInt(dst, READ_OP);
    }

    /** {@link FileChannel#read(ByteBuffer, long)}: reads at {@code position}, not moving the position. */
    public int read(ByteBuffer dst, long position) throws IOException {
        return d.call(c -> c.read(dst, position));
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return d.callInt(src, WRITE_OP);
    }

    /** {@link FileChannel#write(ByteBuffer, long)}: writes at {@code position}, not moving the position. */
    public int write(ByteBuffer src, long position) throws IOException {
        return d.call(c -> c.write(src, position));
    }

    @Override
    public long position() throws IOException {
        return d.call(FileChannel::position);
    }

    @Override
    public HaFileChannel position(long newPosition) throws IOException {
        d.call(c -> c.position(newPosition));
        return this;
    }

    @Override
    public long size() throws IOException {
        return d.call(FileChannel::size);
    }

    @Override
    public HaFileChannel truncate(long size) throws IOException {
        d.call(c -> c.truncate(size));
        return this;
    }

    /** {@link FileChannel#force(boolean)}. */
    public void force(boolean metaData) throws IOException {
        d.call(c -> {
            c.force(metaData);
            return null;
        });
    }

    /**
     * An unbuffered input stream over this connection (reads recover); closing it closes this
     * connection ({@code ha_fclose}).
     */
    public InputStream inputStream() {
        return Channels.newInputStream(this);
    }

    /**
     * An unbuffered output stream over this connection (writes recover); closing it closes this
     * connection ({@code ha_fclose}).
     */
    public OutputStream outputStream() {
        return Channels.newOutputStream(this);
    }

    @Override
    public HaFileChannel dup() {
        return new HaFileChannel(this);
    }

    @Override
    public boolean isOpen() {
        return d.isOpen();
    }

    @Override
    public void close() throws IOException {
        d.close();
    }

    @Override
    public HaDescriptor<HaFileChannel, FileChannel> descriptor() {
        return d;
    }

    @Override
    public String toString() {
        return "HaFileChannel[" + path + "@" + Integer.toHexString(System.identityHashCode(this)) + "]";
    }
}
