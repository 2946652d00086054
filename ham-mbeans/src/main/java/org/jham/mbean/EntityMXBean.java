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
