package org.jham.agent.process;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jham.Errno;
import org.jham.HamException;

/**
 * Spawns through {@link ProcessBuilder} (VFORK on Linux when the HAM chose it first) and hears of
 * each end from a small waiter thread per child blocked in {@link Process#waitFor()}, which the
 * JDK's reaper wakes as soon as waitpid returns (the async {@code onExit()} costs one more thread
 * hand-off). Exit status: the JDK's 128 + signal. The fallback when the native spawner is absent.
 */
final class JdkSpawner implements Spawner {

    @Override
    public Child spawn(List<String> argv, File output, boolean held) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(output));
        pb.redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new HamException(Errno.EIO, "cannot start '" + argv.get(0) + "': " + e.getMessage(), e);
        }
        return new Child() {
            public long pid() {
                return p.pid();
            }

            public ProcessWatcher.Watch onExit(Consumer<Child.Exit> onExit) {
                return watch(p, st -> onExit.accept(new Child.Exit(st, null, 0)));
            }
        };
    }

    private static ProcessWatcher.Watch watch(Process process, Consumer<ExitStatus> onExit) {
        AtomicBoolean cancelled = new AtomicBoolean();
        Thread waiter = new Thread(null, () -> {
            int value;
            while (true) {
                try {
                    value = process.waitFor();
                    break;
                } catch (InterruptedException e) {
                    if (cancelled.get()) {
                        return;
                    }
                }
            }
            if (!cancelled.get()) {
                onExit.accept(ExitStatus.fromJdkExitValue(value));
            }
        }, "ham-wait-" + process.pid(), 256 * 1024);
        waiter.setDaemon(true);
        waiter.start();
        return () -> {
            cancelled.set(true);
            waiter.interrupt();
        };
    }

    @Override
    public String describe() {
        return "JDK ProcessBuilder (" + System.getProperty(ProcessLauncher.LAUNCH_MECHANISM_PROPERTY, "default") + ")";
    }

    @Override
    public void close() {
        // Nothing to release: the JDK's reaper threads end with their children.
    }
}
