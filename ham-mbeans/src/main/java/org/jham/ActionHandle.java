package org.jham;

import org.jham.mbean.ActionMXBean;
import org.jham.mbean.ObjectNames;

/**
 * A handle to an action of a condition ({@code ham_action_t}), from the
 * {@code ConditionHandle.action*} methods or {@link Ham#actionHandle}. It names the action; if the
 * action goes away, calls fail with ENOENT. {@link #free()} frees only the handle. Every call needs
 * a prior {@link Ham#connect} to the handle's node (EBADF otherwise). Thread-safe: immutable but
 * for the freed flag.
 */
public final class ActionHandle {
    private final HandleCore core;

    ActionHandle(HamNode node, String ename, String cname, String aname) {
        this.core = new HandleCore(node, ename, cname, aname);
    }

    public HamNode node() {
        return core.node;
    }

    /** The entity name; null for the global entity. */
    public String entityName() {
        return core.ename;
    }

    public String conditionName() {
        return core.cname;
    }

    /** The action name. */
    public String name() {
        return core.aname;
    }

    /** ham_action_remove: removes the action from its condition in the HAM. */
    public void remove(int flags) {
        core.checkLive();
        action().remove(Integer.toString(flags));
    }

    /** The action's {@code .info} text. */
    public String info() {
        core.checkLive();
        return action().getInfo();
    }

    /**
     * ham_action_control: {@link HamConstants#HENABLE} / {@code HDISABLE} (flags {@code HRECURSE}
     * or 0), {@code HADDFLAGS} / {@code HREMOVEFLAGS} / {@code HSETFLAGS} (action flags, never
     * HACTIONDONOW), {@code HGETFLAGS}.
     *
     * @return the flags for HGETFLAGS, else 0
     */
    public int control(int command, int flags) {
        core.checkLive();
        return action().control(Integer.toString(command), Integer.toString(flags));
    }

    /** ham_action_fail_execute: runs {@code line} when this action fails. No flags are defined. */
    public void failExecute(String fname, String line, int flags) {
        checkFail(fname);
        action().failExecute(fname, line, Integer.toString(flags));
    }

    /** ham_action_fail_waitfor (EINVAL in an HCONDNOWAIT condition). */
    public void failWaitfor(String fname, String path, int delay, int flags) {
        checkFail(fname);
        action().failWaitfor(fname, path, delay, Integer.toString(flags));
    }

    /** ham_action_fail_notify_pulse_node ({@code nodename} null = this HAM's node). */
    public void failNotifyPulse(String fname, String nodename, long pid, int chid, int code, int value, int flags) {
        checkFail(fname);
        action().failNotifyPulse(fname, nodename == null ? "" : nodename, pid, chid, code, value, Integer.toString(flags));
    }

    /** ham_action_fail_notify_signal_node ({@code nodename} null = this HAM's node). */
    public void failNotifySignal(String fname, String nodename, long pid, int signum, int code, int value, int flags) {
        checkFail(fname);
        action().failNotifySignal(fname, nodename == null ? "" : nodename, pid, Integer.toString(signum), code, value,
                Integer.toString(flags));
    }

    /** ham_action_fail_log. */
    public void failLog(String fname, String msg, int attachPrefix, int verbosity, int flags) {
        checkFail(fname);
        action().failLog(fname, msg, attachPrefix, verbosity, Integer.toString(flags));
    }

    /** A plugin action in the action-fail list. */
    public void failCustom(String fname, String type, String args, int flags) {
        checkFail(fname);
        action().failCustom(fname, type, args, Integer.toString(flags));
    }

    /** ham_action_fail_remove: removes the named item of the action-fail list; ENOENT when none. */
    public void failRemove(String fname, int flags) {
        checkFail(fname);
        action().failRemove(fname, Integer.toString(flags));
    }

    private void checkFail(String fname) {
        core.checkLive();
        Names.check("action-fail item", fname);
        Names.checkPath(core.ename, core.cname, core.aname, fname);
    }

    /** ham_action_handle_free: frees the handle, not the action; EINVAL when already freed. */
    public void free() {
        core.free();
    }

    public boolean isFreed() {
        return core.isFreed();
    }

    private ActionMXBean action() {
        return core.remote(ActionMXBean.class, ObjectNames.action(core.ename, core.cname, core.aname));
    }

    @Override
    public String toString() {
        return "ActionHandle[" + core.describe() + (core.isFreed() ? ", freed" : "") + "]";
    }
}
