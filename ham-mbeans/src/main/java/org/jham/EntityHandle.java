package org.jham;

import org.jham.mbean.EntityMXBean;
import org.jham.mbean.ObjectNames;

/**
 * A handle to an entity in a HAM ({@code ham_entity_t}), from {@link Ham#attach},
 * {@link Ham#entity} or {@link Ham#entityHandle}. It names the entity; it does not keep it alive:
 * if the entity goes away, calls fail with ENOENT. {@link #free()} frees only the handle. Calls
 * other than {@link #detach} need a prior {@link Ham#connect} to the handle's node (EBADF
 * otherwise). Thread-safe: immutable but for the freed flag.
 */
public final class EntityHandle {
    private final HandleCore core;

    EntityHandle(HamNode node, String ename) {
        this.core = new HandleCore(node, ename, null, null);
    }

    public HamNode node() {
        return core.node;
    }

    /** The entity name; null for the global entity. */
    public String name() {
        return core.ename;
    }

    public boolean isGlobal() {
        return core.ename == null;
    }

    /**
     * ham_condition: adds a condition of {@code type} (a {@link HamConstants} {@code COND*} code)
     * to the entity.
     *
     * @throws HamException EINVAL (freed handle, bad name, type or flags), ENAMETOOLONG, EEXIST,
     *                      ENOENT (the entity is gone), EBADF (not connected)
     */
    public ConditionHandle condition(int type, String cname, int flags) {
        core.checkLive();
        Names.check("condition", cname);
        Names.checkPath(core.ename, cname);
        entity().condition(Integer.toString(type), cname, Integer.toString(flags));
        return new ConditionHandle(core.node, core.ename, cname);
    }

    /**
     * ham_condition_state: a CONDSTATE condition firing when the entity goes from a state matching
     * {@code fromstate} to one matching {@code tostate}: a value, {@link HamConstants#CONDSTATEANY},
     * or with HCONDSTATEFROMSET / HCONDSTATETOSET a bitmap whose bit n is state n;
     * HCONDSTATEFROMINV / HCONDSTATETOINV negate.
     */
    public ConditionHandle conditionState(String cname, int fromstate, int tostate, int flags) {
        core.checkLive();
        Names.check("condition", cname);
        Names.checkPath(core.ename, cname);
        entity().conditionState(cname, fromstate, tostate, Integer.toString(flags));
        return new ConditionHandle(core.node, core.ename, cname);
    }

    /**
     * ham_condition_raise: a CONDRAISE condition firing when the entity raises a condition whose
     * type, class and severity match (0 = CONDRAISETYPEANY / CLASSANY / SEVERITYANY).
     */
    public ConditionHandle conditionRaise(String cname, int rtype, int rclass, int rseverity, int flags) {
        core.checkLive();
        Names.check("condition", cname);
        Names.checkPath(core.ename, cname);
        entity().conditionRaise(cname, rtype, rclass, rseverity, Integer.toString(flags));
        return new ConditionHandle(core.node, core.ename, cname);
    }

    /** ham_entity_condition_state: the entity reports its next state. No flags are defined (EINVAL). */
    public void reportState(int tostate, int flags) {
        core.checkLive();
        entity().reportState(tostate, Integer.toString(flags));
    }

    /** ham_entity_condition_raise: the entity raises a condition. No flags are defined (EINVAL). */
    public void raise(int rtype, int rclass, int rseverity, int flags) {
        core.checkLive();
        entity().raise(rtype, rclass, rseverity, Integer.toString(flags));
    }

    /**
     * ham_entity_control: {@link HamConstants#HENABLE} / {@code HDISABLE} (flags {@code HRECURSE}
     * or 0), {@code HADDFLAGS} / {@code HREMOVEFLAGS} / {@code HSETFLAGS} (entity flags),
     * {@code HGETFLAGS}. A disabled entity reacts to nothing.
     *
     * @return the flags for HGETFLAGS, else 0
     */
    public int control(int command, int flags) {
        core.checkLive();
        return entity().control(Integer.toString(command), Integer.toString(flags));
    }

    /**
     * ham_heartbeat for this entity alone, when this process attached itself as it with a
     * heartbeat period; otherwise nothing. Never blocks, always succeeds.
     */
    public void heartbeat() {
        SelfAttachments.Entry e = SelfAttachments.find(core.node, core.ename);
        if (e != null) {
            SelfAttachments.beat(e);
        }
    }

    /** The state the entity last published; 0 until then. */
    public int state() {
        core.checkLive();
        return entity().getState();
    }

    /**
     * ham_detach: stops monitoring the entity (CONDDETACH fires); connects on its own. The handle
     * stays valid until freed, but names a gone entity.
     *
     * @throws HamException EINVAL (freed handle, the global entity), ENOENT, EBADF
     */
    public void detach(int flags) {
        core.checkLive();
        if (isGlobal()) {
            throw new HamException(Errno.EINVAL, "the global entity is never attached, so it cannot be detached");
        }
        try (HamConnection c = HamConnection.acquire(core.node)) {
            c.proxy(EntityMXBean.class, ObjectNames.entity(core.ename)).detach(Integer.toString(flags));
        }
    }

    /** The entity's {@code .info} text. */
    public String info() {
        core.checkLive();
        return entity().getInfo();
    }

    /** The entity's current pid (0 when none, e.g. a placeholder). */
    public long pid() {
        core.checkLive();
        return entity().getEntityPid();
    }

    /** ham_entity_handle_free: frees the handle, not the entity; EINVAL when already freed. */
    public void free() {
        core.free();
    }

    public boolean isFreed() {
        return core.isFreed();
    }

    private EntityMXBean entity() {
        return core.remote(EntityMXBean.class, ObjectNames.entity(core.ename));
    }

    @Override
    public String toString() {
        return "EntityHandle[" + core.describe() + (core.isFreed() ? ", freed" : "") + "]";
    }
}
