package org.jham.spi;

import java.time.Instant;

/**
 * What fired the action a plugin runs: the entity the event concerns, the condition and action
 * path, the event type (a {@code COND*} name such as {@code CONDDEATH}), the entity's pid, when
 * it fired and a human-readable detail (e.g. {@code signal 9 (SIGKILL)}). Immutable.
 */
public record ActionEvent(String entity, String conditionPath, String actionPath, String event, long pid,
                          Instant time, String detail) {
}
