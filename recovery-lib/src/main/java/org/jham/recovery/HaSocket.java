package org.jham.recovery;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An HA-aware connection to a server: the guide's {@code ha_ConnectAttach} over a blocking
 * {@link SocketChannel} (TCP, or a Unix domain socket at a path — the closest thing on Linux to a
 * QNX server's path), with {@link #reconnect} for {@code ha_ReConnectAttach} and {@link #close}
 * for {@code ha_ConnectDetach}. {@code ha_ConnectAttach} and {@code ha_ConnectAttach_r} (and the
 * two {@code ha_ConnectDetach}s) are one method each: they differ only in how C returns errors,
 * and Java throws.
 *
 * <p>Operations: {@link #read}, {@link #write}, the stream views, and {@link #msgSend}, the cover
 * of the guide's {@code MsgSend()}: one framed request and its reply, retried as a whole after a
 * recovery. Each recovers from a stale connection (see {@link StaleConnections}: reset, broken
 * pipe, closed channel...) and, unless {@link #recoverAtEndOfStream(boolean) turned off}, from
 * the server closing its end (end of stream: the guide's "closed on the server end", what a
 * reader sees when the server is killed). A read that gets no recovery returns {@code -1} as
 * usual.
 *
 * <p>What the failed operation had already sent to the dead server is lost with it: a retried
 * {@link #write} sends what it had not written yet, so a recovery function that must not lose
 * data re-sends from its own checkpoint; {@link #msgSend} re-sends the whole request. A server
 * that accepts and at once closes again makes each retry fail: bound it with
 * {@code HA_RECOVERY_ICOUNT}. TCP_NODELAY is on (a request goes out at once).
 *
 * <p>Thread-safe: reads, writes and exchanges may come from many threads; {@link #msgSend}
 * exchanges are serialized. A {@link #dup} shares the socket.
 */
public final class HaSocket implements ByteChannel, HaConnection<HaSocket> {
    /** What every copy shares besides the descriptor's part. */
    private static final class Settings {
        final ReentrantLock exchange = new ReentrantLock();
        volatile boolean recoverAtEndOfStream = true;
        volatile SocketAddress address;

        Settings(SocketAddress address) {
            this.address = address;
        }
    }

    private static final HaDescriptor.IntOperation<SocketChannel, ByteBuffer, IOException> READ = SocketChannel::read;
    /** A read whose end of stream is a stale connection. */
    private static final HaDescriptor.IntOperation<SocketChannel, ByteBuffer, IOException> READ_OR_STALE = (c, dst) -> {
        int n = c.read(dst);
        if (n < 0) {
            throw new PeerClosedException("end of stream: the server closed the connection");
        }
        return n;
    };
    private static final HaDescriptor.IntOperation<SocketChannel, ByteBuffer, IOException> WRITE_ALL = (c, src) -> {
        int n = 0;
        while (src.hasRemaining()) {
            n += c.write(src);
        }
        return n;
    };

    private final HaDescriptor<HaSocket, SocketChannel> d;
    private final Settings settings;

    private HaSocket(SocketAddress address, SocketChannel channel) {
        this.settings = new Settings(address);
        this.d = new HaDescriptor<>(this, channel, SocketChannel::close, StaleConnections::isStale);
    }

    private HaSocket(HaSocket original) {
        this.settings = original.settings;
        this.d = original.d.dup(this);
    }

    /** {@code ConnectAttach}: a connection that is not HA-aware yet ({@link #attach} makes it so). */
    public static HaSocket connect(SocketAddress address) throws IOException {
        return new HaSocket(address, open(address));
    }

    /**
     * {@code ha_ConnectAttach} / {@code ha_ConnectAttach_r}: connects to {@code address} and
     * attaches {@code function} with {@code handle} and {@code haflags}. If the attach fails, the
     * socket is closed again.
     *
     * @throws IOException the connect failed
     * @throws HaException as {@link #attach}
     */
    public static <H> HaSocket connect(SocketAddress address, RecoveryFunction<HaSocket, H> function, H handle,
            int haflags) throws IOException {
        HaSocket s = connect(address);
        try {
            s.attach(function, handle, haflags);
            return s;
        } catch (RuntimeException e) {
            try {
                s.close();
            } catch (IOException ce) {
                e.addSuppressed(ce);
            }
            throw e;
        }
    }

    private static SocketChannel open(SocketAddress address) throws IOException {
        SocketChannel c = SocketChannel.open(Objects.requireNonNull(address, "address"));
        if (address instanceof InetSocketAddress) {
            try {
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            } catch (IOException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    /**
     * {@code ha_ReConnectAttach}: closes the socket under this connection (and its copies) and
     * connects to {@code address} — the same server or another — in its place; the connection
     * stays the same object. For recovery functions, which then rebuild the server's state
     * (a handshake) through this connection.
     *
     * @return this connection
     * @throws IOException the connect failed (the old socket is closed all the same, as in C)
     */
    public HaSocket reconnect(SocketAddress address) throws IOException {
        d.reopen(() -> open(address));
        settings.address = address;
        return this;
    }

    /** The address this connection last connected to. */
    public SocketAddress address() {
        return settings.address;
    }

    /**
     * Whether the server closing its end (end of stream on a read) starts a recovery: on by
     * default, since a killed server looks exactly like that to a reader. Turn it off for a
     * protocol whose server ends a stream on purpose. Shared by {@code dup}s.
     *
     * @return this connection
     */
    public HaSocket recoverAtEndOfStream(boolean on) {
        settings.recoverAtEndOfStream = on;
        return this;
    }

    /** See {@link #recoverAtEndOfStream(boolean)}. */
    public boolean recoversAtEndOfStream() {
        return settings.recoverAtEndOfStream;
    }

    /**
     * Reads into {@code dst} (blocking). Returns {@code -1} at end of stream when that starts no
     * recovery or the recovery gives up.
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!settings.recoverAtEndOfStream) {
            return d.callInt(dst, READ);
        }
        try {
            return d.callInt(dst, READ_OR_STALE);
        } catch (PeerClosedException e) {
            return -1;
        }
    }

    /** Writes all of {@code src} (blocking); returns how many bytes of it were taken. */
    @Override
    public int write(ByteBuffer src) throws IOException {
        int start = src.position();
        d.callInt(src, WRITE_ALL);
        return src.position() - start; // with a retry, the failed attempt's bytes count too
    }

    /**
     * The {@code MsgSend()} cover: sends {@code message} as one frame and returns the reply
     * frame. A frame is a 4-byte big-endian length and that many bytes, both ways. When the
     * exchange fails on a stale connection (an end of stream in the middle of the reply counts,
     * whatever {@link #recoverAtEndOfStream(boolean)} says) and the connection recovers, the
     * whole exchange is done again on the new one: the server must take a repeated request.
     *
     * @throws PeerClosedException the server closed the connection before replying (not recovered)
     * @throws IOException another failure, or a negative reply length
     */
    public byte[] msgSend(byte[] message) throws IOException {
        Objects.requireNonNull(message, "message");
        return d.call(c -> exchange(c, message));
    }

    private byte[] exchange(SocketChannel c, byte[] message) throws IOException {
        ReentrantLock lock = settings.exchange;
        lock.lock();
        try {
            ByteBuffer[] out = {ByteBuffer.allocate(4).putInt(0, message.length), ByteBuffer.wrap(message)};
            while (out[1].hasRemaining() || out[0].hasRemaining()) {
                c.write(out);
            }
            ByteBuffer head = ByteBuffer.allocate(4);
            readFully(c, head);
            int n = head.getInt(0);
            if (n < 0) {
                throw new IOException("bad reply from " + settings.address + ": length " + n);
            }
            ByteBuffer reply = ByteBuffer.allocate(n);
            readFully(c, reply);
            return reply.array();
        } finally {
            lock.unlock();
        }
    }

    private void readFully(SocketChannel c, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (c.read(b) < 0) {
                throw new PeerClosedException("end of stream in a reply: " + settings.address + " closed the connection");
            }
        }
    }

    /** An unbuffered input stream over this connection (reads recover); closing it closes this connection. */
    public InputStream inputStream() {
        return Channels.newInputStream(this);
    }

    /** An unbuffered output stream over this connection (writes recover); closing it closes this connection. */
    public OutputStream outputStream() {
        return Channels.newOutputStream(this);
    }

    @Override
    public HaSocket dup() {
        return new HaSocket(this);
    }

    @Override
    public boolean isOpen() {
        return d.isOpen();
    }

    /** {@code ha_ConnectDetach} / {@code ha_ConnectDetach_r}: detach if HA-aware, then close. */
    @Override
    public void close() throws IOException {
        d.close();
    }

    @Override
    public HaDescriptor<HaSocket, SocketChannel> descriptor() {
        return d;
    }

    @Override
    public String toString() {
        return "HaSocket[" + settings.address + "@" + Integer.toHexString(System.identityHashCode(this)) + "]";
    }
}
