package org.jham.recovery;

import static java.nio.file.StandardOpenOption.READ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent users of one connection (and of its dups) that fail together recover once, not N times. */
class ConcurrencyTest {
    static final int N = 8;

    @Test
    void readersBlockedOnADeadServerRecoverOnce() throws Exception {
        try (LocalServer server = LocalServer.tcp()) {
            AtomicInteger calls = new AtomicInteger();
            try (HaSocket s = HaSocket.connect(server.address, (c, h) -> {
                calls.incrementAndGet();
                return c.reconnect(c.address());
            }, null, 0)) {
                HaSocket copy = s.dup();
                SocketChannel first = server.next();
                ConcurrentLinkedQueue<Object> got = new ConcurrentLinkedQueue<>();
                List<Thread> readers = new ArrayList<>();
                for (int i = 0; i < N; i++) {
                    HaSocket mine = i % 2 == 0 ? s : copy;
                    Thread t = new Thread(() -> {
                        try {
                            ByteBuffer b = ByteBuffer.allocate(1);
                            got.add(mine.read(b) == 1 ? (char) b.get(0) : "eof");
                        } catch (IOException e) {
                            got.add(e);
                        }
                    }, "reader-" + i);
                    t.start();
                    readers.add(t);
                }
                // Every reader is in the channel's read (running, or queued on its read lock).
                Await.until("all readers blocked on the old socket",
                        () -> readers.stream().allMatch(t -> Await.inside(t, "sun.nio.ch.SocketChannelImpl", "read")));
                first.close();
                SocketChannel second = server.next();
                LocalServer.send(second, "abcdefgh".substring(0, N));
                for (Thread t : readers) {
                    t.join(30_000);
                }
                assertEquals(N, got.size(), got.toString());
                assertTrue(got.stream().allMatch(o -> o instanceof Character), got.toString());
                assertEquals(1, calls.get(), "recoveries");
                copy.close();
            }
        }
    }

    @Test
    void positionalReadersOfABrokenFileRecoverOnce(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("data");
        byte[] data = new byte[4096];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        Files.write(f, data);
        AtomicInteger calls = new AtomicInteger();
        try (HaFileChannel c = HaFileChannel.open(f, (ch, h) -> {
            calls.incrementAndGet();
            return ch.reopen(f, READ);
        }, null, 0, READ)) {
            HaFileChannel copy = c.dup();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger reads = new AtomicInteger();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> readers = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                HaFileChannel mine = i % 2 == 0 ? c : copy;
                int at = i * 100;
                Thread t = new Thread(() -> {
                    ByteBuffer b = ByteBuffer.allocate(1);
                    while (!stop.get()) {
                        try {
                            b.clear();
                            if (mine.read(b, at) != 1 || b.get(0) != (byte) at) {
                                failures.add(new AssertionError("wrong byte at " + at));
                            }
                            reads.incrementAndGet();
                        } catch (IOException e) {
                            failures.add(e);
                            return;
                        }
                    }
                });
                t.start();
                readers.add(t);
            }
            Await.until("readers running", () -> reads.get() > 10 * N);
            AttachTest.breakUnderlying(c);
            int before = reads.get();
            Await.until("readers running again after the break", () -> reads.get() > before + 10 * N);
            stop.set(true);
            for (Thread t : readers) {
                t.join(30_000);
            }
            assertEquals(List.of(), List.copyOf(failures));
            assertEquals(1, calls.get(), "recoveries");
            copy.close();
        }
    }
}
