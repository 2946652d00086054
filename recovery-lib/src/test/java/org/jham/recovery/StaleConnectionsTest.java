package org.jham.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The stale list, checked on failures that real channels and sockets produce here, not on hand-made exceptions. */
class StaleConnectionsTest {

    /** A connected pair on loopback: the client channel and the server's end. */
    record Pair(ServerSocketChannel server, SocketChannel client, SocketChannel accepted) implements AutoCloseable {
        static Pair open() throws IOException {
            ServerSocketChannel s = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            SocketChannel c = SocketChannel.open(s.getLocalAddress());
            return new Pair(s, c, s.accept());
        }

        @Override
        public void close() throws IOException {
            client.close();
            accepted.close();
            server.close();
        }
    }

    static IOException failure(IoAction a) {
        return assertThrows(IOException.class, a::run);
    }

    interface IoAction {
        void run() throws IOException;
    }

    @Test
    void brokenPipeAfterThePeerClosedIsStale() throws Exception {
        try (Pair p = Pair.open()) {
            p.accepted().close();
            // The first write reaches a closed peer, whose RST makes a later one fail.
            IOException e = failure(() -> {
                for (int i = 0; i < 1000; i++) {
                    p.client().write(ByteBuffer.wrap(new byte[100]));
                    Thread.onSpinWait();
                }
            });
            assertTrue(e.getMessage().startsWith("Broken pipe") || e.getMessage().startsWith("Connection reset"), e.toString());
            assertTrue(StaleConnections.isStale(e), e.toString());
        }
    }

    @Test
    void connectionResetIsStale() throws Exception {
        try (Pair p = Pair.open()) {
            p.accepted().setOption(StandardSocketOptions.SO_LINGER, 0);
            p.accepted().close(); // RST
            IOException e = failure(() -> {
                for (int i = 0; i < 1000; i++) {
                    p.client().read(ByteBuffer.allocate(10));
                }
            });
            assertEquals("Connection reset", e.getMessage());
            assertTrue(StaleConnections.isStale(e));
        }
    }

    @Test
    void closedChannelIsStaleButNotAnInterrupt() throws Exception {
        Path f = Files.createTempFile("stale", ".txt");
        try {
            FileChannel c = FileChannel.open(f);
            c.close();
            IOException closed = failure(() -> c.read(ByteBuffer.allocate(1)));
            assertTrue(closed instanceof ClosedChannelException);
            assertTrue(StaleConnections.isStale(closed));
        } finally {
            Files.delete(f);
        }

        try (Pair p = Pair.open()) {
            AtomicReference<Throwable> seen = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    p.client().read(ByteBuffer.allocate(1));
                } catch (Throwable t) {
                    seen.set(t);
                }
            });
            reader.start();
            Await.until("the reader blocked in read", () -> Await.inside(reader, "sun.nio.ch.SocketChannelImpl", "read"));
            reader.interrupt();
            reader.join(30_000);
            assertTrue(seen.get() instanceof ClosedByInterruptException, String.valueOf(seen.get()));
            assertFalse(StaleConnections.isStale(seen.get()));
        }

        try (Pair p = Pair.open()) {
            AtomicReference<Throwable> seen = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    p.client().read(ByteBuffer.allocate(1));
                } catch (Throwable t) {
                    seen.set(t);
                }
            });
            reader.start();
            Await.until("the reader blocked in read", () -> Await.inside(reader, "sun.nio.ch.SocketChannelImpl", "read"));
            p.client().close();
            reader.join(30_000);
            assertTrue(seen.get() instanceof AsynchronousCloseException, String.valueOf(seen.get()));
            assertTrue(StaleConnections.isStale(seen.get()));
        }
    }

    @Test
    void aTimeoutIsNotStale() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                Socket c = new Socket(s.getInetAddress(), s.getLocalPort());
                Socket a = s.accept()) {
            assertTrue(a.isConnected());
            c.setSoTimeout(50);
            IOException e = failure(() -> c.getInputStream().read());
            assertTrue(e instanceof SocketTimeoutException, e.toString());
            assertFalse(StaleConnections.isStale(e));
        }
    }

    @Test
    void aProcessThatIsGoneIsStale() throws Exception {
        Process p = new ProcessBuilder("/bin/sleep", "1000").start();
        try (FileChannel c = FileChannel.open(Path.of("/proc/" + p.pid() + "/stat"))) {
            p.destroyForcibly().waitFor();
            IOException e = failure(() -> c.read(ByteBuffer.allocate(100)));
            assertEquals("No such process", e.getMessage());
            assertTrue(StaleConnections.isStale(e));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void ordinaryFailuresAreNotStale() throws Exception {
        IOException dir = failure(() -> {
            try (FileChannel c = FileChannel.open(Path.of("/tmp"))) {
                c.read(ByteBuffer.allocate(1));
            }
        });
        assertEquals("Is a directory", dir.getMessage());
        assertFalse(StaleConnections.isStale(dir));
        IOException missing = failure(() -> FileChannel.open(Path.of("/nonexistent/x")).close());
        assertFalse(StaleConnections.isStale(missing));
        assertFalse(StaleConnections.isStale(new IOException((String) null)));
        assertFalse(StaleConnections.isStale(new NonReadableChannelException()));
        assertFalse(StaleConnections.isStale(new java.io.EOFException()));
        assertTrue(StaleConnections.isStale(new PeerClosedException("end of stream")));
        Path f = Files.createTempFile("stale", ".txt");
        try (FileChannel c = FileChannel.open(f, StandardOpenOption.WRITE)) {
            NonReadableChannelException e = assertThrows(NonReadableChannelException.class, () -> c.read(ByteBuffer.allocate(1)));
            assertFalse(StaleConnections.isStale(e));
        } finally {
            Files.delete(f);
        }
    }
}
