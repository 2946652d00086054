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

    /** The action-fail list, one line per item: {@code name : TYPE detail}. */
    String[] getFailActions();

    String getInfo();

    /** ham_action_remove. */
    void remove(String flags);

    /**
     * ham_action_control: HENABLE, HDISABLE (flags: HRECURSE or none), HADDFLAGS, HREMOVEFLAGS,
     * HSETFLAGS (action flags, never HACTIONDONOW) or HGETFLAGS.
     *
     * @return the flags for HGETFLAGS, else 0
     */
    int control(String command, String flags);

    /** ham_action_fail_execute: no flags are defined for action-fail items. */
    void failExecute(String fname, String line, String flags);

    /** ham_action_fail_waitfor (EINVAL in an HCONDNOWAIT condition). */
    void failWaitfor(String fname, String path, int delay, String flags);

    /** ham_action_fail_notify_pulse_node. */
    void failNotifyPulse(String fname, String node, long pid, int chid, int code, int value, String flags);

    /** ham_action_fail_notify_signal_node. */
    void failNotifySignal(String fname, String node, long pid, String signal, int code, int value, String flags);

    /** ham_action_fail_log. */
    void failLog(String fname, String msg, int attachPrefix, int verbosity, String flags);

    /** A plugin action in the action-fail list. */
    void failCustom(String fname, String type, String args, String flags);

    /** ham_action_fail_remove. */
    void failRemove(String fname, String flags);
}
