package org.jham.recovery;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.jham.recovery.HaConstants.HA_RECOVERY_ICOUNT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HaSocket against an in-process server: end of stream, reset, the MsgSend cover, interrupts, Unix sockets. */
class HaSocketTest {

    /** A read of {@code n} bytes on a thread of its own: its text, or the failure's. */
    record Reader(Thread thread, AtomicReference<String> got) {
        static Reader start(HaSocket s, int n) {
            AtomicReference<String> got = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    got.set(read(s, n));
                } catch (IOException e) {
                    got.set(e.toString());
                }
            });
            t.start();
            return new Reader(t, got);
        }

        String result() throws InterruptedException {
            thread.join(30_000);
            return got.get();
        }
    }

    static String read(HaSocket s, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (s.read(b) < 0) {
                return b.position() == 0 ? null : new String(b.array(), 0, b.position(), US_ASCII);
            }
        }
        return new String(b.array(), US_ASCII);
    }

    /** A recovery function that reconnects to the same address and says "HELLO n" (n = bytes read so far). */
    static final class Client {
        final AtomicInteger recoveries = new AtomicInteger();
        long offset;

        HaSocket recover(HaSocket s) throws IOException {
            recoveries.incrementAndGet();
            s.reconnect(s.address());
            s.write(ByteBuffer.wrap(("HELLO " + offset + "\n").getBytes(US_ASCII)));
            return s;
        }
    }

    @Test
    void theServerClosingIsRecoveredAndTheReadContinuesAtTheOffset() throws Exception {
        try (LocalServer server = LocalServer.tcp()) {
            Client client = new Client();
            try (HaSocket s = Ha.connectAttach(server.address, (c, h) -> h.recover(c), client, 0)) {
                SocketChannel first = server.next();
                LocalServer.send(first, "abc");
                assertEquals("abc", read(s, 3));
                client.offset = 3;
                first.close(); // the server's end goes away: end of stream for the reader
                Reader reader = Reader.start(s, 3);
                SocketChannel second = server.next();
                assertEquals("HELLO 3\n", LocalServer.receive(second, 8));
                LocalServer.send(second, "def");
                assertEquals("def", reader.result());
                assertEquals(1, client.recoveries.get());
            }
        }
    }

    @Test
    void endOfStreamIsAnAnswerWhenTurnedOffOrNotRecovered() throws Exception {
        try (LocalServer server = LocalServer.tcp()) {
            AtomicInteger calls = new AtomicInteger();
            try (HaSocket s = HaSocket.connect(server.address, (c, h) -> {
                calls.incrementAndGet();
                return null;
            }, null, 0)) {
                server.next().close();
                assertEquals(-1, s.read(ByteBuffer.allocate(1))); // recovery gave up: the original outcome
                assertEquals(1, calls.get());
                s.recoverAtEndOfStream(false);
                assertEquals(-1, s.read(ByteBuffer.allocate(1)));
                assertEquals(1, calls.get());
            }
        }
    }

    @Test
    void aResetDuringWritesIsRecoveredAndTheRetriedWriteReachesTheNewServer() throws Exception {
        try (LocalServer server = LocalServer.tcp()) {
            AtomicInteger calls = new AtomicInteger();
            try (HaSocket s = HaSocket.connect(server.address, (c, h) -> {
                calls.incrementAndGet();
                return c.reconnect(c.address());
            }, null, 0)) {
                SocketChannel first = server.next();
                first.setOption(StandardSocketOptions.SO_LINGER, 0);
                first.close(); // RST
                // The first write may still be taken by the kernel; one of the next fails, recovers, is retried.
                int i = 0;
                while (calls.get() == 0) {
                    s.write(ByteBuffer.wrap(String.format("%04d", i++).getBytes(US_ASCII)));
                    assertTrue(i < 10_000, "no write failed after the reset");
                }
                SocketChannel second = server.next();
                assertEquals(String.format("%04d", i - 1), LocalServer.receive(second, 4)); // the retried write
                assertEquals(1, calls.get());
            }
        }
    }

    @Test
    void msgSendRedoesTheWholeExchangeOnTheNewConnection() throws Exception {
        try (LocalServer server = LocalServer.tcp()) {
            AtomicInteger calls = new AtomicInteger();
            try (HaSocket s = HaSocket.connect(server.address, (c, h) -> {
                calls.incrementAndGet();
                return c.reconnect(c.address());
            }, null, 0)) {
                AtomicReference<Object> reply = new AtomicReference<>();
                Thread t = new Thread(() -> {
                    try {
                        reply.set(new String(s.msgSend("READ 5".getBytes(US_ASCII)), US_ASCII));
                    } catch (IOException e) {
                        reply.set(e);
                    }
                });
                t.start();
                SocketChannel first = server.next();
                assertEquals("READ 5", LocalServer.receiveFrame(first));
                // Half a reply, then the server dies.
                first.write(ByteBuffer.allocate(4).putInt(0, 5));
                first.write(ByteBuffer.wrap("ab".getBytes(US_ASCII)));
                first.close();
                SocketChannel second = server.next();
                assertEquals("READ 5", LocalServer.receiveFrame(second)); // the request, sent again
                LocalServer.sendFrame(second, "abcde");
                t.join(30_000);
                assertEquals("abcde", reply.get());
                assertEquals(1, calls.get());
                // Without a recovery, a reply cut short is a PeerClosedException.
                s.connectionCtrl(HaConstants.HA_RECOVERY_SUSPEND, 0);
                Thread t2 = new Thread(() -> {
                    try {
                        reply.set(s.msgSend("X".getBytes(US_ASCII)));
                    } catch (IOException e) {
                        reply.set(e);
                    }
                });
                t2.start();
                assertEquals("X", LocalServer.receiveFrame(second));
                second.close();
                t2.join(30_000);
                assertInstanceOf(PeerClosedException.class, reply.get());
            }
        }
    }

    @Test
    void aServerThatKeepsClosingIsBoundedByIcount() throws Exception {
        try (LocalServer server = LocalServer.tcp()) {
            AtomicInteger calls = new AtomicInteger();
            Thread closer = new Thread(() -> {
                try {
                    while (true) {
                        server.next().close();
                    }
                } catch (InterruptedException | AssertionError | IOException e) {
                    // test over
                }
            });
            closer.setDaemon(true);
            closer.start();
            try (HaSocket s = HaSocket.connect(server.address, (c, h) -> {
                calls.incrementAndGet();
                return c.reconnect(c.address());
            }, null, 0)) {
                s.connectionCtrl(HA_RECOVERY_ICOUNT, 4);
                assertEquals(-1, s.read(ByteBuffer.allocate(1)));
                assertEquals(4, calls.get());
            } finally {
                closer.interrupt();
            }
        }
    }

    @Test
    void anInterruptIsNotRecoveredButTheChannelItClosedIs() throws Exception {
        try (LocalServer server = LocalServer.tcp()) {
            AtomicInteger calls = new AtomicInteger();
            try (HaSocket s = HaSocket.connect(server.address, (c, h) -> {
                calls.incrementAndGet();
                return c.reconnect(c.address());
            }, null, 0)) {
                server.next();
                AtomicReference<Throwable> seen = new AtomicReference<>();
                Thread reader = new Thread(() -> {
                    try {
                        s.read(ByteBuffer.allocate(1));
                    } catch (Throwable t) {
                        seen.set(t);
                    }
                });
                reader.start();
                Await.until("the reader blocked in read", () -> Await.inside(reader, "sun.nio.ch.SocketChannelImpl", "read"));
                reader.interrupt();
                reader.join(30_000);
                assertInstanceOf(ClosedByInterruptException.class, seen.get());
                assertEquals(0, calls.get());
                // NIO closed the socket on the interrupt: the next user recovers.
                Thread writer = new Thread(() -> {
                    try {
                        s.write(ByteBuffer.wrap("x".getBytes(US_ASCII)));
                    } catch (IOException e) {
                        seen.set(e);
                    }
                });
                writer.start();
                assertEquals("x", LocalServer.receive(server.next(), 1));
                writer.join(30_000);
                assertEquals(1, calls.get());
            }
        }
    }

    @Test
    void aUnixDomainSocketAtAPathRecoversLikeTcp(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("server");
        try (LocalServer server = LocalServer.unix(path)) {
            Client client = new Client();
            try (HaSocket s = HaSocket.connect(server.address, (c, h) -> h.recover(c), client, 0)) {
                SocketChannel first = server.next();
                LocalServer.send(first, "ab");
                assertEquals("ab", read(s, 2));
                client.offset = 2;
                first.close();
                Reader reader = Reader.start(s, 1);
                SocketChannel second = server.next();
                assertEquals("HELLO 2\n", LocalServer.receive(second, 8));
                LocalServer.send(second, "c");
                assertEquals("c", reader.result());
            }
        }
    }
}
