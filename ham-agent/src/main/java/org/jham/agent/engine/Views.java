package org.jham.agent.engine;

import java.time.Instant;
import java.util.List;
import org.jham.ConditionType;

/** Immutable snapshots of the tree, what JMX and hamctrl see; the engine owns the live state. */
public final class Views {
    private Views() {
    }

    public record HamView(long hamPid, long guardianPid, int hamFailures, int guardianFailures, int numEntities,
                          int numConditions, int numActions) {
    }

    public record EntityView(String name, String path, long pid, EntityType type, int flags, boolean enabled,
                             boolean alive, Instant created, Instant lastDeath, Instant restarted, int numRestarts,
                             String lastExit, String startLine, List<String> conditionNames, int state,
                             Heartbeat heartbeat) {
    }

    /**
     * The heartbeat of a self-attached entity: its period (0 = none), marks, last beat, state and
     * consecutive misses; {@link #NONE} for other entities.
     */
    public record Heartbeat(long periodNanos, int lowMark, int highMark, Instant lastBeat, String state, int misses,
                            long beats) {
        public static final Heartbeat NONE = new Heartbeat(0, 0, 0, null, "", 0, 0);
    }

    public record ConditionView(String entityName, String name, String path, long entityPid, ConditionType type,
                                int flags, boolean enabled, long triggerCount, List<String> actionNames,
                                String filter) {
    }

    public record ActionView(String entityName, String conditionName, String name, String path, long entityPid,
                             ActionSpec spec, int flags, boolean enabled, long runCount, long failCount,
                             List<FailView> failActions) {
    }

    /** One item of an action's action-fail list. */
    public record FailView(String name, ActionSpec spec, long runCount, long failCount) {
    }

    /** A condition that fired: what the jham.condition notification carries. */
    public record Fired(String entityName, String conditionName, String path, ConditionType conditionType,
                        ConditionType event, long entityPid, Instant time, String detail) {
    }
}
