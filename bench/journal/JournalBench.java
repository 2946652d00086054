import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.jham.agent.state.Journal;

/**
 * The state journal's cost per mutation: single-thread appends of small records with fsync off
 * and on, compaction of 1,000 and 10,000 records, and the open (replay) a Guardian does at
 * takeover. Runs against the real org.jham.agent.state.Journal in a directory of the file
 * system under test; see README.md next to this file.
 *
 * usage: java -cp ham-agent.jar JournalBench.java --dir DIR [--size BYTES] [--rounds R]
 *            [--nosync-n N] [--sync-n N] [--seconds S] [--csv FILE]
 */
public final class JournalBench {
    private static int size = 200;
    private static int rounds = 3;
    private static int nosyncN = 500_000;
    private static int syncN = 20_000;
    private static double maxSeconds = 20;

    public static void main(String[] args) throws Exception {
        Path dir = null;
        Path csv = null;
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--dir" -> { dir = Path.of(v); i++; }
                case "--size" -> { size = Integer.parseInt(v); i++; }
                case "--rounds" -> { rounds = Integer.parseInt(v); i++; }
                case "--nosync-n" -> { nosyncN = Integer.parseInt(v); i++; }
                case "--sync-n" -> { syncN = Integer.parseInt(v); i++; }
                case "--seconds" -> { maxSeconds = Double.parseDouble(v); i++; }
                case "--csv" -> { csv = Path.of(v); i++; }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (dir == null) {
            throw new IllegalArgumentException("--dir is required");
        }
        List<String> lines = new ArrayList<>();
        lines.add("what,fsync,n,round,total_ms,per_s,us_mean,us_p50,us_p99,us_max,write_calls");

        System.out.printf("records of %d bytes (%d on disk with the frame), %d rounds each%n", size, size + 8, rounds);
        // warm-up: the JIT, the page cache, the directory
        appends(dir.resolve("warmup"), false, 50_000, null, 0);
        Journal.erase(dir.resolve("warmup"));

        for (boolean fsync : new boolean[] {false, true}) {
            int n = fsync ? syncN : nosyncN;
            double[] perS = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                Path d = dir.resolve("append-" + fsync + "-" + r);
                Result res = appends(d, fsync, n, lines, r);
                perS[r] = res.perSecond();
                System.out.printf(Locale.ROOT, "append, fsync %-5s round %d: %,9d appends in %8.1f ms: %,10.0f appends/s, "
                        + "%8.2f us/append (p50 %.2f, p99 %.2f, max %.1f us); %.2f write calls per append%n", fsync, r + 1,
                        res.n, res.totalMs(), res.perSecond(), res.meanUs(), res.pUs(0.50), res.pUs(0.99), res.pUs(1.0),
                        (double) res.writeCalls / res.n);
                Journal.erase(d);
            }
            Arrays.sort(perS);
            System.out.printf(Locale.ROOT, "append, fsync %-5s median of %d rounds: %,.0f appends/s = %.2f us per append%n",
                    fsync, rounds, perS[rounds / 2], 1e6 / perS[rounds / 2]);
        }

        for (boolean fsync : new boolean[] {false, true}) {
            for (int count : new int[] {1_000, 10_000}) {
                List<byte[]> state = records(count, 1);
                Path d = dir.resolve("compact-" + fsync + "-" + count);
                double[] ms = new double[Math.max(rounds, 5)];
                try (Journal j = Journal.open(d, fsync)) {
                    j.compact(state); // warm
                    for (int r = 0; r < ms.length; r++) {
                        long t0 = System.nanoTime();
                        j.compact(state);
                        ms[r] = (System.nanoTime() - t0) / 1e6;
                        lines.add(String.format(Locale.ROOT, "compact,%s,%d,%d,%.3f,,,,,,", fsync, count, r, ms[r]));
                    }
                }
                Journal.erase(d);
                Arrays.sort(ms);
                System.out.printf(Locale.ROOT, "compact %,6d records (%,.1f KB), fsync %-5s: median %7.2f ms, min %7.2f, "
                        + "max %7.2f (%d rounds)%n", count, count * (size + 8) / 1000.0, fsync, ms[ms.length / 2], ms[0],
                        ms[ms.length - 1], ms.length);
            }
        }

        // what a Guardian pays at takeover: open = read, verify and hand over snapshot + log
        for (int count : new int[] {1_000, 10_000}) {
            Path d = dir.resolve("open-" + count);
            try (Journal j = Journal.open(d, false)) {
                j.compact(records(count, 2));
                for (byte[] r : records(count, 3)) {
                    j.append(r);
                }
            }
            double[] ms = new double[Math.max(rounds, 5)];
            for (int r = 0; r < ms.length; r++) {
                long t0 = System.nanoTime();
                try (Journal j = Journal.open(d, false)) {
                    if (j.recovered().snapshot().size() != count || j.recovered().log().size() != count
                            || j.recovered().damage().isPresent()) {
                        throw new IllegalStateException("open read back the wrong records: " + j.recovered());
                    }
                }
                ms[r] = (System.nanoTime() - t0) / 1e6;
                lines.add(String.format(Locale.ROOT, "open,false,%d,%d,%.3f,,,,,,", 2 * count, r, ms[r]));
            }
            Journal.erase(d);
            Arrays.sort(ms);
            System.out.printf(Locale.ROOT, "open (replay) %,6d snapshot + %,6d log records: median %7.2f ms, min %7.2f, max %7.2f%n",
                    count, count, ms[ms.length / 2], ms[0], ms[ms.length - 1]);
        }
        if (csv != null) {
            Files.createDirectories(csv.toAbsolutePath().getParent());
            Files.write(csv, lines);
            System.out.println("CSV: " + csv);
        }
    }

    record Result(int n, long totalNs, long[] latNs, long writeCalls) {
        double totalMs() {
            return totalNs / 1e6;
        }

        double perSecond() {
            return n / (totalNs / 1e9);
        }

        double meanUs() {
            return totalNs / 1e3 / n;
        }

        double pUs(double p) {
            int i = (int) Math.ceil(p * latNs.length) - 1; // nearest rank
            return latNs[Math.max(0, Math.min(latNs.length - 1, i))] / 1e3;
        }
    }

    /** n appends (or as many as fit in --seconds), each timed; the records are made beforehand. */
    private static Result appends(Path d, boolean fsync, int n, List<String> lines, int round) throws IOException {
        Journal.erase(d);
        List<byte[]> recs = records(Math.min(n, 10_000), 4);
        long[] lat = new long[n];
        int done = 0;
        long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
        long start;
        long end;
        long syscw0;
        try (Journal j = Journal.open(d, fsync)) {
            syscw0 = syscw();
            start = System.nanoTime();
            long t = start;
            while (done < n) {
                j.append(recs.get(done % recs.size()));
                long t1 = System.nanoTime();
                lat[done++] = t1 - t;
                t = t1;
                if (t1 > deadline) {
                    break;
                }
            }
            end = t;
        }
        long writes = syscw() - syscw0;
        long[] l = Arrays.copyOf(lat, done);
        Arrays.sort(l);
        Result res = new Result(done, end - start, l, writes);
        if (lines != null) {
            lines.add(String.format(Locale.ROOT, "append,%s,%d,%d,%.3f,%.0f,%.3f,%.3f,%.3f,%.3f,%d", fsync, done, round,
                    res.totalMs(), res.perSecond(), res.meanUs(), res.pUs(0.5), res.pUs(0.99), res.pUs(1.0), res.writeCalls));
        }
        return res;
    }

    /** write-like system calls of this process so far (Linux /proc/self/io), or -1. */
    private static long syscw() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("syscw:")) {
                    return Long.parseLong(line.substring(6).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Records of --size bytes: a counter, then random bytes (so nothing compresses or dedups). */
    private static List<byte[]> records(int count, long seed) {
        Random random = new Random(seed);
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] b = new byte[size];
            random.nextBytes(b);
            if (size >= 4) {
                ByteBuffer.wrap(b).putInt(i);
            }
            out.add(b);
        }
        return out;
    }
}
