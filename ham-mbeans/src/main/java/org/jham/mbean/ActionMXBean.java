package org.jham.mbean;

/**
 * One action, {@code jham:type=Action,entity=<ename>,condition=<cname>,action=<aname>}. Attributes
 * carry the fields of its {@code .info}.
 */
public interface ActionMXBean {
    String getName();

    String getEntityName();

    String getConditionName();

    String getPath();

    long getEntityPid();

    /** ON or OFF. */
    String getActionReArm();

    /** RESTART, EXECUTE, LOG, ... */
    String getActionType();

    /** The command line of a restart or execute, the message of a log. */
    String getDetail();

    String getFlags();

    boolean isEnabled();

    long getRunCount();

    long getFailCount();

    String getInfo();

    /** ham_action_remove. */
    void remove(String flags);
}
