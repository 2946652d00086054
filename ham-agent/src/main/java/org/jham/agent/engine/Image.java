package org.jham.agent.engine;

import java.time.Instant;
import java.util.List;
import org.jham.ConditionType;

/**
 * The state of the tree as plain values: what the journal keeps of each entity and of the HAM,
 * and what {@link Engine#restore} rebuilds the tree from. An entity's image holds its conditions,
 * actions and action-fail lists with their flags, enabled states and counters, and the runtime
 * facts needed to continue: its pid and that process's start time (to adopt it, or to tell it
 * died meanwhile), restarts, published state and heartbeat episode. Not kept: the time of the
 * last heartbeat (a write per heartbeat would cost more than it tells) and channels (they belong
 * to their client's connection).
 */
public final class Image {
    private Image() {
    }

    /** HAM-wide state: activity-log verbosity and the failure counters of the HAM / Guardian pair. */
    public record Ham(int verbosity, int hamFailures, int guardianFailures) {
    }

    public record Entity(String name, EntityType type, int flags, boolean enabled, boolean alive, long pid,
                         long startTime, String startLine, Instant created, Instant lastDeath, Instant restarted,
                         int numRestarts, String lastExit, List<Instant> recentRestarts, int state, long hpNanos,
                         int hpdl, int hpdh, String heartbeatState, int misses, List<Condition> conditions) {
    }

    public record Condition(String name, ConditionType type, int flags, boolean enabled, long triggers,
                            int fromState, int toState, int rtype, int rclass, int rseverity, List<Action> actions) {
    }

    public record Action(String name, Spec spec, int flags, boolean enabled, long runs, long failures,
                         List<Fail> fails) {
    }

    public record Fail(String name, Spec spec, long runs, long failures) {
    }

    /**
     * An action as the arguments it was made from: {@code kind} is the guide's action name
     * (restart, execute, waitfor, notify_pulse, notify_signal, heartbeat_healthy, log) or
     * {@code custom}; {@code args} are its fields as text, in the order of {@link ActionSpec}'s
     * record components.
     */
    public record Spec(String kind, List<String> args) {
    }
}
