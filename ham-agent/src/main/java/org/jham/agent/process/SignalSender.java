package org.jham.agent.process;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jham.Errno;
import org.jham.HamException;

/**
 * Sends a signal carrying an int value to a pid, as {@code sigqueue(3)}: the guide's
 * {@code ham_action_notify_signal}. Why two ways: the JDK can only terminate a process, never
 * queue a signal with a value, so the native spawner (which already runs as the HAM's child)
 * does the {@code sigqueue}; without it (not built, or dead) procps-ng {@code /bin/kill --queue}
 * does, one process start per signal. Thread-safe: it holds no mutable state.
 */
public final class SignalSender {
    /** procps-ng kill: queues with sigqueue when given a value. */
    static final String KILL = "/bin/kill";
    private static final long KILL_TIMEOUT_MS = 10_000;

    private final NativeSpawner nativeSpawner;

    /** @param nativeSpawner the launcher's helper, or null to always use {@code /bin/kill} */
    SignalSender(NativeSpawner nativeSpawner) {
        this.nativeSpawner = nativeSpawner;
    }

    /**
     * Queues {@code signum} to {@code pid} with {@code value} as its {@code si_value.sival_int}.
     * Blocks until the signal is sent or refused (at most about ten seconds).
     *
     * @param signum 1..64 (see {@link SignalNames#parse} for names)
     * @throws HamException EINVAL when {@code pid < 1} or {@code signum} is not in 1..64 (then
     *                      nothing is sent), ESRCH when no process has that pid, EACCES when it
     *                      may not be signalled, EIO for any other failure (then it may have been
     *                      sent or not; it is not retried, as a signal is not idempotent)
     */
    public void send(long pid, int signum, int value) {
        // Checked first, whichever way is used: pid 0 or -1 would signal a group or everyone.
        if (pid < 1) {
            throw new HamException(Errno.EINVAL, "pid " + pid + " is not a process");
        }
        if (signum < 1 || signum > SignalNames.SIGRTMAX) {
            throw new HamException(Errno.EINVAL, "signal " + signum + " is not valid");
        }
        if (pid > Integer.MAX_VALUE) {
            throw new HamException(Errno.ESRCH, "no process with pid " + pid); // beyond pid_t
        }
        NativeSpawner n = nativeSpawner;
        // The reader thread delivers exits and cannot wait for the helper's reply: kill serves it.
        if (n != null && !n.isBroken() && !n.onReaderThread() && n.trySignal(pid, signum, value)) {
            return;
        }
        viaKill(pid, signum, value);
    }

    /** Which way signals go now, for the activity log and tests. */
    public String describe() {
        NativeSpawner n = nativeSpawner;
        return n != null && !n.isBroken() ? "native ham-spawner (sigqueue)" : KILL + " --queue";
    }

    private static void viaKill(long pid, int signum, int value) {
        // --queue=<v>, not -q <v>: procps-ng takes "-q -7" for the signal option -7.
        List<String> cmd = List.of(KILL, "--queue=" + value, "-s", Integer.toString(signum), Long.toString(pid));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("LC_ALL", "C"); // its messages are matched below
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new HamException(Errno.EIO, "cannot run " + KILL + ": " + e.getMessage(), e);
        }
        String out;
        int status;
        try (InputStream in = p.getInputStream()) {
            // Waited for first: its one line of output fits the pipe, and a hung kill is cut off.
            if (!p.waitFor(KILL_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new HamException(Errno.EIO, KILL + " did not finish signalling pid " + pid);
            }
            status = p.exitValue();
            out = new String(in.readNBytes(4096), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            p.destroyForcibly();
            throw new HamException(Errno.EIO, "cannot read " + KILL + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new HamException(Errno.EIO, "interrupted while signalling pid " + pid);
        }
        if (status == 0) {
            return;
        }
        if (out.contains("No such process")) {
            throw new HamException(Errno.ESRCH, "no process with pid " + pid);
        }
        if (out.contains("Operation not permitted")) {
            throw new HamException(Errno.EACCES, "not allowed to signal pid " + pid);
        }
        throw new HamException(Errno.EIO, KILL + " failed to signal pid " + pid + " (status " + status + "): " + out);
    }
}
