package org.jham.agent.process;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jham.Errno;
import org.jham.HamException;

/**
 * Spawns through {@code ham-spawner} (src/main/c), a small C helper the HAM keeps as a child: it
 * posix_spawns at once and waitpid()s every child, reporting the raw wait status (so a death by
 * signal is told from an exit code). Exits are delivered on the reader thread itself, one thread
 * hand-off less on the way to a restart: callers must therefore never wait for a spawn while
 * holding a lock that an exit callback takes (the engine spawns outside its lock). If the helper
 * dies, pending spawns fail, the children it had are watched by polling, and
 * {@link #isBroken()} tells the launcher to fall back to the JDK. It also queues signals with a
 * value ({@code sigqueue}), which the JDK cannot. Thread-safe.
 */
final class NativeSpawner implements Spawner {
    private static final char SEP = '\u001f';
    private static final long REPLY_TIMEOUT_MS = 10_000;
    /** Exits of children nobody watches yet (or ever: execute actions); bounded. Delivered on "ham-exit". */
    private static final int EARLY_EXITS = 10_000;

    private final Process helper;
    private final Thread reader;
    private final OutputStream requests;
    private final ProcessWatcher fallbackWatcher;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<Long>> pending = new ConcurrentHashMap<>();
    private final Object exitsLock = new Object();
    private final Map<Long, Consumer<Child.Exit>> listeners = new LinkedHashMap<>();
    private final Map<Long, Integer> earlyExits = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Integer> eldest) {
            return size() > EARLY_EXITS;
        }
    };
    private final ExecutorService exits = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ham-exit");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean broken;
    private volatile boolean closing;

    private NativeSpawner(Process helper, ProcessWatcher fallbackWatcher) {
        this.helper = helper;
        this.requests = helper.getOutputStream();
        this.fallbackWatcher = fallbackWatcher;
        this.reader = new Thread(this::readReplies, "ham-spawner-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** The helper built next to our classes ({@code target/native/ham-spawner}), or the {@code jham.spawner} path. */
    static Optional<Path> locate() {
        String configured = System.getProperty("jham.spawner");
        if (configured != null) {
            return configured.equals("jdk") ? Optional.empty() : Optional.of(Path.of(configured));
        }
        try {
            Path code = Path.of(NativeSpawner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path candidate = code.getParent().resolve("native").resolve("ham-spawner");
            return Files.isExecutable(candidate) ? Optional.of(candidate) : Optional.empty();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static NativeSpawner start(Path executable, ProcessWatcher fallbackWatcher) {
        try {
            Process p = new ProcessBuilder(executable.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            return new NativeSpawner(p, fallbackWatcher);
        } catch (IOException e) {
            throw new HamException(Errno.EIO, "cannot start the native spawner " + executable + ": " + e.getMessage(), e);
        }
    }

    boolean isBroken() {
        return broken || !helper.isAlive();
    }

    /**
     * Whether the caller is the reader thread, which delivers exits: it must never wait for a
     * reply, which only it could read.
     */
    boolean onReaderThread() {
        return Thread.currentThread() == reader;
    }

    @Override
    public Child spawn(List<String> argv, File output, boolean held) {
        long id = ids.incrementAndGet();
        String line = request((held ? "H" : "S") + SEP + id + SEP + output.getPath(), argv);
        if (line == null) {
            throw new HamException(Errno.EINVAL, "an argument holds a newline or 0x1f: " + argv);
        }
        Long pid = call(id, line, "spawning " + argv.get(0));
        if (pid == null) {
            throw new HamException(Errno.EIO, "the native spawner is gone");
        }
        return new NativeChild(pid);
    }

    /**
     * Queues {@code signum} with {@code value} (its {@code si_value.sival_int}) to {@code pid}, as
     * {@code sigqueue(3)}; waits for the helper's answer. Any thread but the reader thread.
     * {@code signum} is checked by the kernel only (0 is its existence probe).
     *
     * @throws HamException ESRCH when no process has that pid, EACCES when it may not be
     *                      signalled, EINVAL for a bad signal number or a pid below 1, EIO when the
     *                      helper is gone or fails to answer
     */
    void signal(long pid, int signum, int value) {
        if (!trySignal(pid, signum, value)) {
            throw new HamException(Errno.EIO, "the native spawner is gone");
        }
    }

    /**
     * {@link #signal}, but false instead of EIO when the request could not even be written: then
     * nothing was sent, and the caller may safely send it another way.
     */
    boolean trySignal(long pid, int signum, int value) {
        if (pid < 1) {
            throw new HamException(Errno.EINVAL, "pid " + pid + " is not a process (a group or all processes)");
        }
        if (pid > Integer.MAX_VALUE) {
            throw new HamException(Errno.ESRCH, "no process with pid " + pid);
        }
        long id = ids.incrementAndGet();
        Long errno = call(id, "K" + SEP + id + SEP + pid + SEP + signum + SEP + value + "\n",
                "signalling " + pid);
        if (errno == null) {
            return false;
        }
        switch (errno.intValue()) {
            case 0:
                return true;
            case 3: // ESRCH
                throw new HamException(Errno.ESRCH, "no process with pid " + pid);
            case 1: // EPERM
                throw new HamException(Errno.EACCES, "not allowed to signal pid " + pid);
            case 22: // EINVAL
                throw new HamException(Errno.EINVAL, "signal " + signum + " is not valid");
            default:
                throw new HamException(Errno.EIO, "cannot signal pid " + pid + ": sigqueue errno " + errno);
        }
    }

    /**
     * Sends request {@code id} and waits for its reply's value, as long as a spawn may take.
     *
     * @return null when the line could not be written (the helper is gone: nothing was asked)
     */
    private Long call(long id, String line, String what) {
        if (onReaderThread()) {
            // Only this thread reads replies: waiting here would wait out the timeout, then break us.
            throw new IllegalStateException("the spawner's reader thread cannot wait for a reply (" + what + ")");
        }
        CompletableFuture<Long> reply = new CompletableFuture<>();
        pending.put(id, reply);
        try {
            if (!send(line)) {
                return null;
            }
            return reply.get(REPLY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            broken = true;
            throw new HamException(Errno.EIO, "native spawner did not answer: " + e, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof HamException ? (HamException) c : new HamException(Errno.EIO, String.valueOf(c), c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HamException(Errno.EIO, "interrupted while " + what);
        } finally {
            pending.remove(id);
        }
    }

    /** A child of the helper: it can be armed for an immediate restart. */
    private final class NativeChild implements Child {
        private final long pid;

        NativeChild(long pid) {
            this.pid = pid;
        }

        public long pid() {
            return pid;
        }

        public ProcessWatcher.Watch onExit(Consumer<Child.Exit> onExit) {
            return watch(pid, onExit);
        }

        @Override
        public boolean armRestart(long token, boolean abnormalOnly, List<String> argv, File output) {
            String line = request("A" + SEP + pid + SEP + token + SEP + (abnormalOnly ? 'A' : 'D') + SEP + output.getPath(),
                    argv);
            return line != null && send(line);
        }

        @Override
        public void disarmRestart() {
            send("U" + SEP + pid + "\n");
        }

        @Override
        public void saved() {
            send("C" + SEP + pid + "\n");
        }
    }

    /** A request line: its head fields, then argv; null when an argument cannot travel (newline, 0x1f). */
    private static String request(String head, List<String> argv) {
        StringBuilder line = new StringBuilder(head);
        for (String a : argv) {
            if (a.indexOf('\n') >= 0 || a.indexOf(SEP) >= 0) {
                return null;
            }
            line.append(SEP).append(a);
        }
        return line.append('\n').toString();
    }

    /** Writes one request line; false when the helper is gone. */
    private boolean send(String line) {
        if (isBroken()) {
            return false;
        }
        try {
            synchronized (requests) {
                requests.write(line.getBytes(StandardCharsets.UTF_8));
                requests.flush();
            }
            return true;
        } catch (IOException e) {
            broken = true;
            return false;
        }
    }

    private ProcessWatcher.Watch watch(long pid, Consumer<Child.Exit> onExit) {
        Integer early;
        synchronized (exitsLock) {
            early = earlyExits.remove(pid);
            if (early == null) {
                listeners.put(pid, onExit);
            }
        }
        if (early != null) {
            int status = early;
            exits.execute(() -> onExit.accept(new Child.Exit(ExitStatus.fromWaitStatus(status), null, 0)));
        }
        return () -> {
            synchronized (exitsLock) {
                listeners.remove(pid, onExit);
            }
        };
    }

    private void readReplies() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(helper.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.split(String.valueOf(SEP));
                if (f[0].equals("R") && f.length == 5) {
                    exited(Long.parseLong(f[1]), Integer.parseInt(f[2]),
                            new NativeChild(Long.parseLong(f[4])), Long.parseLong(f[3]));
                    continue;
                }
                if (f.length != 3) {
                    continue;
                }
                switch (f[0]) {
                    case "P":
                        complete(Long.parseLong(f[1]), Long.parseLong(f[2]), null);
                        break;
                    case "E":
                        complete(Long.parseLong(f[1]), 0, errnoOf(Integer.parseInt(f[2])));
                        break;
                    case "K":
                        complete(Long.parseLong(f[1]), Long.parseLong(f[2]), null);
                        break;
                    case "X":
                        exited(Long.parseLong(f[1]), Integer.parseInt(f[2]), null, 0);
                        break;
                    default:
                        break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // The helper is gone or garbled: handled below like an end of stream.
        }
        helperLost();
    }

    /** Completes request {@code id} with its value (a pid, or a signal's errno) or its failure. */
    private void complete(long id, long value, HamException failure) {
        CompletableFuture<Long> f = pending.get(id);
        if (f != null) {
            if (failure == null) {
                f.complete(value);
            } else {
                f.completeExceptionally(failure);
            }
        }
    }

    private static HamException errnoOf(int errno) {
        switch (errno) {
            case 2:
                return new HamException(Errno.ENOENT, "cannot start: no such file (errno 2)");
            case 8:
            case 13:
                return new HamException(Errno.EACCES, "cannot start: not executable (errno " + errno + ")");
            default:
                return new HamException(Errno.EIO, "cannot start: posix_spawn errno " + errno);
        }
    }

    private void exited(long pid, int status, Child replacement, long token) {
        Consumer<Child.Exit> l;
        synchronized (exitsLock) {
            l = listeners.remove(pid);
            if (l == null && replacement == null) {
                earlyExits.put(pid, status);
            }
        }
        if (l != null) {
            try {
                l.accept(new Child.Exit(ExitStatus.fromWaitStatus(status), replacement, token));
            } catch (RuntimeException e) {
                // A failing callback is reported, and must not look like the helper's death.
                fallbackWatcher.report(e);
            }
        }
    }

    /** The helper died: nothing more will be reported by it, so its children are watched by polling. */
    private void helperLost() {
        broken = true;
        if (closing) {
            return;
        }
        for (CompletableFuture<Long> f : pending.values()) {
            f.completeExceptionally(new HamException(Errno.EIO, "the native spawner exited"));
        }
        Map<Long, Consumer<Child.Exit>> orphans;
        synchronized (exitsLock) {
            orphans = new LinkedHashMap<>(listeners);
            listeners.clear();
        }
        orphans.forEach((pid, l) -> {
            java.util.OptionalLong st = ProcStat.liveStartTime(pid);
            if (st.isPresent()) {
                fallbackWatcher.watchPid(pid, st.getAsLong(), s -> l.accept(new Child.Exit(s, null, 0)));
            } else {
                exits.execute(() -> l.accept(new Child.Exit(ExitStatus.unknown(), null, 0)));
            }
        });
    }

    @Override
    public String describe() {
        return "native ham-spawner (pid " + helper.pid() + ")";
    }

    /** Closing our end of its stdin ends the helper; its children live on. */
    @Override
    public void close() {
        closing = true;
        try {
            requests.close();
        } catch (IOException e) {
            helper.destroy();
        }
        exits.shutdown();
    }
}
