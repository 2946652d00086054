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

    /** What a CONDSTATE or CONDRAISE condition subscribes to, e.g. {@code from ANY to 3}; empty for others. */
    String getFilter();

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

    /**
     * ham_action_waitfor: waits {@code delay} ms (> 0); with a {@code path} (an absolute file path,
     * a JMX ObjectName registered in the HAM, or {@code tcp:host:port}) it ends when the path
     * appears and fails if it has not within the delay rounded up to 100 ms. EINVAL in an
     * HCONDNOWAIT condition. HACTIONDONOW is ignored.
     */
    String actionWaitfor(String aname, String path, int delay, String flags);

    /**
     * ham_action_notify_pulse_node: delivers pulse {@code (code, value)} to channel {@code chid}
     * of process {@code pid} on {@code node} (empty = this HAM).
     */
    String actionNotifyPulse(String aname, String node, long pid, int chid, int code, int value, String flags);

    /**
     * ham_action_notify_signal_node: sends {@code signal} (number or name, e.g.
     * {@code SIGRTMIN+1}) with {@code value} to {@code pid} on {@code node} (empty = this HAM),
     * plus a {@code jham.signal} notification carrying code and value.
     */
    String actionNotifySignal(String aname, String node, long pid, String signal, int code, int value, String flags);

    /** ham_action_heartbeat_healthy: resets the entity's missed-heartbeat state; never fails. */
    String actionHeartbeatHealthy(String aname, String flags);

    /** An action of a plugin type (see {@code org.jham.spi}), configured by {@code args}. */
    String actionCustom(String aname, String type, String args, String flags);

    /**
     * ham_condition_control: HENABLE, HDISABLE (flags: HRECURSE or none), HADDFLAGS, HREMOVEFLAGS,
     * HSETFLAGS (condition flags; HCONDNOWAIT refused while it holds waitfors) or HGETFLAGS.
     *
     * @return the flags for HGETFLAGS, else 0
     */
    int control(String command, String flags);

    /** ham_condition_remove. */
    void remove(String flags);
}
