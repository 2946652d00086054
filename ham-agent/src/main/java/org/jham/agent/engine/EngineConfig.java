package org.jham.agent.engine;

import java.time.Duration;

/**
 * Engine settings, validated when built.
 *
 * @param restartMax    at most this many restarts of one entity within {@code restartWindow};
 *                      0 disables the limit (a crash loop then restarts forever)
 * @param restartWindow the intensity window
 * @param stopGrace     how long a graceful stop lets running action lists finish
 */
public record EngineConfig(int restartMax, Duration restartWindow, Duration stopGrace) {
    public EngineConfig {
        if (restartMax < 0) {
            throw new IllegalArgumentException("restartMax must be >= 0, was " + restartMax);
        }
        if (restartWindow.isNegative() || restartMax > 0 && restartWindow.isZero()) {
            throw new IllegalArgumentException("restartWindow must be > 0, was " + restartWindow);
        }
    }

    public static EngineConfig defaults() {
        return new EngineConfig(20, Duration.ofSeconds(10), Duration.ofSeconds(10));
    }
}
