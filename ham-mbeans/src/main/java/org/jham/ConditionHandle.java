package org.jham;

import org.jham.mbean.ConditionMXBean;
import org.jham.mbean.ObjectNames;

/**
 * A handle to a condition of an entity ({@code ham_condition_t}), from
 * {@link EntityHandle#condition} or {@link Ham#conditionHandle}. It names the condition; if the
 * condition goes away, calls fail with ENOENT. {@link #free()} frees only the handle. Every call
 * needs a prior {@link Ham#connect} to the handle's node (EBADF otherwise). Thread-safe: immutable
 * but for the freed flag.
 */
public final class ConditionHandle {
    private final HandleCore core;

    ConditionHandle(HamNode node, String ename, String cname) {
        this.core = new HandleCore(node, ename, cname, null);
    }

    public HamNode node() {
        return core.node;
    }

    /** The entity name; null for the global entity. */
    public String entityName() {
        return core.ename;
    }

    /** The condition name. */
    public String name() {
        return core.cname;
    }

    /**
     * ham_action_restart: restarts the entity with {@code line} (full path, the guide's quoting);
     * only under death conditions, one per entity across them.
     */
    public ActionHandle actionRestart(String aname, String line, int flags) {
        checkAction(aname);
        condition().actionRestart(aname, line, Integer.toString(flags));
        return action(aname);
    }

    /** ham_action_execute: runs {@code line} (full path, the guide's quoting, no shell). */
    public ActionHandle actionExecute(String aname, String line, int flags) {
        checkAction(aname);
        condition().actionExecute(aname, line, Integer.toString(flags));
        return action(aname);
    }

    /**
     * ham_action_log: writes {@code msg} to the activity log when the HAM's verbosity is at least
     * {@code verbosity}; a non-zero {@code attachPrefix} prefixes the entity/condition/action path.
     */
    public ActionHandle actionLog(String aname, String msg, int attachPrefix, int verbosity, int flags) {
        checkAction(aname);
        condition().actionLog(aname, msg, attachPrefix, verbosity, Integer.toString(flags));
        return action(aname);
    }

    /**
     * ham_action_waitfor: waits {@code delay} ms (> 0); with a {@code path} (null for none: an
     * absolute file path, a JMX ObjectName registered in the HAM, or {@code tcp:host:port}) it
     * ends when the path appears and fails when it has not within the delay rounded up to 100 ms.
     *
     * @throws HamException EINVAL (delay <= 0, bad path, an HCONDNOWAIT condition), EEXIST, ...
     */
    public ActionHandle actionWaitfor(String aname, String path, int delay, int flags) {
        checkAction(aname);
        condition().actionWaitfor(aname, path, delay, Integer.toString(flags));
        return action(aname);
    }

    /**
     * ham_action_notify_pulse_node: delivers pulse {@code (code, value)} to channel {@code chid}
     * of process {@code pid} on {@code nodename} (null = the node of this condition's HAM). The
     * receiver opens the channel with {@link HamConnection#channel()}; a pulse to a channel whose
     * owner is gone fails.
     */
    public ActionHandle actionNotifyPulse(String aname, String nodename, long pid, int chid, int code, int value,
                                          int flags) {
        checkAction(aname);
        condition().actionNotifyPulse(aname, nodename == null ? "" : nodename, pid, chid, code, value,
                Integer.toString(flags));
        return action(aname);
    }

    /**
     * ham_action_notify_signal_node: sends signal {@code signum} with {@code value} (sigqueue) to
     * {@code pid} on {@code nodename} (null = this HAM's node), plus a {@code jham.signal}
     * notification carrying {@code code} and {@code value}. Fails when the pid does not exist.
     */
    public ActionHandle actionNotifySignal(String aname, String nodename, long pid, int signum, int code, int value,
                                           int flags) {
        checkAction(aname);
        condition().actionNotifySignal(aname, nodename == null ? "" : nodename, pid, Integer.toString(signum), code,
                value, Integer.toString(flags));
        return action(aname);
    }

    /** ham_action_heartbeat_healthy: resets the entity's missed-heartbeat state; never fails. */
    public ActionHandle actionHeartbeatHealthy(String aname, int flags) {
        checkAction(aname);
        condition().actionHeartbeatHealthy(aname, Integer.toString(flags));
        return action(aname);
    }

    /** An action of a plugin type (see {@code org.jham.spi}); EINVAL for an unknown type or bad args. */
    public ActionHandle actionCustom(String aname, String type, String args, int flags) {
        checkAction(aname);
        condition().actionCustom(aname, type, args, Integer.toString(flags));
        return action(aname);
    }

    /**
     * ham_condition_control: {@link HamConstants#HENABLE} / {@code HDISABLE} (flags
     * {@code HRECURSE} or 0), {@code HADDFLAGS} / {@code HREMOVEFLAGS} / {@code HSETFLAGS}
     * (condition flags; HCONDNOWAIT is refused while it holds waitfors), {@code HGETFLAGS}.
     *
     * @return the flags for HGETFLAGS, else 0
     */
    public int control(int command, int flags) {
        core.checkLive();
        return condition().control(Integer.toString(command), Integer.toString(flags));
    }

    /** ham_condition_remove: removes the condition and its actions from the HAM. */
    public void remove(int flags) {
        core.checkLive();
        condition().remove(Integer.toString(flags));
    }

    /** The condition's {@code .info} text. */
    public String info() {
        core.checkLive();
        return condition().getInfo();
    }

    /** A new handle to the entity this condition belongs to (no remote call). */
    public EntityHandle entity() {
        core.checkLive();
        return new EntityHandle(core.node, core.ename);
    }

    /** ham_condition_handle_free: frees the handle, not the condition; EINVAL when already freed. */
    public void free() {
        core.free();
    }

    public boolean isFreed() {
        return core.isFreed();
    }

    private void checkAction(String aname) {
        core.checkLive();
        Names.check("action", aname);
        Names.checkPath(core.ename, core.cname, aname);
    }

    private ActionHandle action(String aname) {
        return new ActionHandle(core.node, core.ename, core.cname, aname);
    }

    private ConditionMXBean condition() {
        return core.remote(ConditionMXBean.class, ObjectNames.condition(core.ename, core.cname));
    }

    @Override
    public String toString() {
        return "ConditionHandle[" + core.describe() + (core.isFreed() ? ", freed" : "") + "]";
    }
}
