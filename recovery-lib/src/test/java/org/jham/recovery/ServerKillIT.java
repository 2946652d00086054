package org.jham.recovery;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.jham.recovery.HaConstants.HA_RECOVERY_ACOUNT;
import static org.jham.recovery.HaConstants.HA_RECOVERY_ENABLE;
import static org.jham.recovery.HaConstants.HA_RECOVERY_RESET_ACOUNT;
import static org.jham.recovery.HaConstants.HA_RECOVERY_SUSPEND;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real server processes killed with {@code kill -9} in the middle of a client's reads and writes,
 * and started again: the client, through its recovery function, carries on where it was, and its
 * data arrives whole, once, in order.
 */
class ServerKillIT {
    @TempDir
    Path dir;

    static byte[] randomData(int n) {
        byte[] b = new byte[n];
        new Random(42).nextBytes(b);
        return b;
    }

    /** Connects until the server is back (it may be restarting), within a generous deadline. */
    static HaSocket reconnectPatiently(HaSocket s) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            try {
                return s.reconnect(s.address());
            } catch (ConnectException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(5);
            }
        }
    }

    /** An I/O step of a recovery function (a handshake) that may fail on a server still dying. */
    interface Handshake {
        void run(HaSocket s) throws IOException;
    }

    /**
     * Reconnects and does {@code handshake} until both succeed. A connect can reach a server that
     * is still dying (its listening socket accepts until the kernel closes it); the handshake then
     * fails, and a real client tries again, as this does.
     */
    static HaSocket reconnectWith(HaSocket s, Handshake handshake) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            reconnectPatiently(s);
            try {
                handshake.run(s);
                return s;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    static void writeAll(HaSocket s, String text) throws IOException {
        s.write(ByteBuffer.wrap(text.getBytes(US_ASCII)));
    }

    /** The reader's state: how far it has read (the guide's curr_offset). */
    static final class Reader {
        final AtomicLong offset = new AtomicLong();
        final AtomicInteger recoveries = new AtomicInteger();
    }

    @Test
    void aStreamReadCarriesOnAtItsOffsetAcrossTwoKills() throws Exception {
        byte[] data = randomData(2 << 20);
        Path file = dir.resolve("data");
        Files.write(file, data);
        try (ServerProcess server = new ServerProcess("stream", "0", file.toString())) {
            Reader r = new Reader();
            InetSocketAddress at = new InetSocketAddress("127.0.0.1", server.port());
            try (HaSocket s = HaSocket.connect(at, (c, h) -> {
                h.recoveries.incrementAndGet();
                reconnectPatiently(c);
                writeAll(c, "FROM " + h.offset.get() + "\n"); // rebuild the state: where we were
                return c;
            }, r, 0)) {
                writeAll(s, "FROM 0\n");
                byte[] got = new byte[data.length];
                Thread killer = new Thread(() -> {
                    try {
                        for (long mark : new long[] {data.length / 3, 2L * data.length / 3}) {
                            Await.until("the reader past " + mark, () -> r.offset.get() >= mark);
                            server.kill9();
                            server.start();
                        }
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                killer.start();
                ByteBuffer b = ByteBuffer.wrap(got);
                while (b.hasRemaining()) {
                    int n = s.read(b);
                    assertTrue(n > 0, "read " + n + " at " + b.position());
                    r.offset.addAndGet(n);
                }
                killer.join(60_000);
                assertArrayEquals(data, got);
                // One recovery per kill, or two when the reconnect reached the server while it was
                // still dying and the retried read failed again (the same failure's second iteration).
                assertTrue(r.recoveries.get() >= 2, "recoveries " + r.recoveries.get());
                assertEquals(r.recoveries.get(), s.recoveryCount());
            }
        }
    }

    /** The writer's state: what it has sent, and the record in flight (rewound on recovery). */
    static final class Writer {
        final List<String> records = new ArrayList<>();
        volatile int next;
        volatile ByteBuffer inFlight;
        final AtomicInteger recoveries = new AtomicInteger();
    }

    static long lines(Path f) {
        try {
            return Files.exists(f) ? TestServer.lines(f) : 0;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Starts {@code server} again each time the client's recovery has begun (its function waits for it). */
    static Thread restarter(ServerProcess server, Writer w, int times) {
        Thread t = new Thread(() -> {
            try {
                for (int i = 1; i <= times; i++) {
                    int n = i;
                    Await.until("the client's recovery " + n, () -> w.recoveries.get() >= n);
                    server.start();
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }, "restarter");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void writesArriveOnceAndInOrderAcrossTwoKills() throws Exception {
        Path file = dir.resolve("sink");
        int total = 30_000;
        List<Integer> kills = List.of(total / 4, total / 2);
        try (ServerProcess server = new ServerProcess("sink", "0", file.toString())) {
            Writer w = new Writer();
            InetSocketAddress at = new InetSocketAddress("127.0.0.1", server.port());
            RecoveryFunction<HaSocket, Writer> recover = (c, h) -> {
                h.recoveries.incrementAndGet();
                reconnectWith(c, x -> {
                    int have = Integer.parseInt(readLine(x).substring("HAVE ".length()));
                    // Re-send what the dead server lost; the library then retries the record in flight, whole.
                    for (int i = have; i < h.next; i++) {
                        writeAll(x, h.records.get(i));
                    }
                });
                h.inFlight.rewind();
                return c;
            };
            Thread restarter = restarter(server, w, kills.size());
            try (HaSocket s = HaSocket.connect(at, recover, w, 0)) {
                assertEquals("HAVE 0", readLine(s));
                for (int i = 0; i < total; i++) {
                    if (kills.contains(i)) {
                        server.kill9(); // mid-session, between two writes
                    }
                    String rec = String.format("%08d%n", i);
                    w.records.add(rec);
                    w.inFlight = ByteBuffer.wrap(rec.getBytes(US_ASCII));
                    w.next = i;
                    s.write(w.inFlight);
                }
            }
            restarter.join(60_000);
            Await.until("all " + total + " lines in the file", () -> lines(file) == total);
            List<String> got = Files.readAllLines(file);
            for (int i = 0; i < total; i++) {
                assertEquals(String.format("%08d", i), got.get(i));
            }
            assertTrue(w.recoveries.get() >= 2, "recoveries " + w.recoveries.get());
        }
    }

    static String readLine(HaSocket s) throws IOException {
        StringBuilder b = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            one.clear();
            if (s.read(one) < 0) {
                throw new java.io.EOFException("after \"" + b + "\"");
            }
            if (one.get(0) == '\n') {
                return b.toString();
            }
            b.append((char) one.get(0));
        }
    }

    @Test
    void msgSendSeeksBackToItsOffsetAfterAKill() throws Exception {
        byte[] data = randomData(200_000);
        Path file = dir.resolve("data");
        Files.write(file, data);
        try (ServerProcess server = new ServerProcess("msg", "0", file.toString())) {
            Reader r = new Reader();
            try (HaSocket s = HaSocket.connect(new InetSocketAddress("127.0.0.1", server.port()), (c, h) -> {
                h.recoveries.incrementAndGet();
                reconnectPatiently(c);
                c.msgSend(("SEEK " + h.offset.get()).getBytes(US_ASCII)); // the guide's lseek in recover_conn
                return c;
            }, r, 0)) {
                java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
                boolean killed = false;
                while (true) {
                    byte[] reply = s.msgSend("READ 1000".getBytes(US_ASCII));
                    if (reply.length == 0) {
                        break;
                    }
                    got.write(reply);
                    r.offset.addAndGet(reply.length);
                    if (!killed && r.offset.get() >= data.length / 2) {
                        server.kill9(); // between two reads, like the guide's sleep
                        server.start();
                        killed = true;
                    }
                }
                assertArrayEquals(data, got.toByteArray());
                assertEquals(1, r.recoveries.get());
            }
        }
    }

    @Test
    void concurrentClientsOfOneConnectionRecoverOnceWhenTheServerIsKilled() throws Exception {
        byte[] data = randomData(64 * 1024);
        Path file = dir.resolve("data");
        Files.write(file, data);
        try (ServerProcess server = new ServerProcess("msg", "0", file.toString())) {
            AtomicInteger recoveries = new AtomicInteger();
            java.util.concurrent.CountDownLatch restarted = new java.util.concurrent.CountDownLatch(1);
            try (HaSocket s = HaSocket.connect(new InetSocketAddress("127.0.0.1", server.port()), (c, h) -> {
                recoveries.incrementAndGet();
                // Only to the new server: a reconnect to the dying one would fail again and count twice.
                if (!restarted.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    return null;
                }
                return reconnectPatiently(c);
            }, null, 0)) {
                int threads = 8;
                int perThread = 400;
                AtomicInteger done = new AtomicInteger();
                ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
                List<Thread> clients = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    Thread th = new Thread(() -> {
                        Random rnd = new Random(id);
                        try {
                            for (int i = 0; i < perThread; i++) {
                                int off = rnd.nextInt(data.length - 100);
                                byte[] reply = s.msgSend(("PREAD " + off + " 100").getBytes(US_ASCII));
                                if (!java.util.Arrays.equals(reply, java.util.Arrays.copyOfRange(data, off, off + 100))) {
                                    failures.add(new AssertionError("wrong bytes at " + off));
                                }
                                done.incrementAndGet();
                            }
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }, "client-" + t);
                    th.start();
                    clients.add(th);
                }
                Await.until("half the requests done", () -> done.get() >= threads * perThread / 2);
                server.kill9();
                server.start();
                restarted.countDown();
                for (Thread th : clients) {
                    th.join(120_000);
                }
                assertEquals(List.of(), List.copyOf(failures));
                assertEquals(threads * perThread, done.get());
                assertEquals(1, recoveries.get(), "recoveries");
            }
        }
    }

    @Test
    void limitsAndSuspensionHoldAgainstARealServer() throws Exception {
        Path file = dir.resolve("data");
        Files.write(file, randomData(1000));
        try (ServerProcess server = new ServerProcess("msg", "0", file.toString())) {
            AtomicInteger recoveries = new AtomicInteger();
            try (HaSocket s = HaSocket.connect(new InetSocketAddress("127.0.0.1", server.port()), (c, h) -> {
                recoveries.incrementAndGet();
                return reconnectPatiently(c);
            }, null, 0)) {
                byte[] req = "PREAD 0 10".getBytes(US_ASCII);
                s.connectionCtrl(HA_RECOVERY_ACOUNT, 1);
                server.kill9();
                server.start();
                assertEquals(10, s.msgSend(req).length); // the one recovery allowed
                server.kill9();
                server.start();
                IOException e = assertThrows(IOException.class, () -> s.msgSend(req)); // no more
                assertTrue(StaleConnections.isStale(e), e.toString());
                assertEquals(1, recoveries.get());
                s.connectionCtrl(HA_RECOVERY_RESET_ACOUNT, 0);
                assertEquals(10, s.msgSend(req).length);
                assertEquals(2, recoveries.get());
                s.connectionCtrl(HA_RECOVERY_ACOUNT, -1);

                s.connectionCtrl(HA_RECOVERY_SUSPEND, 0);
                server.kill9();
                server.start();
                assertThrows(IOException.class, () -> s.msgSend(req));
                assertEquals(2, recoveries.get());
                s.connectionCtrl(HA_RECOVERY_ENABLE, 0);
                assertEquals(10, s.msgSend(req).length);
                assertEquals(3, recoveries.get());
            }
        }
    }

    @Test
    void aFifoWriterReopensForTheRestartedReaderAndLosesNothing() throws Exception {
        Path fifo = dir.resolve("fifo");
        Path file = dir.resolve("out");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        int total = 20_000;
        Writer w = new Writer();
        try (ServerProcess reader = new ServerProcess("fifo", fifo.toString(), file.toString())) {
            RecoveryFunction<HaFileChannel, Writer> recover = (c, h) -> {
                h.recoveries.incrementAndGet();
                c.reopen(fifo, WRITE); // blocks until the new reader opens the FIFO
                // The reader keeps the next number only: re-send from what it has, then the record in flight.
                for (long i = lines(file); i < h.next; i++) {
                    c.write(ByteBuffer.wrap(h.records.get((int) i).getBytes(US_ASCII)));
                }
                return c;
            };
            Thread restarter = restarter(reader, w, 1);
            try (HaFileChannel c = HaFileChannel.open(fifo, recover, w, 0, WRITE)) {
                for (int i = 0; i < total; i++) {
                    if (i == total / 3) {
                        reader.kill9(); // mid-session, between two writes
                    }
                    String rec = String.format("%08d%n", i);
                    w.records.add(rec);
                    w.next = i;
                    ByteBuffer b = ByteBuffer.wrap(rec.getBytes(US_ASCII));
                    assertEquals(rec.length(), c.write(b)); // a FIFO write this small is all or nothing
                }
            }
            restarter.join(60_000);
            Await.until("all " + total + " lines in the file", () -> lines(file) == total);
            List<String> got = Files.readAllLines(file);
            for (int i = 0; i < total; i++) {
                assertEquals(String.format("%08d", i), got.get(i));
            }
            assertEquals(1, w.recoveries.get());
        }
    }
}
