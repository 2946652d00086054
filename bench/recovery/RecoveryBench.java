/*
 * RecoveryBench.java - the recovery-lib benchmark (Java 17 single-file source launch; run by
 * run.sh with the recovery-lib jar on the class path).
 *
 *   java -cp <recovery-lib jar> RecoveryBench.java [--rounds 30] [--round-ms 20] [--kills 40]
 *        [--warmup-kills 3] [--only REGEX] [--dir DIR] [--csv-dir DIR] [--pid-dir DIR]
 *        [--self RecoveryBench.java]
 *   --only: the part-1 cases whose name matches; part 2 runs if "recovery" matches
 *   java -cp <recovery-lib jar> RecoveryBench.java --serve PORT     (the echo server it kills)
 *
 * Part 1, the no-failure path: ns per operation of a plain FileChannel / SocketChannel against the
 * HaFileChannel / HaSocket wrapping the same kind of channel, for small (16 B) and large (64 KiB)
 * reads and writes, and a small request/reply (HaSocket.msgSend against the same exchange coded on
 * a plain SocketChannel). Rounds of each pair alternate, so both share any drift.
 *
 * Part 2, recovery: an echo server in a JVM of its own is killed with SIGKILL and started again;
 * once it is back (it printed "ready"), three clients each make one exchange and time it: an
 * HaSocket whose recovery function reconnects, one whose function reconnects and then does a
 * one-message handshake, and a plain SocketChannel with the same reconnect coded by hand
 * (try, catch, reconnect, retry).
 */

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jham.recovery.HaDescriptor;
import org.jham.recovery.HaFileChannel;
import org.jham.recovery.HaSocket;
import org.jham.recovery.StaleConnections;

public final class RecoveryBench {
    static final int SMALL = 16;
    static final int LARGE = 64 * 1024;
    static volatile long blackhole;

    int rounds = 30;
    long roundNs = 20_000_000L;
    int kills = 40;
    int warmupKills = 3;
    Path dir;
    Path csvDir;
    Path pidDir;
    Path self;
    String only;
    final List<String> problems = new ArrayList<>();
    final List<Process> servers = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--serve")) {
            serve(Integer.parseInt(args[1]));
            return;
        }
        RecoveryBench b = new RecoveryBench();
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--rounds" -> b.rounds = Integer.parseInt(v);
                case "--round-ms" -> b.roundNs = Long.parseLong(v) * 1_000_000L;
                case "--kills" -> b.kills = Integer.parseInt(v);
                case "--warmup-kills" -> b.warmupKills = Integer.parseInt(v);
                case "--dir" -> b.dir = Path.of(v);
                case "--csv-dir" -> b.csvDir = Path.of(v);
                case "--pid-dir" -> b.pidDir = Path.of(v);
                case "--self" -> b.self = Path.of(v);
                case "--only" -> b.only = v;
                default -> {
                    System.err.println("RecoveryBench: unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (b.self == null) {
            b.self = Path.of("RecoveryBench.java");
        }
        if (b.dir == null) {
            b.dir = Files.createTempDirectory("recovery-bench");
        }
        int rc;
        try {
            b.overhead();
            if (b.only == null || "recovery".matches(b.only)) {
                b.recovery();
            }
            rc = b.problems.isEmpty() ? 0 : 3;
            for (String p : b.problems) {
                System.out.println("PROBLEM: " + p);
            }
        } finally {
            b.killServers();
        }
        System.exit(rc);
    }

    // ---------------------------------------------------------------- part 1: the no-failure path

    interface Op {
        long run() throws IOException;
    }

    /** One case: the plain operation and the HA one, measured in alternating rounds. */
    record Case(String name, Op plain, Op ha) {
    }

    static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    /** Bytes the last {@link #nsPerOp} allocated per operation (escape analysis did or did not remove the lambdas). */
    static double lastBytesPerOp;

    static double nsPerOp(Op op, int m) throws IOException {
        long sink = 0;
        long b0 = THREADS.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        for (int i = 0; i < m; i++) {
            sink += op.run();
        }
        long t = System.nanoTime() - t0;
        lastBytesPerOp = (double) (THREADS.getCurrentThreadAllocatedBytes() - b0) / m;
        blackhole += sink;
        return (double) t / m;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static double pct(double[] v, double p) {
        double[] s = v.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(p / 100.0 * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }

    static final class Reads implements Op {
        final ByteBuffer b;
        final java.nio.channels.SeekableByteChannel c;

        Reads(java.nio.channels.SeekableByteChannel c, int size) {
            this.c = c;
            this.b = ByteBuffer.allocateDirect(size);
        }

        @Override
        public long run() throws IOException {
            b.clear();
            int n = c.read(b);
            if (n < b.capacity()) {
                c.position(0); // wrap around at the end of the file
            }
            return n;
        }
    }

    static final class Writes implements Op {
        final ByteBuffer b;
        final java.nio.channels.SeekableByteChannel c;
        final long limit;
        long pos;

        Writes(java.nio.channels.SeekableByteChannel c, int size, long limit) {
            this.c = c;
            this.b = ByteBuffer.allocateDirect(size);
            this.limit = limit;
        }

        @Override
        public long run() throws IOException {
            b.clear();
            int n = c.write(b);
            pos += n;
            if (pos >= limit) {
                c.position(0); // wrap around at 1 MiB
                pos = 0;
            }
            return n;
        }
    }

    static final class SockReads implements Op {
        final ByteBuffer b;
        final java.nio.channels.ByteChannel c;

        SockReads(java.nio.channels.ByteChannel c, int size) {
            this.c = c;
            this.b = ByteBuffer.allocateDirect(size);
        }

        @Override
        public long run() throws IOException {
            b.clear();
            return c.read(b);
        }
    }

    static final class SockWrites implements Op {
        final ByteBuffer b;
        final java.nio.channels.ByteChannel c;

        SockWrites(java.nio.channels.ByteChannel c, int size) {
            this.c = c;
            this.b = ByteBuffer.allocateDirect(size);
        }

        @Override
        public long run() throws IOException {
            b.clear();
            return c.write(b);
        }
    }

    /** The msgSend exchange, coded by hand on a plain channel (what HaSocket.msgSend does, minus recovery). */
    static byte[] exchange(SocketChannel c, byte[] message) throws IOException {
        ByteBuffer[] out = {ByteBuffer.allocate(4).putInt(0, message.length), ByteBuffer.wrap(message)};
        while (out[0].hasRemaining() || out[1].hasRemaining()) {
            c.write(out);
        }
        ByteBuffer head = ByteBuffer.allocate(4);
        readFully(c, head);
        ByteBuffer reply = ByteBuffer.allocate(head.getInt(0));
        readFully(c, reply);
        return reply.array();
    }

    static void readFully(SocketChannel c, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (c.read(b) < 0) {
                throw new EOFException();
            }
        }
    }

    /** Serves an accepted connection in a thread: "source" writes without end, "sink" reads, "echo" echoes frames. */
    static void serveThread(SocketChannel a, String kind) throws IOException {
        a.setOption(StandardSocketOptions.TCP_NODELAY, true);
        Thread t = new Thread(() -> {
            try (a) {
                ByteBuffer b = ByteBuffer.allocateDirect(LARGE);
                switch (kind) {
                    case "source" -> {
                        while (true) {
                            b.clear();
                            a.write(b);
                        }
                    }
                    case "sink" -> {
                        while (true) {
                            b.clear();
                            if (a.read(b) < 0) {
                                return;
                            }
                        }
                    }
                    default -> {
                        while (true) {
                            ByteBuffer h = ByteBuffer.allocate(4);
                            readFully(a, h);
                            ByteBuffer body = ByteBuffer.allocate(h.getInt(0));
                            readFully(a, body);
                            h.flip();
                            body.flip();
                            ByteBuffer[] out = {h, body};
                            while (out[0].hasRemaining() || out[1].hasRemaining()) {
                                a.write(out);
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // the benchmark closed the connection
            }
        }, "bench-" + kind);
        t.setDaemon(true);
        t.start();
    }

    /** A plain client connection to a server thread of {@code kind}. */
    static SocketChannel plainTo(ServerSocketChannel ss, String kind) throws IOException {
        SocketChannel c = SocketChannel.open(ss.getLocalAddress());
        c.setOption(StandardSocketOptions.TCP_NODELAY, true);
        serveThread(ss.accept(), kind);
        return c;
    }

    /** An HA-aware client connection to a server thread of {@code kind}. */
    static HaSocket haTo(ServerSocketChannel ss, String kind) throws IOException {
        HaSocket h = HaSocket.connect(ss.getLocalAddress(), (c, x) -> c, null, 0);
        serveThread(ss.accept(), kind);
        return h;
    }

    void overhead() throws IOException {
        Path file = dir.resolve("data");
        Files.write(file, new byte[1 << 20]);
        List<AutoCloseable> toClose = new ArrayList<>();
        ServerSocketChannel ss = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        toClose.add(ss);
        List<Case> cases = new ArrayList<>();
        // The library's own cost: HaDescriptor.call around an operation that makes no system call.
        ByteBuffer memory = ByteBuffer.allocate(LARGE);
        byte[] into = new byte[SMALL];
        HaDescriptor<Object, ByteBuffer> d = new HaDescriptor<>(new Object(), memory, m -> { }, StaleConnections::isStale);
        d.attach((o, h) -> o, null, 0);
        HaDescriptor.IntOperation<ByteBuffer, byte[], RuntimeException> copy = (m, b) -> {
            m.get(0, b);
            return b[0];
        };
        cases.add(new Case("no I/O: 16 B from memory", () -> copy.apply(memory, into), () -> d.callInt(into, copy)));
        for (int size : new int[] {SMALL, LARGE}) {
            FileChannel pr = FileChannel.open(file, StandardOpenOption.READ);
            HaFileChannel hr = HaFileChannel.open(file, (c, h) -> c.reopen(file, StandardOpenOption.READ), null, 0,
                    StandardOpenOption.READ);
            FileChannel pw = FileChannel.open(file, StandardOpenOption.WRITE);
            HaFileChannel hw = HaFileChannel.open(file, (c, h) -> c.reopen(file, StandardOpenOption.WRITE), null, 0,
                    StandardOpenOption.WRITE);
            toClose.addAll(List.of(pr, hr, pw, hw));
            cases.add(new Case("file read " + size + " B", new Reads(pr, size), new Reads(hr, size)));
            cases.add(new Case("file write " + size + " B", new Writes(pw, size, 1 << 20), new Writes(hw, size, 1 << 20)));
        }
        for (int size : new int[] {SMALL, LARGE}) {
            SocketChannel pr = plainTo(ss, "source");
            HaSocket hr = haTo(ss, "source");
            cases.add(new Case("socket read " + size + " B", new SockReads(pr, size), new SockReads(hr, size)));
            SocketChannel pw = plainTo(ss, "sink");
            HaSocket hw = haTo(ss, "sink");
            toClose.addAll(List.of(pr, hr, pw, hw));
            cases.add(new Case("socket write " + size + " B", new SockWrites(pw, size), new SockWrites(hw, size)));
        }
        byte[] request = new byte[SMALL];
        SocketChannel pe = plainTo(ss, "echo");
        HaSocket he = haTo(ss, "echo");
        toClose.addAll(List.of(pe, he));
        cases.add(new Case("request/reply " + SMALL + " B", () -> exchange(pe, request).length,
                () -> he.msgSend(request).length));

        if (only != null) {
            cases.removeIf(c -> !c.name().matches(only));
            if (cases.isEmpty()) {
                closeAll(toClose);
                return;
            }
        }
        String csv = "case,impl,round,ns_per_op,ops\n";
        StringBuilder rows = new StringBuilder(csv);
        System.out.println();
        System.out.println("Part 1: the no-failure path, ns per operation: median of " + rounds
                + " alternating rounds of ~" + roundNs / 1_000_000 + " ms (p10-p90 of the rounds);");
        System.out.println("HA - plain: the median of the differences between the two rounds of each pair; ratio: 1 + that / plain;"
                + " B/op: bytes allocated per operation (median)");
        System.out.printf(Locale.ROOT, "%-26s %22s %22s %10s %7s %7s %7s%n", "case", "plain", "HA-aware", "HA - plain",
                "ratio", "B/op", "HA B/op");
        for (Case c : cases) {
            // calibrate on the plain op, warm both
            int m = 16;
            while (true) {
                long t0 = System.nanoTime();
                nsPerOp(c.plain(), m);
                nsPerOp(c.ha(), m);
                if (System.nanoTime() - t0 > roundNs || m > 50_000_000) {
                    break;
                }
                m *= 2;
            }
            m = Math.max(16, m / 2);
            for (int w = 0; w < 5; w++) {
                nsPerOp(c.plain(), m);
                nsPerOp(c.ha(), m);
            }
            double[] plain = new double[rounds];
            double[] ha = new double[rounds];
            double[] plainBytes = new double[rounds];
            double[] haBytes = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                if (r % 2 == 0) {
                    plain[r] = nsPerOp(c.plain(), m);
                    plainBytes[r] = lastBytesPerOp;
                    ha[r] = nsPerOp(c.ha(), m);
                    haBytes[r] = lastBytesPerOp;
                } else {
                    ha[r] = nsPerOp(c.ha(), m);
                    haBytes[r] = lastBytesPerOp;
                    plain[r] = nsPerOp(c.plain(), m);
                    plainBytes[r] = lastBytesPerOp;
                }
                rows.append(String.format(Locale.ROOT, "%s,plain,%d,%.2f,%d%n", c.name(), r, plain[r], m));
                rows.append(String.format(Locale.ROOT, "%s,ha,%d,%.2f,%d%n", c.name(), r, ha[r], m));
            }
            double mp = median(plain);
            double mh = median(ha);
            // Rounds next to each other share the machine's state: the median of the pairs'
            // differences is steadier than the difference of the medians.
            double[] diff = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                diff[r] = ha[r] - plain[r];
            }
            double md = median(diff);
            System.out.printf(Locale.ROOT, "%-26s %9.1f (%5.0f-%5.0f) %9.1f (%5.0f-%5.0f) %+10.1f %7.3f %7.1f %7.1f%n",
                    c.name(), mp, pct(plain, 10), pct(plain, 90), mh, pct(ha, 10), pct(ha, 90), md, (mp + md) / mp,
                    median(plainBytes), median(haBytes));
        }
        writeCsv("overhead.csv", rows.toString());
        closeAll(toClose);
    }

    static void closeAll(List<AutoCloseable> toClose) {
        for (AutoCloseable a : toClose) {
            try {
                a.close();
            } catch (Exception e) {
                // closing at the end
            }
        }
    }

    // ---------------------------------------------------------------- part 2: recovery

    /** The echo server of part 2: frames in, the same frames out; prints "ready PORT". */
    static void serve(int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        System.out.println("ready " + server.getLocalPort());
        System.out.flush();
        while (true) {
            Socket s = server.accept();
            Thread t = new Thread(() -> {
                try (s) {
                    s.setTcpNoDelay(true);
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    while (true) {
                        byte[] m = new byte[in.readInt()];
                        in.readFully(m);
                        out.write(ByteBuffer.allocate(4 + m.length).putInt(m.length).put(m).array());
                        out.flush();
                    }
                } catch (IOException e) {
                    // client gone
                }
            });
            t.setDaemon(true);
            t.start();
        }
    }

    Process current;
    int port;

    void startServer() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                self.toString(), "--serve", Integer.toString(port)).redirectErrorStream(true).start();
        servers.add(p);
        if (pidDir != null) {
            String st = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
            Files.writeString(pidDir.resolve(Long.toString(p.pid())), st.substring(st.lastIndexOf(')') + 2).split(" ")[19]);
        }
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread r = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = in.readLine()) != null) {
                    lines.add(l);
                }
            } catch (IOException e) {
                // ended
            }
        });
        r.setDaemon(true);
        r.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            String l = lines.poll(50, TimeUnit.MILLISECONDS);
            if (l != null && l.startsWith("ready ")) {
                port = Integer.parseInt(l.substring(6).trim());
                current = p;
                return;
            }
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("the echo server did not get ready: " + l);
            }
        }
    }

    /**
     * A new server JVM is cold: its first exchanges run interpreted. Warm it with a connection of
     * its own, so that what follows measures the client's recovery rather than the server's start.
     */
    static void warmServer(InetSocketAddress at, byte[] request) throws IOException {
        try (SocketChannel c = SocketChannel.open(at)) {
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            for (int i = 0; i < 300; i++) {
                exchange(c, request);
            }
        }
    }

    void killServer() throws InterruptedException {
        current.destroyForcibly();
        if (!current.waitFor(30, TimeUnit.SECONDS)) {
            problems.add("the server " + current.pid() + " survived SIGKILL for 30 s");
        }
    }

    void killServers() {
        for (Process p : servers) {
            p.destroyForcibly();
        }
    }

    void recovery() throws Exception {
        startServer();
        InetSocketAddress at = new InetSocketAddress("127.0.0.1", port);
        byte[] request = new byte[SMALL];
        byte[] hello = "HELLO".getBytes(StandardCharsets.US_ASCII);
        long[] fn = new long[2]; // when the reconnect-only function started and ended (System.nanoTime())
        HaSocket reconnect = HaSocket.connect(at, (c, h) -> {
            fn[0] = System.nanoTime();
            c.reconnect(at);
            fn[1] = System.nanoTime();
            return c;
        }, null, 0);
        HaSocket handshake = HaSocket.connect(at, (c, h) -> {
            c.reconnect(at);
            c.msgSend(hello);
            return c;
        }, null, 0);
        SocketChannel[] plain = {SocketChannel.open(at)};
        plain[0].setOption(StandardSocketOptions.TCP_NODELAY, true);
        Op[] clients = {
            () -> reconnect.msgSend(request).length,
            () -> handshake.msgSend(request).length,
            () -> {
                // the same thing by hand: try, catch, reconnect, retry
                try {
                    return exchange(plain[0], request).length;
                } catch (IOException e) {
                    plain[0].close();
                    plain[0] = SocketChannel.open(at);
                    plain[0].setOption(StandardSocketOptions.TCP_NODELAY, true);
                    return exchange(plain[0], request).length;
                }
            }};
        String[] names = {"HaSocket, function reconnects", "HaSocket, reconnect + handshake", "plain, reconnect by hand"};
        // healthy exchanges, for reference (after a warm-up)
        for (int i = 0; i < 5000; i++) {
            clients[0].run();
        }
        double[] healthy = new double[1000];
        for (int i = 0; i < healthy.length; i++) {
            long t0 = System.nanoTime();
            clients[0].run();
            healthy[i] = (System.nanoTime() - t0) / 1000.0;
        }
        double[][] us = new double[3][kills];
        double[][] split = new double[3][kills]; // reconnect-only client: detect, function, retried exchange
        StringBuilder rows = new StringBuilder("kill,client,us,recoveries\n");
        long[] before = {0, 0};
        for (int k = -warmupKills; k < kills; k++) {
            killServer();
            startServer();
            warmServer(at, request);
            for (int j = 0; j < 3; j++) {
                int c = (j + Math.floorMod(k, 3)) % 3; // rotate who goes first
                long t0 = System.nanoTime();
                clients[c].run();
                double t = (System.nanoTime() - t0) / 1000.0;
                if (k >= 0) {
                    us[c][k] = t;
                    if (c == 0) {
                        split[0][k] = (fn[0] - t0) / 1000.0;
                        split[1][k] = (fn[1] - fn[0]) / 1000.0;
                        split[2][k] = (t0 + (long) (t * 1000) - fn[1]) / 1000.0;
                    }
                    rows.append(String.format(Locale.ROOT, "%d,%s,%.1f,%d%n", k, names[c], t,
                            c == 0 ? reconnect.recoveryCount() : c == 1 ? handshake.recoveryCount() : -1));
                }
            }
            if (reconnect.recoveryCount() != before[0] + 1 || handshake.recoveryCount() != before[1] + 1) {
                problems.add("kill " + k + ": recoveries " + (reconnect.recoveryCount() - before[0]) + " and "
                        + (handshake.recoveryCount() - before[1]) + ", not 1 each");
            }
            before[0] = reconnect.recoveryCount();
            before[1] = handshake.recoveryCount();
        }
        writeCsv("recovery.csv", rows.toString());
        System.out.println();
        System.out.println("Part 2: one 16 B exchange on the connection to a server that was killed with SIGKILL and"
                + " is back (started again, ready, warmed), " + kills + " kills; microseconds");
        System.out.printf(Locale.ROOT, "%-42s %8s %8s %8s %8s%n", "client", "p50", "p90", "p99", "max");
        System.out.printf(Locale.ROOT, "%-42s %8.1f %8.1f %8.1f %8.1f%n", "healthy exchange (no failure)", pct(healthy, 50),
                pct(healthy, 90), pct(healthy, 99), pct(healthy, 100));
        String[] parts = {"  of which: failure seen (t0 -> function)", "            function (reconnect)",
            "            the retried exchange"};
        for (int c = 0; c < 3; c++) {
            System.out.printf(Locale.ROOT, "%-42s %8.1f %8.1f %8.1f %8.1f%n", names[c], pct(us[c], 50), pct(us[c], 90),
                    pct(us[c], 99), pct(us[c], 100));
            for (int i = 0; c == 0 && i < 3; i++) {
                System.out.printf(Locale.ROOT, "%-42s %8.1f %8.1f %8.1f %8.1f%n", parts[i], pct(split[i], 50),
                        pct(split[i], 90), pct(split[i], 99), pct(split[i], 100));
            }
        }
        System.out.println("recoveries: " + reconnect.recoveryCount() + " and " + handshake.recoveryCount() + " (1 per kill, "
                + (kills + warmupKills) + " kills with the warm-up)");
        reconnect.close();
        handshake.close();
        plain[0].close();
    }

    void writeCsv(String name, String text) throws IOException {
        if (csvDir != null) {
            Files.createDirectories(csvDir);
            Files.writeString(csvDir.resolve(name), text);
        }
    }
}
