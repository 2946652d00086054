package org.jham.mbean;

/**
 * One condition, {@code jham:type=Condition,entity=<ename>,condition=<cname>}. Attributes carry
 * the fields of its {@code .info}; operations add actions to it and remove it.
 */
public interface ConditionMXBean {
    String getName();

    String getEntityName();

    String getPath();

    long getEntityPid();

    int getNumActions();

    /** ON or OFF. */
    String getConditionReArm();

    String getConditionType();

    String getFlags();

    boolean isEnabled();

    /** How many times the condition has fired. */
    long getTriggerCount();

    String[] getActionNames();

    String getInfo();

    /** ham_action_restart: only under death conditions, one per entity across them. */
    String actionRestart(String aname, String line, String flags);

    /** ham_action_execute: full path, guide quoting, no shell. */
    String actionExecute(String aname, String line, String flags);

    /**
     * ham_action_log: {@code msg} goes to the activity log when the HAM's verbosity is at least
     * {@code verbosity}; a non-zero {@code attachPrefix} prefixes the entity/condition/action path.
     */
    String actionLog(String aname, String msg, int attachPrefix, int verbosity, String flags);

    /** ham_condition_remove. */
    void remove(String flags);
}
