package org.jham;

import org.jham.mbean.ObjectNames;

/**
 * The HAM API, the Java {@code libham}: every {@code ham_*} function of the guide with the same
 * meaning and arguments. A node name is as in {@link HamNode}: {@code host}, {@code host:port} or a
 * {@code service:jmx:jmxmp://} URL; {@code null} or {@code ""} is the local HAM (used in-process
 * when it runs in this JVM). Failures are {@link HamException}s carrying the guide's errno.
 *
 * <p>Connections (seed 000): there is one shared, reference-counted {@link HamConnection} per node;
 * {@link #connect} and {@link #disconnect} must balance. {@link #attach}, {@link #entity},
 * {@link #detachName}, {@link #stop}, {@link #verbose} and {@link EntityHandle#detach} connect and
 * disconnect on their own; every other call needs a prior {@link #connect} to its node and fails
 * with EBADF without one. Names are checked here ({@link Names}) before any remote call.
 *
 * <p>Configuration (system properties, read when a connection opens): {@code jham.node} (the local
 * node, see {@link HamNode}); {@code jham.request.timeout.ms} (default 30000: the longest a call,
 * or a connect, waits for the HAM before failing with EBADF; a graceful disconnect waits as long
 * for calls in flight); {@code jham.keepalive.ms} (default 30000: how often an idle connection is
 * checked, which keeps the HAM's JMXMP server, whose idle timeout must be longer, from dropping it).
 *
 * <p>Thread-safe.
 */
public final class Ham {
    private Ham() {
    }

    // ---------------------------------------------------------------- connect / disconnect

    /** ham_connect: connects to the local HAM. */
    public static HamConnection connect() {
        return connect(null);
    }

    /**
     * ham_connect_node: the first connect to a node opens the connection, later ones share it and
     * increment its count.
     *
     * @throws HamException EBADF when the HAM cannot be reached, EACCES when it refuses access,
     *                      EINVAL for a bad node name
     */
    public static HamConnection connect(String nodename) {
        return HamConnection.acquire(HamNode.of(nodename));
    }

    /** ham_disconnect: disconnects from the local HAM, {@link DisconnectMode#GRACEFUL}. */
    public static void disconnect() {
        disconnect(null, DisconnectMode.GRACEFUL);
    }

    /** ham_disconnect_node, {@link DisconnectMode#GRACEFUL}. */
    public static void disconnect(String nodename) {
        disconnect(nodename, DisconnectMode.GRACEFUL);
    }

    /**
     * ham_disconnect_node: decrements the node's count; the call that reaches zero closes the
     * connection as {@code mode} says.
     *
     * @throws HamException EINVAL when there is no connection to the node to disconnect
     */
    public static void disconnect(String nodename, DisconnectMode mode) {
        HamConnection.release(HamNode.of(nodename), mode);
    }

    // ---------------------------------------------------------------- calls that connect on their own

    /**
     * ham_attach_node: {@code pid > 0} attaches a running process ({@code line} ignored);
     * {@code pid} -1 ({@link HamConstants#PID_START}) or 0 makes the HAM start {@code line} (full
     * path, the guide's quoting) and monitor it. Fills a placeholder of the same name.
     *
     * @throws HamException EINVAL, ENAMETOOLONG, EEXIST, ESRCH (no such pid), EBADF, ...
     */
    public static EntityHandle attach(String ename, String nodename, long pid, String line, int flags) {
        Names.check("entity", ename);
        HamNode node = HamNode.of(nodename);
        try (HamConnection c = HamConnection.acquire(node)) {
            c.ham().attach(ename, pid, line, Integer.toString(flags));
        }
        return new EntityHandle(node, ename);
    }

    /** ham_attach_self on the local HAM; see {@link #attachSelf(String, String, long, int, int, int)}. */
    public static EntityHandle attachSelf(String ename, long hpNanos, int hpdl, int hpdh, int flags) {
        return attachSelf(ename, null, hpNanos, hpdl, hpdh, flags);
    }

    /**
     * ham_attach_self: this process attaches itself as {@code ename}, promising a heartbeat every
     * {@code hpNanos} (0 = none; else at least {@link HamConstants#HAMHBEATMIN}) through
     * {@link #heartbeat()} or {@link Heartbeat#beat()}; {@code hpdl} / {@code hpdh} missed periods
     * fire CONDHBEATMISSEDLOW / HIGH ({@code hpdl <= hpdh}; 0 = never). The library keeps a
     * connection to the node open for the entity (one more reference on a shared connection) until
     * {@link #detachSelf}: should this process die or the connection close first, the HAM sees a
     * death (CONDDEATH). Flags: the entity flags (HENTITYKEEPONDEATH).
     *
     * @throws HamException EINVAL (name, period below HAMHBEATMIN, marks), ENAMETOOLONG, EEXIST,
     *                      EBADF (the HAM cannot be reached)
     */
    public static EntityHandle attachSelf(String ename, String nodename, long hpNanos, int hpdl, int hpdh, int flags) {
        Names.check("entity", ename);
        Names.checkPath(ename);
        Heartbeat.checkParameters(hpNanos, hpdl, hpdh);
        HamNode node = HamNode.of(nodename);
        SelfAttachments.Entry known = SelfAttachments.find(node, ename);
        if (known != null && known.connection().refCount() > 0 && !known.connection().isBroken()) {
            throw new HamException(Errno.EEXIST, "this process is already self-attached as '" + ename + "'");
        }
        if (known != null) {
            // Its connection was closed or failed: the HAM took that for the entity's death.
            SelfAttachments.remove(node, ename);
        }
        HamConnection c = HamConnection.acquire(node);
        try {
            c.ham().attachSelf(ename, ProcessHandle.current().pid(), hpNanos, hpdl, hpdh, Integer.toString(flags),
                    c.connectionId());
            SelfAttachments.add(c, ename, hpNanos, hpdl, hpdh, flags);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return new EntityHandle(node, ename);
    }

    /**
     * ham_detach_self: the entity this process attached itself as detaches (CONDDETACH fires) and
     * its heartbeats stop; the connection reference it held is released.
     *
     * @throws HamException EINVAL (not self-attached by this process, flags), ENOENT (the HAM
     *                      already let go of it, e.g. judged it dead), EBADF
     */
    public static void detachSelf(EntityHandle ehdl, int flags) {
        SelfAttachments.Entry e = ehdl == null ? null : SelfAttachments.find(ehdl.node(), ehdl.name());
        if (e == null) {
            throw new HamException(Errno.EINVAL, "not an entity this process attached itself as: " + ehdl);
        }
        Flags.check(Flags.Kind.NONE, flags);
        try {
            // Beats go on until the HAM has let go: stopping them first could fire a false LOW.
            e.connection().proxy(org.jham.mbean.EntityMXBean.class, ObjectNames.entity(e.ename()))
                    .detachSelf(Integer.toString(flags));
        } finally {
            SelfAttachments.remove(ehdl.node(), ehdl.name());
            release(e.connection());
        }
    }

    /** Lets go of the reference a self-attachment held, unless the caller already disconnected it. */
    private static void release(HamConnection c) {
        if (c.refCount() > 0) {
            try {
                c.close();
            } catch (HamException e) {
                // Closing a failed connection may fail too; the reference is gone either way.
            }
        }
    }

    /**
     * ham_heartbeat: a heartbeat for every entity this process attached itself as with a heartbeat
     * period. Never blocks and always succeeds (the guide); see {@link Heartbeat}.
     */
    public static void heartbeat() {
        Heartbeat.beat();
    }

    /** ham_entity_node: creates a placeholder entity that conditions can be added to before it runs. */
    public static EntityHandle entity(String ename, String nodename, int flags) {
        Names.check("entity", ename);
        HamNode node = HamNode.of(nodename);
        try (HamConnection c = HamConnection.acquire(node)) {
            c.ham().entity(ename, Integer.toString(flags));
        }
        return new EntityHandle(node, ename);
    }

    /** ham_detach_name_node: stops monitoring the entity (CONDDETACH fires); it keeps running. */
    public static void detachName(String nodename, String ename, int flags) {
        Names.check("entity", ename);
        HamNode node = HamNode.of(nodename);
        try (HamConnection c = HamConnection.acquire(node)) {
            c.ham().detachName(ename, Integer.toString(flags));
        }
    }

    /** ham_stop_node: stops the HAM (and its Guardian) gracefully. */
    public static void stop(String nodename) {
        stop(nodename, false);
    }

    /**
     * ham_stop_node: stops the Guardian, then the HAM; monitored processes keep running. A
     * connection that drops while or after the HAM answers is success: the HAM is going away.
     *
     * @param abrupt false: running action lists finish (within a bound); true: they are cut short
     */
    public static void stop(String nodename, boolean abrupt) {
        HamConnection c = HamConnection.acquire(HamNode.of(nodename));
        try {
            c.ham().stop(abrupt ? "abrupt" : "graceful");
        } catch (HamException e) {
            if (e.errno() != Errno.EBADF) {
                throw e;
            }
            // The HAM went away before or while answering: the stop we asked for happened.
        } finally {
            try {
                c.close();
            } catch (HamException e) {
                if (e.errno() != Errno.EBADF) {
                    throw e;
                }
                // Closing a connection to a HAM that just stopped may fail: expected, see above.
            }
        }
    }

    /**
     * ham_verbose: {@code op} is {@link HamConstants#VERBOSE_SET_INCR}, {@code VERBOSE_SET_DECR},
     * {@code VERBOSE_SET} or {@code VERBOSE_GET}; a {@code value} of 0 increments or decrements by 1.
     *
     * @return the verbosity after the operation
     */
    public static int verbose(String nodename, int op, int value) {
        try (HamConnection c = HamConnection.acquire(HamNode.of(nodename))) {
            return c.ham().verbose(Integer.toString(op), value);
        }
    }

    // ---------------------------------------------------------------- calls that need a prior connect

    /**
     * ham_entity_handle_node: a handle to an existing entity; {@code null} or {@code ""} (or
     * {@value ObjectNames#GLOBAL_ENTITY}) is the global entity.
     *
     * @throws HamException EINVAL, ENAMETOOLONG, ENOENT, EBADF (not connected)
     */
    public static EntityHandle entityHandle(String nodename, String ename, int flags) {
        String e = entityName(ename);
        HamNode node = HamNode.of(nodename);
        HamConnection.require(node).ham().entityHandle(wire(e), Integer.toString(flags));
        return new EntityHandle(node, e);
    }

    /** ham_condition_handle_node: a handle to an existing condition; {@code ename} as in {@link #entityHandle}. */
    public static ConditionHandle conditionHandle(String nodename, String ename, String cname, int flags) {
        String e = entityName(ename);
        Names.check("condition", cname);
        Names.checkPath(e, cname);
        HamNode node = HamNode.of(nodename);
        HamConnection.require(node).ham().conditionHandle(wire(e), cname, Integer.toString(flags));
        return new ConditionHandle(node, e, cname);
    }

    /** ham_action_handle_node: a handle to an existing action; {@code ename} as in {@link #entityHandle}. */
    public static ActionHandle actionHandle(String nodename, String ename, String cname, String aname, int flags) {
        String e = entityName(ename);
        Names.check("condition", cname);
        Names.check("action", aname);
        Names.checkPath(e, cname, aname);
        HamNode node = HamNode.of(nodename);
        HamConnection.require(node).ham().actionHandle(wire(e), cname, aname, Integer.toString(flags));
        return new ActionHandle(node, e, cname, aname);
    }

    /** Null for the global entity, else the checked name. */
    private static String entityName(String ename) {
        return Names.isGlobal(ename) ? null : Names.check("entity", ename);
    }

    private static String wire(String ename) {
        return ename == null ? ObjectNames.GLOBAL_ENTITY : ename;
    }
}
