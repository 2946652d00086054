package org.jham.agent.monitor;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jham.Errno;
import org.jham.HamException;
import org.jham.HamNode;

/**
 * {@code hamctrl attach-jvm PID ENAME [OPTION...]}: loads this agent into a running JVM through the
 * Attach API ({@code VirtualMachine.attach(pid).loadAgent(ham-agent.jar, "entity=ENAME,...")}),
 * which runs its agentmain in monitored mode, then waits until the agent attached the JVM to the
 * HAM (or failed), reading its {@value MonitoredJvm#STATUS_PROPERTY} system property. The options
 * are checked here first, so a bad one is told to the caller and nothing is loaded. Only a JVM is
 * attached to: HotSpot's attach sends SIGQUIT to its target, which would kill any other process.
 * Stateless and thread-safe.
 */
public final class AgentLoader {
    private AgentLoader() {
    }

    /** How long {@link #load} waits for the agent to attach the JVM. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(15);

    /**
     * The agent argument for {@code ename}: {@code entity=ENAME}, then {@code node=NODE} unless an
     * option names one (the HAM the caller talks to, so the JVM's own default does not matter),
     * then the options, each {@code key=value} or several joined by commas.
     *
     * @param node the caller's node, null for its local HAM
     */
    public static String agentArgs(String ename, String node, List<String> options) {
        StringBuilder b = new StringBuilder("entity=").append(ename);
        boolean hasNode = options.stream().flatMap(o -> java.util.Arrays.stream(o.split(",")))
                .anyMatch(o -> o.trim().toLowerCase(java.util.Locale.ROOT).startsWith("node="));
        if (!hasNode) {
            b.append(",node=").append(node != null ? node : HamNode.of(null).key());
        }
        for (String o : options) {
            b.append(',').append(o);
        }
        return b.toString();
    }

    /**
     * Loads the agent into JVM {@code pid} with {@code agentArgs} and waits up to {@code wait} for
     * it to attach the JVM.
     *
     * @return the agent's status once attached ({@code attached: 'ENAME' pid PID on NODE})
     * @throws HamException EINVAL (bad options, not a JVM), ESRCH (no such process), EACCES (not
     *                      ours to attach to), EEXIST (already monitored), EIO (the Attach API
     *                      failed), EBADF (the agent is loaded but cannot reach the HAM: it keeps
     *                      trying), or the errno the HAM refused the attach with
     */
    public static String load(long pid, String agentArgs, Duration wait) {
        MonitorOptions.parse(agentArgs);
        checkJvm(pid);
        Path jar;
        try {
            jar = MonitoredJvm.agentJar();
        } catch (IOException e) {
            throw new HamException(Errno.ENOENT, "cannot find ham-agent.jar: " + e.getMessage());
        }
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException | IOException e) {
            throw new HamException(Errno.EIO, "cannot attach to JVM " + pid + ": " + e.getMessage(), e);
        }
        try {
            String before = status(vm);
            if (before != null && !before.startsWith("failed")) {
                throw new HamException(Errno.EEXIST, "JVM " + pid + " is already monitored by the jHAM agent (" + before + ")");
            }
            try {
                vm.loadAgent(jar.toString(), agentArgs);
            } catch (AgentLoadException | AgentInitializationException | IOException e) {
                throw new HamException(Errno.EIO, "loading the agent into JVM " + pid + " failed: " + e.getMessage(), e);
            }
            return awaitAttached(vm, pid, wait);
        } finally {
            try {
                vm.detach();
            } catch (IOException e) {
                // The agent is loaded; a failed detach of the attach connection changes nothing.
            }
        }
    }

    private static String awaitAttached(VirtualMachine vm, long pid, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        String s = null;
        while (System.nanoTime() < deadline) {
            s = status(vm);
            if (s != null && s.startsWith("attached")) {
                return s;
            }
            if (s != null && s.startsWith("failed: ")) {
                String m = s.substring("failed: ".length());
                Errno errno = Errno.fromMessage(m);
                throw new HamException(errno != null ? errno : Errno.EIO, "JVM " + pid + ": "
                        + (errno != null ? m.substring(errno.name().length() + 1).trim() : m));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HamException(Errno.EIO, "interrupted waiting for JVM " + pid + " to attach");
            }
        }
        throw new HamException(Errno.EBADF, "the agent is loaded into JVM " + pid + " but has not attached within "
                + wait.toSeconds() + " s (" + s + "); it keeps trying in the background");
    }

    private static String status(VirtualMachine vm) {
        try {
            return vm.getSystemProperties().getProperty(MonitoredJvm.STATUS_PROPERTY);
        } catch (IOException e) {
            throw new HamException(Errno.EIO, "reading the agent's status failed: " + e.getMessage(), e);
        }
    }

    /** Refuses anything but a live JVM: the attach mechanism's SIGQUIT would kill other processes. */
    static void checkJvm(long pid) {
        if (pid <= 0 || !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            throw new HamException(Errno.ESRCH, "no process with pid " + pid);
        }
        if (pid == ProcessHandle.current().pid()) {
            throw new HamException(Errno.EINVAL, "pid " + pid + " is hamctrl itself");
        }
        Path maps = Path.of("/proc", Long.toString(pid), "maps");
        String text;
        try {
            text = Files.readString(maps, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new HamException(Errno.ESRCH, "no process with pid " + pid);
        } catch (AccessDeniedException e) {
            throw new HamException(Errno.EACCES, "cannot inspect process " + pid + " (" + maps
                    + " is not readable: another user's process?)");
        } catch (IOException e) {
            throw new HamException(Errno.EIO, "cannot read " + maps + ": " + e.getMessage(), e);
        }
        if (!text.contains("/libjvm.so")) {
            throw new HamException(Errno.EINVAL, "process " + pid + " is not a JVM (no libjvm.so in its memory map)");
        }
    }
}
