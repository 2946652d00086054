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
