package org.jham;

import java.time.Instant;

/**
 * A pulse received on a {@link Channel}: the {@code code} and {@code value} the notify-pulse
 * action was configured with, the action that sent it ({@code source}, its path) and when.
 * Immutable.
 */
public record Pulse(int code, int value, String source, Instant time) {
}
