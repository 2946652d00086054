package org.jham.samples.plugin;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jham.HamException;
import org.jham.spi.ConditionDetector;
import org.jham.spi.PluginContext;

/**
 * The condition detector {@code DISK_SPACE} (the guide: "add the capability of detecting other
 * conditions ... low disk space"): watches the file system holding a path and, when its use
 * reaches a threshold, raises a condition on an entity ({@code ham_entity_condition_raise}) with
 * type {@value #RAISE_TYPE}, class {@value #RAISE_CLASS} and severity {@value #SEVERITY_FULL}, once
 * per episode: it raises again only after use fell below the threshold and rose again.
 *
 * <p>Settings (HAM system properties {@code jham.plugin.DISK_SPACE.<key>}): {@code entity} (the
 * entity to raise on; without it the detector stays idle), {@code path} (default {@code /}),
 * {@code percent} (used space that counts as full, default 90), {@code period-ms} (default 5000).
 * Thread-safe: one daemon thread checks, started and stopped by the HAM's lifecycle calls.
 */
@Priority(200)
public final class DiskSpaceDetector implements ConditionDetector {
    public static final String NAME = "DISK_SPACE";
    /** The raise type of "a file system is nearly full". */
    public static final int RAISE_TYPE = 2001;
    /** The raise class: storage capacity. */
    public static final int RAISE_CLASS = 1;
    public static final int SEVERITY_FULL = 3;

    private volatile PluginContext context;
    private volatile ScheduledExecutorService checker;
    private boolean full;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void init(PluginContext context) {
        this.context = context;
    }

    @PostConstruct
    void start() {
        String entity = context.setting("entity", "");
        if (entity.isBlank()) {
            context.log(1, NAME + " idle: set jham.plugin." + NAME + ".entity to the entity to raise on");
            return;
        }
        Path path = Path.of(context.setting("path", "/"));
        int percent = Integer.parseInt(context.setting("percent", "90"));
        long period = Long.parseLong(context.setting("period-ms", "5000"));
        if (percent < 0 || percent > 100 || period <= 0) {
            throw new IllegalArgumentException("percent must be 0..100 and period-ms > 0");
        }
        checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "plugin-disk-space");
            t.setDaemon(true);
            return t;
        });
        checker.scheduleWithFixedDelay(() -> check(entity, path, percent), 0, period, TimeUnit.MILLISECONDS);
        context.log(1, NAME + " watching " + path + " for " + percent + "% used, raising on '" + entity + "'");
    }

    @PreDestroy
    void stop() {
        ScheduledExecutorService c = checker;
        if (c != null) {
            c.shutdownNow();
        }
        context.log(1, NAME + " stopped");
    }

    private void check(String entity, Path path, int percent) {
        try {
            FileStore fs = Files.getFileStore(path);
            long total = fs.getTotalSpace();
            long used = total - fs.getUsableSpace();
            boolean nowFull = total > 0 && used * 100 >= (long) percent * total;
            if (nowFull && !full) {
                context.raise(entity, RAISE_TYPE, RAISE_CLASS, SEVERITY_FULL);
                context.log(2, NAME + ": " + path + " is " + (used * 100 / total) + "% used: raised on '" + entity + "'");
            }
            full = nowFull;
        } catch (HamException e) {
            // The entity is not there yet (or the HAM stops): look again next period.
            context.log(3, NAME + ": cannot raise on '" + entity + "': " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            context.log(1, NAME + ": cannot read " + path + ": " + e);
        }
    }
}
