package org.jham.spi;

/**
 * A condition detector: watches something the HAM does not (disk space, a queue depth, ...) and
 * reports what it sees through {@link PluginContext#raise} or {@link PluginContext#state}, so the
 * HAM's CONDRAISE / CONDSTATE subscribers act on it. It starts its own work (a daemon thread or
 * scheduled task) in a {@code @PostConstruct} method and stops it in a {@code @PreDestroy} one.
 */
public interface ConditionDetector extends HamPlugin {
}
