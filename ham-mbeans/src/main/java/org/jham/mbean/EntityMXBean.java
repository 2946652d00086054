package org.jham.mbean;

/**
 * One entity, {@code jham:type=Entity,entity=<ename>}, the global entity ({@code entity=/})
 * included. Attributes carry the fields of the entity's {@code .info}.
 */
public interface EntityMXBean {
    String getName();

    String getPath();

    long getEntityPid();

    int getNumConditions();

    /** ATTACHED, STARTED, SELFATTACHED, PLACEHOLDER or GLOBAL. */
    String getEntityType();

    String getCreated();

    String getLastDeath();

    String getRestarted();

    int getNumRestarts();

    /**
     * How the last instance ended, e.g. {@code exit 0} or {@code signal 9 (SIGKILL)}; kept after a
     * restart (it says why the entity was restarted); empty until the first death.
     */
    String getLastExit();

    /** The command line the HAM started it with; empty for entities attached by pid. */
    String getStartLine();

    String getFlags();

    boolean isEnabled();

    String[] getConditionNames();

    /** The state the entity last published (ham_entity_condition_state); 0 until then. */
    int getState();

    /** A self-attached entity's heartbeat period in nanoseconds; 0 when it sends none. */
    long getHeartbeatPeriod();

    /** Missed heartbeats that fire CONDHBEATMISSEDLOW (0 = never). */
    int getHbLowMark();

    /** Missed heartbeats that fire CONDHBEATMISSEDHIGH (0 = never). */
    int getHbHighMark();

    /** When the last heartbeat arrived (the guide's stamp form); empty before the first. */
    String getLastHeartbeat();

    /**
     * OK, MISSEDLOW or MISSEDHIGH (until heartbeat_healthy resets it), STOPPED once it died;
     * empty for entities that send no heartbeats.
     */
    String getHeartbeatState();

    /** Consecutive missed heartbeat periods now. */
    int getMissedHeartbeats();

    /** Heartbeats received since it attached. */
    long getHeartbeatCount();

    /** The entity's {@code .info} text. */
    String getInfo();

    /**
     * ham_condition: adds a condition of {@code type} (name such as {@code CONDDEATH} or number).
     *
     * @return the condition name
     */
    String condition(String type, String cname, String flags);

    /** ham_detach: stops monitoring; CONDDETACH fires. */
    void detach(String flags);

    /** ham_detach_self: the self-attached entity detaches itself; CONDDETACH fires. No flags are defined. */
    void detachSelf(String flags);

    /**
     * ham_heartbeat for this self-attached entity; each heartbeat is also emitted as a
     * {@code jham.heartbeat} notification by this MBean. ENOENT when it sends no heartbeats.
     */
    void heartbeat();

    /**
     * ham_condition_state: a CONDSTATE condition that fires when the entity goes from a state
     * matching {@code fromState} to one matching {@code toState} (0 = CONDSTATEANY; with
     * HCONDSTATEFROMSET / HCONDSTATETOSET a bitmap whose bit n is state n; HCONDSTATEFROMINV /
     * HCONDSTATETOINV negate).
     */
    String conditionState(String cname, int fromState, int toState, String flags);

    /**
     * ham_condition_raise: a CONDRAISE condition that fires when the entity raises a condition
     * matching type, class and severity (0 = any, CONDRAISETYPEANY etc.).
     */
    String conditionRaise(String cname, int rtype, int rclass, int rseverity, String flags);

    /** ham_entity_condition_state: the entity reports its next state. No flags are defined. */
    void reportState(int toState, String flags);

    /** ham_entity_condition_raise: the entity raises a condition of (type, class, severity). No flags are defined. */
    void raise(int rtype, int rclass, int rseverity, String flags);

    /**
     * ham_entity_control: {@code command} HENABLE, HDISABLE (flags: HRECURSE or none), HADDFLAGS,
     * HREMOVEFLAGS, HSETFLAGS (flags: entity flags) or HGETFLAGS.
     *
     * @return the flags for HGETFLAGS, else 0
     */
    int control(String command, String flags);
}
