package org.jham.agent.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jham.Errno;
import org.jham.HamException;

/**
 * Starts processes for the HAM: a direct exec of an argv (no shell), stdin from /dev/null, stdout
 * and stderr appended to a per-entity file under the output directory (so children never write
 * into the HAM's own streams). Uses the native spawner when it was built (fast, exact exit
 * status), else the JDK; falls back to the JDK if the native spawner dies. Thread-safe.
 */
public final class ProcessLauncher implements AutoCloseable {
    /** Set before the first JDK launch: vfork+exec skips the jspawnhelper exec of the JDK default. */
    public static final String LAUNCH_MECHANISM_PROPERTY = "jdk.lang.Process.launchMechanism";

    private final Path outputDir;
    private final NativeSpawner nativeSpawner;
    private final JdkSpawner jdk = new JdkSpawner();
    private final SignalSender signals;

    /**
     * @param fallbackWatcher polls the native spawner's children should the spawner die
     */
    public ProcessLauncher(Path outputDir, ProcessWatcher fallbackWatcher) {
        this.outputDir = outputDir;
        try {
            // Once, here: not on the restart path, which also runs under the engine lock.
            Files.createDirectories(outputDir);
        } catch (IOException e) {
            throw new HamException(Errno.EIO, "cannot create output directory " + outputDir + ": " + e.getMessage(), e);
        }
        Optional<Path> helper = NativeSpawner.locate();
        this.nativeSpawner = helper.map(h -> NativeSpawner.start(h, fallbackWatcher)).orElse(null);
        this.signals = new SignalSender(nativeSpawner);
    }

    /**
     * Prefers VFORK on Linux: the JDK default (POSIX_SPAWN) execs a helper which then execs the
     * target, one more exec on the restart path. Must run before any Process is started.
     */
    public static void preferFastLaunch() {
        if (System.getProperty(LAUNCH_MECHANISM_PROPERTY) == null
                && System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            System.setProperty(LAUNCH_MECHANISM_PROPERTY, "VFORK");
        }
    }

    /** Which spawner new processes go through now. */
    public String describe() {
        return spawner().describe();
    }

    /** Sends signals with a value (ham_action_notify_signal) through this launcher's native spawner while it lives. */
    public SignalSender signals() {
        return signals;
    }

    private Spawner spawner() {
        return nativeSpawner != null && !nativeSpawner.isBroken() ? nativeSpawner : jdk;
    }

    /**
     * Starts {@code argv}, with output going to {@code <outputDir>/<outputName>.log}.
     *
     * @throws HamException ENOENT when the executable does not exist, EACCES when it cannot be
     *                      executed, EIO for any other failure to start
     */
    public Child start(List<String> argv, String outputName) {
        return start(argv, outputName, false);
    }

    /**
     * Starts an entity's instance: as {@link #start}, but held until {@link Child#saved()} (see
     * {@link Spawner#spawn}).
     */
    public Child startEntity(List<String> argv, String outputName) {
        return start(argv, outputName, true);
    }

    private Child start(List<String> argv, String outputName, boolean held) {
        String exe = argv.get(0);
        File f = new File(exe);
        if (!f.exists()) {
            throw new HamException(Errno.ENOENT, "cannot start '" + exe + "': no such file");
        }
        if (f.isDirectory() || !f.canExecute()) {
            throw new HamException(Errno.EACCES, "cannot start '" + exe + "': not executable");
        }
        return spawner().spawn(argv, outputFile(outputName), held);
    }

    /**
     * Arms {@code child} to be restarted with {@code argv} by its spawner the moment it ends.
     *
     * @return false when its spawner cannot (then the HAM restarts it itself)
     */
    public boolean armRestart(Child child, long token, boolean abnormalOnly, List<String> argv, String outputName) {
        return child.armRestart(token, abnormalOnly, argv, outputFile(outputName));
    }

    private File outputFile(String outputName) {
        return outputDir.resolve(sanitize(outputName) + ".log").toFile();
    }

    /** Entity names may hold any character but '/': keep file names tame. */
    static String sanitize(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            b.append(Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' ? c : '_');
        }
        String s = b.toString();
        return s.startsWith(".") ? "_" + s : s;
    }

    @Override
    public void close() {
        if (nativeSpawner != null) {
            nativeSpawner.close();
        }
        jdk.close();
    }
}
