package org.jham.recovery;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An in-process server on loopback (TCP or a Unix domain socket) whose accepted connections the
 * test drives by hand: {@link #next()} hands out each one as it is accepted.
 */
final class LocalServer implements AutoCloseable {
    final ServerSocketChannel server;
    final SocketAddress address;
    private final BlockingQueue<SocketChannel> accepted = new LinkedBlockingQueue<>();
    private final List<SocketChannel> all = new ArrayList<>();
    private final Thread acceptor;

    private LocalServer(ServerSocketChannel server) throws IOException {
        this.server = server;
        this.address = server.getLocalAddress();
        acceptor = new Thread(() -> {
            try {
                while (true) {
                    SocketChannel c = server.accept();
                    synchronized (all) {
                        all.add(c);
                    }
                    accepted.add(c);
                }
            } catch (IOException e) {
                // closed: the test is over
            }
        }, "local-server-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static LocalServer tcp() throws IOException {
        return new LocalServer(ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0)));
    }

    static LocalServer unix(Path path) throws IOException {
        return new LocalServer(ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)
                .bind(UnixDomainSocketAddress.of(path)));
    }

    /** The next accepted connection (waits for it, with a generous deadline). */
    SocketChannel next() throws InterruptedException {
        SocketChannel c = accepted.poll(30, TimeUnit.SECONDS);
        if (c == null) {
            throw new AssertionError("no connection accepted within 30 s");
        }
        return c;
    }

    static void send(SocketChannel c, String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    static String receive(SocketChannel c, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (c.read(b) < 0) {
                throw new java.io.EOFException("after " + b.position() + " bytes");
            }
        }
        return new String(b.array(), java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Reads one frame of {@link HaSocket#msgSend}. */
    static String receiveFrame(SocketChannel c) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(4);
        while (h.hasRemaining()) {
            if (c.read(h) < 0) {
                throw new java.io.EOFException();
            }
        }
        return receive(c, h.getInt(0));
    }

    static void sendFrame(SocketChannel c, String s) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(4 + b.length).putInt(b.length).put(b).flip();
        while (out.hasRemaining()) {
            c.write(out);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (all) {
            for (SocketChannel c : all) {
                c.close();
            }
        }
    }
}
