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
}
