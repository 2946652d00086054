package org.jham.agent.engine;

import static org.jham.ConditionType.CONDABNORMALDEATH;
import static org.jham.ConditionType.CONDATTACH;
import static org.jham.ConditionType.CONDDEATH;
import static org.jham.ConditionType.CONDDETACH;
import static org.jham.ConditionType.CONDRAISE;
import static org.jham.ConditionType.CONDRESTART;
import static org.jham.ConditionType.CONDSTATE;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;
import org.jham.ConditionType;
import org.jham.Errno;
import org.jham.Flags;
import org.jham.HamConstants;
import org.jham.HamException;
import org.jham.Heartbeat;
import org.jham.Names;
import org.jham.agent.log.ActivityLog;
import org.jham.agent.process.Child;
import org.jham.agent.process.CommandLine;
import org.jham.agent.process.ExitStatus;
import org.jham.agent.process.ProcStat;
import org.jham.agent.process.ProcessLauncher;
import org.jham.agent.process.ProcessWatcher;
import org.jham.spi.ActionEvent;

/**
 * The HAM's entity → condition → action tree and its rules: naming, attach / placeholder /
 * detach, death handling, dispatch of fired conditions to the lanes, restart with rearm and
 * prune. One lock guards the tree; actions run in lane threads on snapshots of their lists,
 * outside the lock. The engine knows nothing of JMX: views and {@link EngineListener} are its
 * only outputs. Thread-safe.
 *
 * <p>Action lists run as {@link Run}s in the {@link Dispatcher}'s lanes: a waitfor suspends its
 * run (its lane's timer resumes it) instead of holding a thread, and a failed action's
 * action-fail list runs right after it, before the rest of its list.
 *
 * <p>Activity log levels: 1 = entity lifecycle (attach, death, restart, removal), 2 = conditions
 * firing, actions failing, control and published states, 3 = every action run.
 */
public final class Engine {
    private final Object lock = new Object();
    private final Map<String, EntityNode> entities = new LinkedHashMap<>();
    /** Names whose attach is starting a process right now (outside the lock). */
    private final java.util.Set<String> starting = new java.util.HashSet<>();
    private final EntityNode global;
    private final EngineConfig config;
    private final ActivityLog log;
    private final ProcessLauncher launcher;
    private final ProcessWatcher watcher;
    private final Clock clock;
    private final EngineListener listener;
    private final ActionRuntime runtime;
    private final Dispatcher dispatcher = new Dispatcher();
    private final HeartbeatMonitor heartbeats;
    private final long hamPid = ProcessHandle.current().pid();
    private volatile long guardianPid;
    private volatile int hamFailures;
    private volatile int guardianFailures;
    private boolean stopping;
    private volatile StateLog stateLog = StateLog.NONE;

    /**
     * After a restore, how long a self-attached entity's missed heartbeats are not counted: its
     * client cannot beat before it has reconnected to the new HAM and attached itself again.
     */
    static final long REATTACH_GRACE_NANOS = 5_000_000_000L;

    /** How often a waitfor looks for its path. */
    static final long WAIT_POLL_MILLIS = 50;

    public Engine(EngineConfig config, ActivityLog log, ProcessLauncher launcher, ProcessWatcher watcher, Clock clock,
                  EngineListener listener, ActionRuntime runtime) {
        this.config = config;
        this.runtime = runtime;
        this.heartbeats = new HeartbeatMonitor(System::nanoTime, clock, this::missedHeartbeats);
        this.log = log;
        this.launcher = launcher;
        this.watcher = watcher;
        this.clock = clock;
        this.listener = listener;
        // The global entity is never added or removed: its view (MBean) exists for the engine's life.
        this.global = new EntityNode(org.jham.mbean.ObjectNames.GLOBAL_ENTITY, EntityType.GLOBAL, 0, clock.instant());
    }

    // ---------------------------------------------------------------- tree nodes (guarded by lock)

    private static final class EntityNode {
        final String name;
        EntityType type;
        int flags;
        boolean enabled = true;
        boolean alive;
        long pid;
        /** Identifies the current instance; a death or restart of an older one is ignored. */
        long generation;
        String startLine = "";
        Instant created;
        Instant lastDeath;
        Instant restarted;
        int numRestarts;
        String lastExit = "";
        ProcessWatcher.Watch watch;
        /** The running instance when the HAM started it (it can be armed for a restart by its spawner). */
        Child child;
        /** The generation the spawner is armed to restart, or -1; with the line and mode it was armed with. */
        long armedToken = -1;
        String armedAs = "";
        final Map<String, ConditionNode> conditions = new LinkedHashMap<>();
        final ArrayDeque<Instant> recentRestarts = new ArrayDeque<>();
        /** The state last published by the entity (ham_entity_condition_state); 0 until then. */
        int state;
        /** Self-attached: the heartbeat period (0 = none) and marks, and the client connection it came over. */
        long hpNanos;
        int hpdl;
        int hpdh;
        String connectionId = "";
        /** The start time of process {@link #pid} ({@link ProcStat#liveStartTime}), to adopt it after a restore. */
        long startTime;
        /** Restored self-attached: its client is expected to attach itself again over a new connection. */
        boolean awaitingReattach;
        /** The heartbeat episode restored from the journal, shown until the heartbeat watch runs again. */
        String restoredHeartbeatState = "";
        int restoredMisses;

        EntityNode(String name, EntityType type, int flags, Instant created) {
            this.name = name;
            this.type = type;
            this.flags = flags;
            this.created = created;
        }

        boolean isGlobal() {
            return type == EntityType.GLOBAL;
        }
    }

    private static final class ConditionNode {
        final EntityNode entity;
        final String name;
        final ConditionType type;
        int flags;
        boolean enabled = true;
        /** Set once removed: a list queued for it afterwards retires its independent lane. */
        boolean removed;
        long triggers;
        /** CONDSTATE: the from and to state specs (read with the current flags). */
        int fromState;
        int toState;
        /** CONDRAISE: what it subscribes to. */
        Subscriptions.RaiseFilter raise;
        final Map<String, ActionNode> actions = new LinkedHashMap<>();

        ConditionNode(EntityNode entity, String name, ConditionType type, int flags) {
            this.entity = entity;
            this.name = name;
            this.type = type;
            this.flags = flags;
        }

        Subscriptions.StateFilter stateFilter() {
            return new Subscriptions.StateFilter(fromState, toState, flags);
        }

        /** The filter shown in {@code .info}; empty for conditions that have none. */
        String filter() {
            if (type == CONDSTATE) {
                return stateFilter().describe();
            }
            return type == CONDRAISE ? raise.describe() : "";
        }

        boolean holdsWaitfor() {
            for (ActionNode a : actions.values()) {
                if (a.spec instanceof ActionSpec.Waitfor
                        || a.fails.values().stream().anyMatch(x -> x.spec instanceof ActionSpec.Waitfor)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final class ActionNode {
        final ConditionNode condition;
        final String name;
        final ActionSpec spec;
        int flags;
        boolean enabled = true;
        /** Set when removed by a caller (not by a restart's pruning): it no longer runs. */
        boolean cancelled;
        long runs;
        long failures;
        /** The action-fail list: run in order when this action fails. */
        final Map<String, FailNode> fails = new LinkedHashMap<>();

        ActionNode(ConditionNode condition, String name, ActionSpec spec, int flags) {
            this.condition = condition;
            this.name = name;
            this.spec = spec;
            this.flags = flags;
        }
    }

    /** An item of an action's action-fail list. */
    private static final class FailNode {
        final String name;
        final ActionSpec spec;
        boolean removed;
        long runs;
        long failures;

        FailNode(String name, ActionSpec spec) {
            this.name = name;
            this.spec = spec;
        }
    }

    /** What happened to an entity: a condition type plus, for CONDSTATE and CONDRAISE, what was published. */
    private record Event(ConditionType type, String detail, int fromState, int toState, int rtype, int rclass,
                         int rseverity) {
        static Event of(ConditionType type, String detail) {
            return new Event(type, detail, 0, 0, 0, 0, 0);
        }
    }

    /** One fired condition with the snapshot of its action list, run in the condition's lane. */
    private record Firing(ConditionNode condition, EntityNode subject, long generation, ConditionType event,
                          List<ActionNode> actions, Views.Fired fired) {
    }

    // ---------------------------------------------------------------- attach / placeholder / detach

    /**
     * ham_attach: {@code pid > 0} attaches a running process; -1 or 0 starts {@code line}. Fills a
     * placeholder (or a dead entity kept by HENTITYKEEPONDEATH) of the same name.
     */
    public Views.EntityView attach(String ename, long pid, String line, int flags) {
        Names.check("entity", ename);
        Names.checkPath(ename);
        Flags.check(Flags.Kind.ENTITY, flags);
        List<String> argv = null;
        long startTime = 0;
        if (pid == HamConstants.PID_START || pid == 0) {
            if (line == null || line.isBlank()) {
                throw new HamException(Errno.EINVAL, "pid " + pid + " asks the HAM to start the entity, but no command line was given");
            }
            argv = CommandLine.parse(line);
        } else if (pid < 0) {
            throw new HamException(Errno.EINVAL, "pid " + pid + " is invalid (use a pid > 0, or -1 with a command line)");
        } else {
            OptionalLong st = ProcStat.liveStartTime(pid);
            if (st.isEmpty()) {
                throw new HamException(Errno.ESRCH, "no process with pid " + pid);
            }
            startTime = st.getAsLong();
        }
        List<Firing> firings;
        Views.EntityView view;
        synchronized (lock) {
            checkRunning();
            checkAttachable(ename);
            // Reserved while the process starts outside the lock (the spawner reports exits on a
            // thread that takes this lock, so nobody may wait for it while holding the lock).
            starting.add(ename);
        }
        Child child = null;
        try {
            child = argv == null ? null : launcher.startEntity(argv, ename);
        } finally {
            if (child == null && argv != null) {
                synchronized (lock) {
                    starting.remove(ename);
                }
            }
        }
        synchronized (lock) {
            starting.remove(ename);
            EntityNode e = entities.get(ename);
            boolean fill = e != null;
            if (e == null) {
                e = new EntityNode(ename, EntityType.ATTACHED, flags, clock.instant());
                entities.put(ename, e);
                listener.entityAdded(ename);
            } else {
                e.flags |= flags;
            }
            e.generation++;
            e.alive = true;
            if (child != null) {
                e.type = EntityType.STARTED;
                e.startLine = line.trim();
                e.pid = child.pid();
                e.startTime = childStartTime(child);
                e.child = child;
                e.watch = watchChild(e, child);
                rearm(e);
            } else {
                e.type = EntityType.ATTACHED;
                e.child = null;
                e.pid = pid;
                e.startTime = startTime;
                long gen = e.generation;
                e.watch = watcher.watchPid(pid, startTime, st -> onDeath(ename, gen, st));
            }
            log.log(1, (fill ? "placeholder filled: " : "attached: ") + "entity '" + ename + "' pid " + e.pid
                    + (child != null ? " started from " + e.startLine : ""));
            firings = collect(e, CONDATTACH, "attached pid " + e.pid);
            persist(e);
            if (child != null) {
                child.saved();
            }
            view = entityView(e);
        }
        dispatch(firings);
        return view;
    }

    /** EEXIST unless the name is free, a placeholder, or an entity kept dead by HENTITYKEEPONDEATH. */
    private void checkAttachable(String ename) {
        EntityNode e = entities.get(ename);
        boolean fillable = e != null && (e.type == EntityType.PLACEHOLDER || !e.alive && e.lastDeath != null);
        if (e != null && !fillable || starting.contains(ename)) {
            throw new HamException(Errno.EEXIST, "entity '" + ename + "' already exists");
        }
    }

    /** ham_entity: a placeholder that conditions and actions can be added to before any process. */
    public Views.EntityView placeholder(String ename, int flags) {
        Names.check("entity", ename);
        Names.checkPath(ename);
        Flags.check(Flags.Kind.ENTITY, flags);
        synchronized (lock) {
            checkRunning();
            if (entities.containsKey(ename) || starting.contains(ename)) {
                throw new HamException(Errno.EEXIST, "entity '" + ename + "' already exists");
            }
            EntityNode e = new EntityNode(ename, EntityType.PLACEHOLDER, flags, clock.instant());
            entities.put(ename, e);
            listener.entityAdded(ename);
            log.log(1, "placeholder created: entity '" + ename + "'");
            persist(e);
            return entityView(e);
        }
    }

    /** ham_detach / ham_detach_name: CONDDETACH fires, then monitoring ends; the process keeps running. */
    public void detach(String ename) {
        if (ename == null || ename.isEmpty() || isGlobalName(ename)) {
            throw new HamException(Errno.EINVAL, "the global entity is never attached or detached");
        }
        Names.check("entity", ename);
        List<Firing> firings;
        synchronized (lock) {
            EntityNode e = requireEntity(ename);
            if (e.type == EntityType.SELFATTACHED) {
                throw new HamException(Errno.EINVAL, "entity '" + ename + "' is self-attached: it detaches itself");
            }
            // A placeholder was never monitored: detaching it only removes it, nothing detaches.
            firings = e.type == EntityType.PLACEHOLDER ? List.of() : collect(e, CONDDETACH, "detached");
            removeEntity(e, e.type == EntityType.PLACEHOLDER ? "placeholder removed (detach)" : "detached");
        }
        dispatch(firings);
    }

    // ---------------------------------------------------------------- self-attached entities

    /**
     * ham_attach_self: process {@code pid} (the caller) attaches itself as {@code ename}, promising
     * a heartbeat every {@code hpNanos} (0 = none, else at least HAMHBEATMIN) and naming the marks
     * of CONDHBEATMISSEDLOW / HIGH ({@code hpdl <= hpdh}; 0 = never). It dies (CONDDEATH) when its
     * pid exits or when {@code connectionId}, the client connection it attached over, closes
     * without ham_detach_self. It may fill a placeholder, an entity kept dead, or the entity the
     * HAM itself (re)started as this very pid (a restarted JVM attaching itself again).
     */
    public Views.EntityView attachSelf(String ename, long pid, long hpNanos, int hpdl, int hpdh, int flags,
                                       String connectionId) {
        Names.check("entity", ename);
        Names.checkPath(ename);
        Flags.check(Flags.Kind.ENTITY, flags);
        Heartbeat.checkParameters(hpNanos, hpdl, hpdh);
        if (pid <= 0) {
            throw new HamException(Errno.EINVAL, "pid " + pid + " is invalid");
        }
        OptionalLong st = ProcStat.liveStartTime(pid);
        if (st.isEmpty()) {
            throw new HamException(Errno.ESRCH, "no process with pid " + pid);
        }
        List<Firing> firings;
        Views.EntityView view;
        synchronized (lock) {
            checkRunning();
            EntityNode e = entities.get(ename);
            // The HAM's own (re)started instance attaching itself, or again after losing its connection.
            boolean own = e != null && e.alive && e.pid == pid
                    && (e.type != EntityType.SELFATTACHED || e.child != null && e.connectionId.isEmpty()
                        || e.awaitingReattach);
            // Attaching itself again after a takeover: the restored heartbeat episode goes on.
            boolean keepHeartbeat = own && e.awaitingReattach && e.hpNanos == hpNanos && e.hpdl == hpdl
                    && e.hpdh == hpdh;
            if (!own) {
                checkAttachable(ename);
            }
            if (e == null) {
                e = new EntityNode(ename, EntityType.SELFATTACHED, flags, clock.instant());
                entities.put(ename, e);
                listener.entityAdded(ename);
            } else {
                e.flags |= flags;
            }
            if (!own) {
                // A new instance; one the HAM started keeps its child watch (exact exit status).
                e.generation++;
                e.alive = true;
                e.child = null;
                e.pid = pid;
                e.startTime = st.getAsLong();
                long gen = e.generation;
                e.watch = watcher.watchPid(pid, st.getAsLong(), status -> onDeath(ename, gen, status));
            }
            e.awaitingReattach = false;
            e.type = EntityType.SELFATTACHED;
            e.hpNanos = hpNanos;
            e.hpdl = hpdl;
            e.hpdh = hpdh;
            e.connectionId = connectionId == null ? "" : connectionId;
            if (keepHeartbeat) {
                log.log(2, "entity '" + ename + "' attached itself again after a takeover; heartbeat state kept");
            } else if (hpNanos > 0) {
                heartbeats.watch(ename, e.generation, hpNanos, hpdl, hpdh);
            } else {
                heartbeats.unwatch(ename);
            }
            log.log(1, "self-attached: entity '" + ename + "' pid " + pid
                    + (hpNanos > 0 ? ", heartbeat every " + hpNanos / 1_000_000.0 + " ms, marks " + hpdl + "/" + hpdh : ""));
            firings = collect(e, CONDATTACH, "self-attached pid " + pid);
            persist(e);
            view = entityView(e);
        }
        dispatch(firings);
        return view;
    }

    /** ham_detach_self: CONDDETACH fires, then monitoring (heartbeats included) ends. */
    public void detachSelf(String ename) {
        Names.check("entity", ename);
        List<Firing> firings;
        synchronized (lock) {
            EntityNode e = requireEntity(ename);
            if (e.type != EntityType.SELFATTACHED) {
                throw new HamException(Errno.EINVAL, "entity '" + ename + "' is not self-attached: use ham_detach");
            }
            firings = collect(e, CONDDETACH, "detached itself");
            removeEntity(e, "detached itself");
        }
        dispatch(firings);
    }

    /**
     * ham_heartbeat of a self-attached entity. Does not take the engine lock: it touches only the
     * entity's heartbeat account.
     *
     * @return false when {@code ename} is not a self-attached entity watched for heartbeats
     */
    public boolean heartbeat(String ename) {
        long count = heartbeats.beat(ename);
        if (count > 0) {
            listener.heartbeat(ename, count);
        }
        return count > 0;
    }

    /**
     * A client connection closed: its self-attached entities that did not detach are dead. Not
     * those the HAM started itself: their exit is reported exactly by the spawner, which may be
     * armed to restart them at that moment; the socket of a dying JVM closes just before, and
     * a death judged from it would run the restart a second time.
     */
    public void connectionClosed(String connectionId) {
        if (connectionId == null || connectionId.isEmpty()) {
            return;
        }
        List<String[]> dead = new ArrayList<>();
        synchronized (lock) {
            for (EntityNode e : entities.values()) {
                if (e.type != EntityType.SELFATTACHED || !e.alive || !connectionId.equals(e.connectionId)) {
                    continue;
                }
                if (e.child == null) {
                    dead.add(new String[] {e.name, Long.toString(e.generation)});
                } else {
                    // The HAM's child lives on (its exit is its death): it may attach itself again.
                    e.connectionId = "";
                    record(e);
                }
            }
        }
        for (String[] d : dead) {
            onDeath(d[0], Long.parseLong(d[1]), ExitStatus.disconnected());
        }
    }

    /** A missed-heartbeat mark was reached (on the heartbeat timer thread). */
    private void missedHeartbeats(String ename, long generation, ConditionType type, int misses) {
        List<Firing> firings;
        synchronized (lock) {
            EntityNode e = entities.get(ename);
            if (e == null || e.generation != generation || !e.alive || stopping) {
                return;
            }
            log.log(1, "heartbeat: entity '" + ename + "' missed " + misses + " heartbeat" + (misses == 1 ? "" : "s")
                    + " (" + type + ")");
            firings = collect(e, type, "missed " + misses + " heartbeats");
            record(e);
        }
        dispatch(firings);
    }

    // ---------------------------------------------------------------- conditions and actions

    /** ham_condition: a condition of any type (CONDSTATE and CONDRAISE then match every state / raise). */
    public Views.ConditionView addCondition(String ename, ConditionType type, String cname, int flags) {
        return addCondition(ename, type, cname, flags, HamConstants.CONDSTATEANY, HamConstants.CONDSTATEANY,
                new Subscriptions.RaiseFilter(0, 0, 0));
    }

    /** ham_condition_state: fires when the entity goes from a state matching {@code from} to one matching {@code to}. */
    public Views.ConditionView addStateCondition(String ename, String cname, int from, int to, int flags) {
        return addCondition(ename, CONDSTATE, cname, flags, from, to, new Subscriptions.RaiseFilter(0, 0, 0));
    }

    /** ham_condition_raise: fires when the entity raises a matching (type, class, severity); 0 = any. */
    public Views.ConditionView addRaiseCondition(String ename, String cname, int rtype, int rclass, int rseverity,
                                                 int flags) {
        return addCondition(ename, CONDRAISE, cname, flags, 0, 0, new Subscriptions.RaiseFilter(rtype, rclass, rseverity));
    }

    private Views.ConditionView addCondition(String ename, ConditionType type, String cname, int flags, int from,
                                             int to, Subscriptions.RaiseFilter raise) {
        Names.check("condition", cname);
        Flags.check(Flags.Kind.CONDITION, flags);
        checkStateFlags(type, flags);
        synchronized (lock) {
            checkRunning();
            EntityNode e = requireEntityOrGlobal(ename);
            Names.checkPath(pathName(e), cname);
            if (e.conditions.containsKey(cname)) {
                throw new HamException(Errno.EEXIST, "condition '" + cname + "' already exists in entity '" + e.name + "'");
            }
            ConditionNode c = new ConditionNode(e, cname, type, flags);
            c.fromState = from;
            c.toState = to;
            c.raise = raise;
            e.conditions.put(cname, c);
            listener.conditionAdded(e.name, cname);
            log.log(2, "condition added: " + path(c) + " " + type + " " + Flags.format(Flags.Kind.CONDITION, flags)
                    + (c.filter().isEmpty() ? "" : " " + c.filter()));
            persist(e);
            return conditionView(c);
        }
    }

    private static void checkStateFlags(ConditionType type, int flags) {
        int stateFlags = HamConstants.HCONDSTATEFROMSET | HamConstants.HCONDSTATETOSET
                | HamConstants.HCONDSTATEFROMINV | HamConstants.HCONDSTATETOINV;
        if ((flags & stateFlags) != 0 && type != CONDSTATE) {
            throw new HamException(Errno.EINVAL, "flags " + Flags.format(Flags.Kind.CONDITION, flags & stateFlags)
                    + " are only valid for CONDSTATE conditions");
        }
    }

    /** ham_condition_remove. */
    public void removeCondition(String ename, String cname) {
        synchronized (lock) {
            ConditionNode c = requireCondition(ename, cname);
            removeConditionNode(c, "removed", true);
            rearm(c.entity);
            persist(c.entity);
        }
    }

    /** An action of a plugin type; EINVAL when no plugin has that type or it refuses the arguments. */
    public ActionSpec customSpec(String type, String args) {
        if (type == null || type.isBlank()) {
            throw new HamException(Errno.EINVAL, "custom action type is empty");
        }
        return new ActionSpec.Custom(type.trim(), args == null ? "" : args, runtime.customAction(type.trim(), args));
    }

    /**
     * ham_action_restart / execute / waitfor / notify_* / heartbeat_healthy / log and plugin
     * actions: adds an action at the end of the condition's list.
     */
    public Views.ActionView addAction(String ename, String cname, String aname, ActionSpec spec, int flags) {
        Names.check("action", aname);
        Flags.check(Flags.Kind.ACTION, flags);
        if (spec instanceof ActionSpec.Waitfor && ((ActionSpec.Waitfor) spec).path() != null) {
            runtime.checkWaitPath(((ActionSpec.Waitfor) spec).path());
        }
        Firing now = null;
        Views.ActionView view;
        synchronized (lock) {
            checkRunning();
            ConditionNode c = requireCondition(ename, cname);
            Names.checkPath(pathName(c.entity), cname, aname);
            if (c.actions.containsKey(aname)) {
                throw new HamException(Errno.EEXIST, "action '" + aname + "' already exists in " + path(c));
            }
            if (spec instanceof ActionSpec.Restart) {
                checkRestartAllowed(c, flags);
            }
            if (spec instanceof ActionSpec.Waitfor) {
                checkWaitAllowed(c);
            }
            ActionNode a = new ActionNode(c, aname, spec, flags);
            c.actions.put(aname, a);
            listener.actionAdded(c.entity.name, c.name, aname);
            rearm(c.entity);
            log.log(2, "action added: " + path(a) + " " + spec.typeName() + " " + spec.detail());
            // HACTIONDONOW is ignored for waitfors (the guide): a delay now would delay nothing.
            if ((flags & HamConstants.HACTIONDONOW) != 0 && !(spec instanceof ActionSpec.Waitfor)) {
                Views.Fired f = new Views.Fired(c.entity.name, c.name, path(c), c.type, c.type, c.entity.pid,
                        clock.instant(), "HACTIONDONOW " + aname);
                now = new Firing(c, c.entity, c.entity.generation, c.type, List.of(a), f);
            }
            persist(c.entity);
            view = actionView(a);
        }
        if (now != null) {
            submit(now);
        }
        return view;
    }

    private static void checkWaitAllowed(ConditionNode c) {
        if ((c.flags & HamConstants.HCONDNOWAIT) != 0) {
            throw new HamException(Errno.EINVAL, "condition " + path(c) + " is HCONDNOWAIT: it may hold no waitfor");
        }
    }

    /**
     * ham_action_fail_execute / waitfor / notify_* / log (and plugin actions): adds an item at the
     * end of the action's action-fail list. There are no flags for these yet (EINVAL otherwise).
     */
    public void addFailAction(String ename, String cname, String aname, String fname, ActionSpec spec, int flags) {
        Names.check("action-fail item", fname);
        Flags.check(Flags.Kind.NONE, flags);
        if (spec instanceof ActionSpec.Restart || spec instanceof ActionSpec.HeartbeatHealthy) {
            throw new HamException(Errno.EINVAL, spec.typeName() + " is not allowed in an action-fail list");
        }
        if (spec instanceof ActionSpec.Waitfor && ((ActionSpec.Waitfor) spec).path() != null) {
            runtime.checkWaitPath(((ActionSpec.Waitfor) spec).path());
        }
        synchronized (lock) {
            checkRunning();
            ActionNode a = requireAction(ename, cname, aname);
            Names.checkPath(pathName(a.condition.entity), cname, aname, fname);
            if (a.fails.containsKey(fname)) {
                throw new HamException(Errno.EEXIST, "action-fail item '" + fname + "' already exists in " + path(a));
            }
            if (spec instanceof ActionSpec.Waitfor) {
                checkWaitAllowed(a.condition);
            }
            a.fails.put(fname, new FailNode(fname, spec));
            log.log(2, "action-fail item added: " + path(a) + "/" + fname + " " + spec.typeName() + " " + spec.detail());
            persist(a.condition.entity);
        }
    }

    /** ham_action_fail_remove. */
    public void removeFailAction(String ename, String cname, String aname, String fname) {
        Names.check("action-fail item", fname);
        synchronized (lock) {
            ActionNode a = requireAction(ename, cname, aname);
            FailNode f = a.fails.remove(fname);
            if (f == null) {
                throw new HamException(Errno.ENOENT, "no action-fail item '" + fname + "' in " + path(a));
            }
            f.removed = true;
            log.log(2, "action-fail item removed: " + path(a) + "/" + fname);
            persist(a.condition.entity);
        }
    }

    private void checkRestartAllowed(ConditionNode c, int flags) {
        if (c.entity.isGlobal()) {
            throw new HamException(Errno.EINVAL, "a restart action needs a real entity, not the global one");
        }
        if (!c.type.isDeath()) {
            throw new HamException(Errno.EINVAL, "restart actions are only allowed under death conditions; "
                    + path(c) + " is " + c.type);
        }
        if ((flags & HamConstants.HACTIONDONOW) != 0) {
            throw new HamException(Errno.EINVAL, "HACTIONDONOW is not valid for a restart action");
        }
        for (ConditionNode other : c.entity.conditions.values()) {
            for (ActionNode a : other.actions.values()) {
                if (a.spec instanceof ActionSpec.Restart) {
                    throw new HamException(Errno.EEXIST, "entity '" + c.entity.name
                            + "' already has a restart action (" + path(a) + "); only one is allowed");
                }
            }
        }
    }

    /** ham_action_remove. */
    public void removeAction(String ename, String cname, String aname) {
        synchronized (lock) {
            ActionNode a = requireAction(ename, cname, aname);
            removeActionNode(a, "removed", false);
            rearm(a.condition.entity);
            persist(a.condition.entity);
        }
    }

    // ---------------------------------------------------------------- control (ham_*_control)

    /**
     * ham_entity_control. A disabled entity reacts to nothing: none of its (nor the global
     * entity's) conditions fire for it, so it is not restarted either.
     *
     * @return the flags for HGETFLAGS, else 0
     */
    public int entityControl(String ename, int command, int flags) {
        synchronized (lock) {
            checkRunning();
            EntityNode e = requireEntityOrGlobal(ename);
            int r = control("entity '" + e.name + "'", Flags.Kind.ENTITY, command, flags, () -> e.flags,
                    v -> e.flags = v, (on, recurse) -> {
                        e.enabled = on;
                        if (recurse) {
                            for (ConditionNode c : e.conditions.values()) {
                                enableCondition(c, on, true);
                            }
                        }
                    });
            rearm(e);
            persistUnless(command, e);
            return r;
        }
    }

    /** ham_condition_control; HCONDNOWAIT cannot be set while the condition holds waitfors. */
    public int conditionControl(String ename, String cname, int command, int flags) {
        synchronized (lock) {
            checkRunning();
            ConditionNode c = requireCondition(ename, cname);
            int r = control("condition " + path(c), Flags.Kind.CONDITION, command, flags, () -> c.flags, v -> {
                if ((v & HamConstants.HCONDNOWAIT) != 0 && (c.flags & HamConstants.HCONDNOWAIT) == 0 && c.holdsWaitfor()) {
                    throw new HamException(Errno.EINVAL, "condition " + path(c)
                            + " holds waitfor actions: it cannot be made HCONDNOWAIT");
                }
                checkStateFlags(c.type, v);
                boolean wasIndependent = Dispatcher.laneOf(c.flags) == Dispatcher.LaneKind.INDEPENDENT;
                c.flags = v;
                if (wasIndependent && Dispatcher.laneOf(v) != Dispatcher.LaneKind.INDEPENDENT) {
                    dispatcher.conditionRemoved(c);
                }
            }, (on, recurse) -> enableCondition(c, on, recurse));
            rearm(c.entity);
            persistUnless(command, c.entity);
            return r;
        }
    }

    /** ham_action_control; HACTIONDONOW cannot be set by control. */
    public int actionControl(String ename, String cname, String aname, int command, int flags) {
        synchronized (lock) {
            checkRunning();
            ActionNode a = requireAction(ename, cname, aname);
            if ((command == HamConstants.HADDFLAGS || command == HamConstants.HSETFLAGS)
                    && (flags & HamConstants.HACTIONDONOW) != 0) {
                throw new HamException(Errno.EINVAL, "HACTIONDONOW cannot be set by control (it acts when the action is added)");
            }
            int r = control("action " + path(a), Flags.Kind.ACTION, command, flags, () -> a.flags, v -> a.flags = v,
                    (on, recurse) -> a.enabled = on);
            rearm(a.condition.entity);
            persistUnless(command, a.condition.entity);
            return r;
        }
    }

    private static void enableCondition(ConditionNode c, boolean on, boolean recurse) {
        c.enabled = on;
        if (recurse) {
            for (ActionNode a : c.actions.values()) {
                a.enabled = on;
            }
        }
    }

    private interface Enabler {
        void set(boolean on, boolean recurse);
    }

    /** The common part of the three control calls (under lock); {@code set} may refuse new flags. */
    private int control(String what, Flags.Kind kind, int command, int flags, IntSupplier get, IntConsumer set,
                        Enabler enabler) {
        switch (command) {
            case HamConstants.HENABLE:
            case HamConstants.HDISABLE:
                if ((flags & ~HamConstants.HRECURSE) != 0) {
                    throw new HamException(Errno.EINVAL, String.format(
                            "flags 0x%x are not valid for HENABLE/HDISABLE (only HRECURSE is)", flags & ~HamConstants.HRECURSE));
                }
                boolean on = command == HamConstants.HENABLE;
                boolean recurse = (flags & HamConstants.HRECURSE) != 0;
                enabler.set(on, recurse);
                log.log(2, "control: " + what + (on ? " enabled" : " disabled") + (recurse ? " (recursively)" : ""));
                return 0;
            case HamConstants.HADDFLAGS:
            case HamConstants.HREMOVEFLAGS:
            case HamConstants.HSETFLAGS:
                Flags.check(kind, flags);
                int old = get.getAsInt();
                int next = command == HamConstants.HADDFLAGS ? old | flags
                        : command == HamConstants.HREMOVEFLAGS ? old & ~flags : flags;
                set.accept(next);
                log.log(2, "control: " + what + " flags " + Flags.format(kind, old) + " -> " + Flags.format(kind, next));
                return 0;
            case HamConstants.HGETFLAGS:
                return get.getAsInt();
            default:
                throw new HamException(Errno.EINVAL, "control command " + command + " is not one of HENABLE..HGETFLAGS");
        }
    }

    // ---------------------------------------------------------------- publish (ham_entity_condition_*)

    /**
     * ham_entity_condition_state: the entity reports its next state; its CONDSTATE conditions (and
     * the global entity's) whose filters match (current state, next state) fire, and the next
     * state becomes the current one.
     */
    public void reportState(String ename, int tostate) {
        List<Firing> firings;
        synchronized (lock) {
            checkRunning();
            EntityNode e = requirePublisher(ename);
            int from = e.state;
            e.state = tostate;
            log.log(2, "state: entity '" + e.name + "' " + from + " -> " + tostate);
            firings = collect(e, new Event(CONDSTATE, "state " + from + " -> " + tostate, from, tostate, 0, 0, 0));
            persist(e);
        }
        dispatch(firings);
    }

    /** ham_entity_condition_raise: fires the matching CONDRAISE conditions of the entity and the global entity. */
    public void raise(String ename, int rtype, int rclass, int rseverity) {
        List<Firing> firings;
        synchronized (lock) {
            checkRunning();
            EntityNode e = requirePublisher(ename);
            String what = "raised type " + rtype + " class " + rclass + " severity " + rseverity;
            log.log(2, "raise: entity '" + e.name + "' " + what);
            firings = collect(e, new Event(CONDRAISE, what, 0, 0, rtype, rclass, rseverity));
            persist(e);
        }
        dispatch(firings);
    }

    private EntityNode requirePublisher(String ename) {
        EntityNode e = requireEntityOrGlobal(ename);
        if (e.isGlobal()) {
            throw new HamException(Errno.EINVAL, "the global entity publishes nothing: name a real entity");
        }
        return e;
    }

    /** The effect of heartbeat_healthy: the entity's missed-heartbeat state is reset so monitoring resumes. */
    private void heartbeatHealthy(EntityNode e) {
        e.restoredHeartbeatState = "";
        e.restoredMisses = 0;
        if (heartbeats.healthy(e.name)) {
            log.log(2, "heartbeat state of entity '" + e.name + "' reset to healthy: monitoring resumes");
            record(e);
        } else {
            log.log(2, "heartbeat state of entity '" + e.name + "' reset to healthy (it sends no heartbeats)");
        }
    }

    // ---------------------------------------------------------------- events

    /** A process ended: runs on a watcher thread. Ignored when it is not the current instance. */
    void onDeath(String ename, long generation, ExitStatus status) {
        List<Firing> firings;
        synchronized (lock) {
            EntityNode e = entities.get(ename);
            if (e == null || e.generation != generation || !e.alive || stopping) {
                return;
            }
            firings = died(e, status);
            boolean restartPending = firings.stream().anyMatch(f -> f.subject == e
                    && f.actions.stream().anyMatch(a -> a.spec instanceof ActionSpec.Restart && a.enabled));
            if (!restartPending) {
                diedWithoutRestart(e);
            }
            record(e);
        }
        dispatch(firings);
    }

    /** The death bookkeeping and the death conditions it fires (under lock). */
    private List<Firing> died(EntityNode e, ExitStatus status) {
        e.alive = false;
        heartbeats.unwatch(e.name);
        if (e.type == EntityType.SELFATTACHED && e.watch != null) {
            // It may die by its connection: then its pid watch must not report a second death.
            e.watch.cancel();
        }
        e.watch = null;
        e.armedToken = -1;
        e.lastDeath = clock.instant();
        e.lastExit = status.toString();
        log.log(1, "death: entity '" + e.name + "' pid " + e.pid + " " + status);
        List<Firing> firings = new ArrayList<>();
        if (status.abnormal()) {
            firings.addAll(collect(e, CONDABNORMALDEATH, status.toString()));
        }
        // CONDANY conditions already fired for the abnormal death must not fire, nor count, twice.
        java.util.Set<ConditionNode> fired = new java.util.HashSet<>();
        for (Firing f : firings) {
            fired.add(f.condition);
        }
        firings.addAll(collect(e, Event.of(CONDDEATH, status.toString()), fired));
        return firings;
    }

    /** A child of the HAM ended; its spawner may already have restarted it (an armed restart). */
    private void onExit(String ename, long generation, Child.Exit exit) {
        if (exit.replacement() == null) {
            onDeath(ename, generation, exit.status());
            return;
        }
        List<Firing> firings;
        synchronized (lock) {
            EntityNode e = entities.get(ename);
            ActionNode restart = e == null ? null : restartActionOf(e);
            if (e == null || e.generation != generation || exit.token() != generation || !e.alive || restart == null
                    || stopping) {
                log.log(1, "the spawner restarted '" + ename + "' after it was disarmed: pid "
                        + exit.replacement().pid() + " runs unmonitored");
                exit.replacement().saved();
                return;
            }
            firings = new ArrayList<>();
            // The restart heads its list and is done: the rest of that list runs as usual.
            for (Firing f : died(e, exit.status())) {
                firings.add(f.condition != restart.condition ? f : new Firing(f.condition, f.subject, f.generation,
                        f.event, f.actions.stream().filter(a -> a != restart).collect(java.util.stream.Collectors.toList()),
                        f.fired));
            }
            restart.runs++;
            firings.addAll(installRestart(e, exit.replacement(), ((ActionSpec.Restart) restart.spec).line()));
            record(e);
            exit.replacement().saved();
        }
        dispatch(firings);
    }

    /** The restart action of {@code e} (one at most, under a death condition), or null. */
    private static ActionNode restartActionOf(EntityNode e) {
        for (ConditionNode c : e.conditions.values()) {
            for (ActionNode a : c.actions.values()) {
                if (a.spec instanceof ActionSpec.Restart) {
                    return a;
                }
            }
        }
        return null;
    }

    /**
     * Keeps the spawner armed to restart {@code e} at once when that is what the HAM would do
     * first: the restart action heads its death condition's list, it, its condition and the
     * entity are enabled, the intensity window has room, and the instance is a child of the
     * spawner. Called (under lock) after every change that can alter that.
     */
    private void rearm(EntityNode e) {
        ActionNode restart = restartActionOf(e);
        boolean armable = restart != null && e.enabled && e.alive && e.child != null && !stopping
                && restart.enabled && restart.condition.enabled
                && restart.condition.actions.values().iterator().next() == restart
                && intensityExceeded(e) == null;
        String as = armable ? restart.condition.type + " " + ((ActionSpec.Restart) restart.spec).line() : "";
        if (armable && (e.armedToken != e.generation || !as.equals(e.armedAs))) {
            boolean ok = launcher.armRestart(e.child, e.generation, restart.condition.type == CONDABNORMALDEATH,
                    ((ActionSpec.Restart) restart.spec).argv(), e.name);
            e.armedToken = ok ? e.generation : -1;
            e.armedAs = ok ? as : "";
        } else if (!armable && e.armedToken != -1) {
            if (e.child != null) {
                e.child.disarmRestart();
            }
            e.armedToken = -1;
            e.armedAs = "";
        }
    }

    private void diedWithoutRestart(EntityNode e) {
        switch (RearmPolicy.afterDeath(false, e.flags)) {
            case KEEP_DEAD:
                log.log(1, "entity '" + e.name + "' not restarted; kept (HENTITYKEEPONDEATH)");
                break;
            case REMOVE:
                removeEntity(e, "died and was not restarted");
                break;
            default:
                break;
        }
    }

    private List<Firing> collect(EntityNode e, ConditionType type, String detail) {
        return collect(e, Event.of(type, detail));
    }

    private List<Firing> collect(EntityNode e, Event ev) {
        return collect(e, ev, java.util.Set.of());
    }

    /** Enabled conditions of {@code e} and of the global entity matching {@code ev}, but {@code skip}; counts them. */
    private List<Firing> collect(EntityNode e, Event ev, java.util.Set<ConditionNode> skip) {
        List<Firing> out = new ArrayList<>();
        if (!e.enabled) {
            return out;
        }
        for (EntityNode owner : e == global ? List.of(global) : List.of(e, global)) {
            if (!owner.enabled) {
                continue;
            }
            for (ConditionNode c : owner.conditions.values()) {
                if (c.enabled && !skip.contains(c) && matches(c, ev)) {
                    c.triggers++;
                    List<ActionNode> list = new ArrayList<>(c.actions.values());
                    Views.Fired f = new Views.Fired(e.name, c.name, path(c), c.type, ev.type(), e.pid, clock.instant(),
                            ev.detail());
                    out.add(new Firing(c, e, e.generation, ev.type(), list, f));
                    log.log(2, "condition fired: " + path(c) + " (" + ev.type() + ") for entity '" + e.name + "'");
                    if (owner == global && e != global) {
                        record(global);
                    }
                }
            }
        }
        return out;
    }

    private static boolean matches(ConditionNode c, Event ev) {
        if (!c.type.matches(ev.type())) {
            return false;
        }
        if (c.type == CONDSTATE) {
            return c.stateFilter().matches(ev.fromState(), ev.toState());
        }
        if (c.type == CONDRAISE) {
            return c.raise.matches(ev.rtype(), ev.rclass(), ev.rseverity());
        }
        return true;
    }

    /** Queues the lists first, then tells the listener: recovery never waits for the telling. */
    private void dispatch(List<Firing> firings) {
        for (Firing f : firings) {
            if (!f.actions.isEmpty()) {
                submit(f);
            }
        }
        for (Firing f : firings) {
            listener.fired(f.fired);
        }
    }

    private void submit(Firing f) {
        boolean gone;
        synchronized (lock) {
            gone = f.condition.removed;
        }
        dispatcher.submit(f.condition, f.fired.path(), f.condition.flags, gone, new Run(f));
    }

    // ---------------------------------------------------------------- running action lists (lane threads)

    /** One step of a run: an action of the list, or an item of a failed action's action-fail list. */
    private record Step(ActionNode action, FailNode fail) {
        ActionSpec spec() {
            return fail == null ? action.spec : fail.spec;
        }
    }

    /**
     * One fired list running in its lane: its steps run in order on the lane thread; a waitfor
     * suspends the run (the lane's timer resumes it); a failed action's action-fail list runs
     * right after it, and HACTIONBREAKONFAIL drops the rest of the list.
     */
    private final class Run implements Dispatcher.Job {
        private final Firing f;
        private final ArrayDeque<Step> steps = new ArrayDeque<>();
        private Dispatcher.Lane lane;

        Run(Firing f) {
            this.f = f;
            for (ActionNode a : f.actions) {
                steps.add(new Step(a, null));
            }
        }

        @Override
        public void start(Dispatcher.Lane lane) {
            this.lane = lane;
            proceed();
        }

        /** Runs steps until the list ends (the lane is then told) or a waitfor suspends it. */
        private void proceed() {
            try {
                while (!steps.isEmpty()) {
                    Step s = steps.pollFirst();
                    if (!begin(s, f)) {
                        continue;
                    }
                    if (s.spec() instanceof ActionSpec.Waitfor) {
                        ActionSpec.Waitfor w = (ActionSpec.Waitfor) s.spec();
                        long deadline = System.nanoTime() + w.limitMillis() * 1_000_000L;
                        if (w.path() == null) {
                            lane.later(w.limitMillis(), () -> resume(s, null));
                        } else {
                            lane.later(0, () -> look(s, w, deadline));
                        }
                        return;
                    }
                    String failure = perform(s, f);
                    if (failure != null) {
                        failed(s, failure);
                    }
                }
            } catch (RuntimeException e) {
                log.log(1, "action list of " + f.fired.path() + " stopped by an internal error: " + e);
            }
            lane.finished();
        }

        /** A waitfor with a path: looks for it now, then again every poll until the deadline. */
        private void look(Step s, ActionSpec.Waitfor w, long deadline) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            boolean present;
            try {
                present = runtime.waitPathPresent(w.path(), Math.max(1, Math.min(left, 2 * WAIT_POLL_MILLIS)));
            } catch (RuntimeException e) {
                present = false;
            }
            left = (deadline - System.nanoTime()) / 1_000_000L;
            if (present) {
                resume(s, null);
            } else if (left <= 0) {
                resume(s, "'" + w.path() + "' did not appear within " + w.limitMillis() + " ms");
            } else {
                lane.later(Math.min(left, WAIT_POLL_MILLIS), () -> look(s, w, deadline));
            }
        }

        private void resume(Step s, String failure) {
            try {
                if (failure != null) {
                    failed(s, failure);
                }
            } catch (RuntimeException e) {
                log.log(1, "action list of " + f.fired.path() + " met an internal error: " + e);
            }
            proceed();
        }

        private void failed(Step s, String failure) {
            if (s.fail != null) {
                synchronized (lock) {
                    s.fail.failures++;
                    record(s.action.condition.entity);
                }
                log.log(2, "action-fail item failed: " + path(s.action) + "/" + s.fail.name + ": " + failure);
                return;
            }
            List<FailNode> failList;
            synchronized (lock) {
                failList = new ArrayList<>(s.action.fails.values());
            }
            if (actionFailed(s.action, f, failure)) {
                steps.removeIf(x -> x.fail == null);
            }
            for (int i = failList.size() - 1; i >= 0; i--) {
                steps.addFirst(new Step(s.action, failList.get(i)));
            }
        }
    }

    /** Whether the step still runs (not removed or disabled meanwhile); counts the run. */
    private boolean begin(Step s, Firing f) {
        synchronized (lock) {
            if (s.fail != null) {
                if (s.fail.removed) {
                    return false;
                }
                s.fail.runs++;
                record(s.action.condition.entity);
                log.log(3, "action-fail item: " + path(s.action) + "/" + s.fail.name + " " + s.fail.spec.typeName()
                        + " for entity '" + f.subject.name + "'");
                return true;
            }
            ActionNode a = s.action;
            if (a.cancelled || !a.enabled) {
                return false;
            }
            a.runs++;
            record(a.condition.entity);
            log.log(3, "action: " + path(a) + " " + a.spec.typeName() + " for entity '" + f.subject.name + "'");
            return true;
        }
    }

    /** Runs one (non-waitfor) step; returns null on success or the reason it failed. */
    private String perform(Step s, Firing f) {
        ActionSpec spec = s.spec();
        String actionPath = path(s.action) + (s.fail == null ? "" : "/" + s.fail.name);
        try {
            if (spec instanceof ActionSpec.Log) {
                ActionSpec.Log l = (ActionSpec.Log) spec;
                log.log(Math.max(1, l.verbosity()), l.attachPrefix() ? actionPath + ": " + l.message() : l.message());
            } else if (spec instanceof ActionSpec.Execute) {
                launcher.start(((ActionSpec.Execute) spec).argv(), f.subject.name + ".exec");
            } else if (spec instanceof ActionSpec.Restart) {
                return restart(f, (ActionSpec.Restart) spec);
            } else if (spec instanceof ActionSpec.NotifyPulse) {
                runtime.pulse((ActionSpec.NotifyPulse) spec, actionPath, f.fired);
            } else if (spec instanceof ActionSpec.NotifySignal) {
                runtime.signal((ActionSpec.NotifySignal) spec, actionPath, f.fired);
            } else if (spec instanceof ActionSpec.HeartbeatHealthy) {
                synchronized (lock) {
                    heartbeatHealthy(f.subject);
                }
            } else if (spec instanceof ActionSpec.Custom) {
                Views.Fired x = f.fired;
                ((ActionSpec.Custom) spec).action().run(new ActionEvent(x.entityName(), x.path(), actionPath,
                        x.event().name(), x.entityPid(), x.time(), x.detail()));
            } else {
                return "unknown action type " + spec.typeName();
            }
            return null;
        } catch (HamException e) {
            return e.getMessage();
        } catch (Exception e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /** @return true when the rest of the list must not run (HACTIONBREAKONFAIL) */
    private boolean actionFailed(ActionNode a, Firing f, String failure) {
        synchronized (lock) {
            a.failures++;
            log.log(2, "action failed: " + path(a) + ": " + failure);
            if (!a.cancelled && !RearmPolicy.keepActionAfterFailure(a.flags)) {
                removeActionNode(a, "failed", true);
                rearm(a.condition.entity);
            }
            if (a.spec instanceof ActionSpec.Restart) {
                EntityNode e = entities.get(f.subject.name);
                if (e == f.subject && e.generation == f.generation && !e.alive) {
                    diedWithoutRestart(e);
                }
            }
            record(a.condition.entity);
        }
        return (a.flags & HamConstants.HACTIONBREAKONFAIL) != 0;
    }

    private String restart(Firing f, ActionSpec.Restart spec) {
        EntityNode e = f.subject;
        synchronized (lock) {
            if (entities.get(e.name) != e || e.generation != f.generation || e.alive) {
                return "entity '" + e.name + "' was detached or already restarted";
            }
            String limit = intensityExceeded(e);
            if (limit != null) {
                return limit;
            }
        }
        Child child = launcher.startEntity(spec.argv(), e.name);
        List<Firing> firings;
        synchronized (lock) {
            if (entities.get(e.name) != e || e.generation != f.generation) {
                log.log(1, "entity '" + e.name + "' went away during its restart; new pid " + child.pid() + " is not monitored");
                child.saved(); // no saved state names it: a HAM taking over would not start another
                return null;
            }
            firings = installRestart(e, child, spec.line());
            record(e);
            child.saved();
        }
        dispatch(firings);
        return null;
    }

    /** A new instance replaces a dead one: stats, pruning, arming; returns the CONDRESTART firings (under lock). */
    private List<Firing> installRestart(EntityNode e, Child child, String line) {
        Instant now = clock.instant();
        long oldPid = e.pid;
        e.generation++;
        e.alive = true;
        e.pid = child.pid();
        e.startTime = childStartTime(child);
        e.child = child;
        e.awaitingReattach = false;
        // Until it attaches itself again (a restarted JVM with the agent does), it is a plain child.
        e.type = EntityType.STARTED;
        e.connectionId = "";
        e.startLine = line;
        e.restarted = now;
        e.numRestarts++;
        e.recentRestarts.addLast(now);
        e.watch = watchChild(e, child);
        log.log(1, "restarted: entity '" + e.name + "' pid " + oldPid + " -> " + e.pid + " (restart " + e.numRestarts + ")");
        prune(e);
        rearm(e);
        return collect(e, CONDRESTART, "restarted as pid " + e.pid);
    }

    private String intensityExceeded(EntityNode e) {
        if (config.restartMax() == 0) {
            return null;
        }
        Instant since = clock.instant().minus(config.restartWindow());
        while (!e.recentRestarts.isEmpty() && e.recentRestarts.peekFirst().isBefore(since)) {
            e.recentRestarts.removeFirst();
        }
        if (e.recentRestarts.size() >= config.restartMax()) {
            return "restart intensity exceeded: " + e.recentRestarts.size() + " restarts of '" + e.name
                    + "' within " + config.restartWindow().toSeconds() + " s";
        }
        return null;
    }

    /** After a restart: conditions and actions without HREARMAFTERRESTART go. */
    private void prune(EntityNode e) {
        for (ConditionNode c : new ArrayList<>(e.conditions.values())) {
            if (!RearmPolicy.keepConditionAfterRestart(c.flags)) {
                removeConditionNode(c, "pruned after restart (no HREARMAFTERRESTART)", false);
                continue;
            }
            for (ActionNode a : new ArrayList<>(c.actions.values())) {
                if (!RearmPolicy.keepActionAfterRestart(c.flags, a.flags)) {
                    removeActionNode(a, "pruned after restart (no HREARMAFTERRESTART)", true);
                }
            }
        }
    }

    private ProcessWatcher.Watch watchChild(EntityNode e, Child child) {
        long gen = e.generation;
        String name = e.name;
        return child.onExit(exit -> onExit(name, gen, exit));
    }

    // ---------------------------------------------------------------- removal (under lock)

    private void removeEntity(EntityNode e, String why) {
        if (e.armedToken != -1 && e.child != null) {
            e.child.disarmRestart();
            e.armedToken = -1;
        }
        if (e.watch != null) {
            e.watch.cancel();
            e.watch = null;
        }
        heartbeats.unwatch(e.name);
        e.generation++;
        // Not cancelled: the death or detach lists already queued for this entity still run.
        for (ConditionNode c : new ArrayList<>(e.conditions.values())) {
            removeConditionNode(c, null, false);
        }
        entities.remove(e.name);
        listener.entityRemoved(e.name);
        stateLog.entityRemoved(e.name);
        log.log(1, "entity '" + e.name + "' removed: " + why);
    }

    /**
     * @param cancel removed by a caller: its actions queued in running lists no longer run (a
     *               condition removed by the HAM itself lets them finish)
     */
    private void removeConditionNode(ConditionNode c, String why, boolean cancel) {
        for (ActionNode a : new ArrayList<>(c.actions.values())) {
            a.cancelled = cancel;
            c.actions.remove(a.name);
            listener.actionRemoved(c.entity.name, c.name, a.name);
        }
        c.entity.conditions.remove(c.name);
        c.removed = true;
        dispatcher.conditionRemoved(c);
        listener.conditionRemoved(c.entity.name, c.name);
        if (why != null) {
            log.log(2, "condition " + path(c) + " removed: " + why);
        }
    }

    /**
     * @param automatic removed by the HAM (failure, pruning) rather than by a caller: an emptied
     *                  condition then goes too unless HCONDKEEPONEMPTY; a pruned action still
     *                  finishes the list it is running in
     */
    private void removeActionNode(ActionNode a, String why, boolean automatic) {
        ConditionNode c = a.condition;
        if (c.actions.remove(a.name) == null) {
            return;
        }
        a.cancelled = !automatic;
        listener.actionRemoved(c.entity.name, c.name, a.name);
        log.log(2, "action " + path(a) + " removed: " + why);
        if (automatic && c.actions.isEmpty() && c.entity.conditions.get(c.name) == c
                && !RearmPolicy.keepConditionWhenEmptied(c.flags)) {
            removeConditionNode(c, "its last action was removed", false);
        }
    }

    // ---------------------------------------------------------------- look-ups and views

    public Views.HamView ham() {
        synchronized (lock) {
            int conds = global.conditions.size();
            int acts = countActions(global);
            for (EntityNode e : entities.values()) {
                conds += e.conditions.size();
                acts += countActions(e);
            }
            return new Views.HamView(hamPid, guardianPid, hamFailures, guardianFailures, entities.size(), conds, acts);
        }
    }

    private static int countActions(EntityNode e) {
        int n = 0;
        for (ConditionNode c : e.conditions.values()) {
            n += c.actions.size();
        }
        return n;
    }

    public List<String> entityNames() {
        synchronized (lock) {
            return List.copyOf(entities.keySet());
        }
    }

    /** The entity view; null, "" or "/" name the global entity; ENOENT when absent. */
    public Views.EntityView entity(String ename) {
        synchronized (lock) {
            return entityView(requireEntityOrGlobal(ename));
        }
    }

    public Views.ConditionView condition(String ename, String cname) {
        synchronized (lock) {
            return conditionView(requireCondition(ename, cname));
        }
    }

    public Views.ActionView action(String ename, String cname, String aname) {
        synchronized (lock) {
            return actionView(requireAction(ename, cname, aname));
        }
    }

    private EntityNode requireEntity(String ename) {
        EntityNode e = entities.get(ename);
        if (e == null) {
            throw new HamException(Errno.ENOENT, "no entity '" + ename + "'");
        }
        return e;
    }

    private EntityNode requireEntityOrGlobal(String ename) {
        if (ename == null || ename.isEmpty() || isGlobalName(ename)) {
            return global;
        }
        Names.check("entity", ename);
        return requireEntity(ename);
    }

    private ConditionNode requireCondition(String ename, String cname) {
        Names.check("condition", cname);
        EntityNode e = requireEntityOrGlobal(ename);
        Names.checkPath(pathName(e), cname);
        ConditionNode c = e.conditions.get(cname);
        if (c == null) {
            throw new HamException(Errno.ENOENT, "no condition '" + cname + "' in entity '" + e.name + "'");
        }
        return c;
    }

    private ActionNode requireAction(String ename, String cname, String aname) {
        Names.check("action", aname);
        ConditionNode c = requireCondition(ename, cname);
        Names.checkPath(pathName(c.entity), cname, aname);
        ActionNode a = c.actions.get(aname);
        if (a == null) {
            throw new HamException(Errno.ENOENT, "no action '" + aname + "' in " + path(c));
        }
        return a;
    }

    private static boolean isGlobalName(String ename) {
        return org.jham.mbean.ObjectNames.GLOBAL_ENTITY.equals(ename);
    }

    private void checkRunning() {
        if (stopping) {
            throw new HamException(Errno.EBUSY, "the HAM is stopping");
        }
    }

    /** The entity part of a path: the global entity's conditions read "/death". */
    private static String pathName(EntityNode e) {
        return e.isGlobal() ? "" : e.name;
    }

    private static String path(ConditionNode c) {
        return pathName(c.entity) + "/" + c.name;
    }

    private static String path(ActionNode a) {
        return path(a.condition) + "/" + a.name;
    }

    private Views.EntityView entityView(EntityNode e) {
        return new Views.EntityView(e.name, e.isGlobal() ? "/" : e.name, e.pid, e.type, e.flags, e.enabled, e.alive,
                e.created, e.lastDeath, e.restarted, e.numRestarts, e.lastExit, e.startLine,
                List.copyOf(e.conditions.keySet()), e.state, heartbeatView(e));
    }

    private Views.Heartbeat heartbeatView(EntityNode e) {
        if (e.type != EntityType.SELFATTACHED && e.hpNanos == 0) {
            return Views.Heartbeat.NONE;
        }
        HeartbeatMonitor.View v = heartbeats.view(e.name);
        return v == null ? new Views.Heartbeat(e.hpNanos, e.hpdl, e.hpdh, null, e.hpNanos > 0 ? "STOPPED" : "", 0, 0)
                : new Views.Heartbeat(e.hpNanos, e.hpdl, e.hpdh, v.lastBeat(), v.state().name(), v.misses(), v.beats());
    }

    private Views.ConditionView conditionView(ConditionNode c) {
        return new Views.ConditionView(c.entity.name, c.name, path(c), c.entity.pid, c.type, c.flags, c.enabled,
                c.triggers, List.copyOf(c.actions.keySet()), c.filter());
    }

    private Views.ActionView actionView(ActionNode a) {
        return new Views.ActionView(a.condition.entity.name, a.condition.name, a.name, path(a), a.condition.entity.pid,
                a.spec, a.flags, a.enabled, a.runs, a.failures, a.fails.values().stream()
                        .map(x -> new Views.FailView(x.name, x.spec, x.runs, x.failures)).toList());
    }

    // ---------------------------------------------------------------- state images (under lock)

    /** Where the state goes as it changes; set before the engine takes calls. */
    public void setStateLog(StateLog stateLog) {
        this.stateLog = stateLog;
    }

    /** Writes the entity's image, unless it is gone (a removal was written instead). */
    private void persist(EntityNode e) {
        if (e != global && entities.get(e.name) != e) {
            return;
        }
        try {
            stateLog.entity(image(e));
        } catch (RuntimeException ex) {
            log.log(1, "STATE NOT SAVED for entity '" + e.name + "': " + ex);
            throw new HamException(Errno.EIO, "the state of entity '" + e.name + "' could not be saved: " + ex, ex);
        }
    }

    /**
     * Writes the image after a change the HAM made by itself (a death, a restart, an action run):
     * a journal that cannot be written is reported, but never stops a recovery under way.
     */
    private void record(EntityNode e) {
        try {
            persist(e);
        } catch (HamException ex) {
            // persist logged it
        }
    }

    /** HGETFLAGS changes nothing: nothing to write. */
    private void persistUnless(int command, EntityNode e) {
        if (command != HamConstants.HGETFLAGS) {
            persist(e);
        }
    }

    private static long childStartTime(Child child) {
        return ProcStat.liveStartTime(child.pid()).orElse(0);
    }

    private Image.Entity image(EntityNode e) {
        HeartbeatMonitor.View hb = heartbeats.view(e.name);
        List<Image.Condition> conds = new ArrayList<>(e.conditions.size());
        for (ConditionNode c : e.conditions.values()) {
            List<Image.Action> acts = new ArrayList<>(c.actions.size());
            for (ActionNode a : c.actions.values()) {
                List<Image.Fail> fails = new ArrayList<>(a.fails.size());
                for (FailNode f : a.fails.values()) {
                    fails.add(new Image.Fail(f.name, specImage(f.spec), f.runs, f.failures));
                }
                acts.add(new Image.Action(a.name, specImage(a.spec), a.flags, a.enabled, a.runs, a.failures, fails));
            }
            Subscriptions.RaiseFilter r = c.raise;
            conds.add(new Image.Condition(c.name, c.type, c.flags, c.enabled, c.triggers, c.fromState, c.toState,
                    r == null ? 0 : r.type(), r == null ? 0 : r.rclass(), r == null ? 0 : r.severity(), acts));
        }
        return new Image.Entity(e.name, e.type, e.flags, e.enabled, e.alive, e.pid, e.startTime, e.startLine,
                e.created, e.lastDeath, e.restarted, e.numRestarts, e.lastExit, List.copyOf(e.recentRestarts), e.state,
                e.hpNanos, e.hpdl, e.hpdh, hb != null ? hb.state().name() : e.restoredHeartbeatState,
                hb != null ? hb.misses() : e.restoredMisses, conds);
    }

    static Image.Spec specImage(ActionSpec spec) {
        if (spec instanceof ActionSpec.Restart r) {
            return new Image.Spec("restart", List.of(r.line()));
        } else if (spec instanceof ActionSpec.Execute x) {
            return new Image.Spec("execute", List.of(x.line()));
        } else if (spec instanceof ActionSpec.Waitfor w) {
            return new Image.Spec("waitfor", List.of(w.path() == null ? "" : w.path(), Integer.toString(w.delayMillis())));
        } else if (spec instanceof ActionSpec.NotifyPulse n) {
            return new Image.Spec("notify_pulse", List.of(n.node(), Long.toString(n.pid()), Integer.toString(n.chid()),
                    Integer.toString(n.code()), Integer.toString(n.value())));
        } else if (spec instanceof ActionSpec.NotifySignal n) {
            return new Image.Spec("notify_signal", List.of(n.node(), Long.toString(n.pid()),
                    Integer.toString(n.signum()), Integer.toString(n.code()), Integer.toString(n.value())));
        } else if (spec instanceof ActionSpec.HeartbeatHealthy) {
            return new Image.Spec("heartbeat_healthy", List.of());
        } else if (spec instanceof ActionSpec.Log l) {
            return new Image.Spec("log", List.of(l.message(), Boolean.toString(l.attachPrefix()),
                    Integer.toString(l.verbosity())));
        } else if (spec instanceof ActionSpec.Custom c) {
            return new Image.Spec("custom", List.of(c.type(), c.args()));
        }
        throw new IllegalArgumentException("no image for action type " + spec.typeName());
    }

    /** The action an image describes; a plugin action whose plugin is gone fails each time it runs. */
    private ActionSpec spec(Image.Spec s) {
        List<String> a = s.args();
        switch (s.kind()) {
            case "restart":
                return ActionSpec.restart(a.get(0));
            case "execute":
                return ActionSpec.execute(a.get(0));
            case "waitfor":
                return ActionSpec.waitfor(a.get(0), Integer.parseInt(a.get(1)));
            case "notify_pulse":
                return ActionSpec.notifyPulse(a.get(0), Long.parseLong(a.get(1)), Integer.parseInt(a.get(2)),
                        Integer.parseInt(a.get(3)), Integer.parseInt(a.get(4)));
            case "notify_signal":
                return ActionSpec.notifySignal(a.get(0), Long.parseLong(a.get(1)), Integer.parseInt(a.get(2)),
                        Integer.parseInt(a.get(3)), Integer.parseInt(a.get(4)));
            case "heartbeat_healthy":
                return new ActionSpec.HeartbeatHealthy();
            case "log":
                return ActionSpec.log(a.get(0), Boolean.parseBoolean(a.get(1)), Integer.parseInt(a.get(2)));
            case "custom":
                try {
                    return customSpec(a.get(0), a.get(1));
                } catch (RuntimeException ex) {
                    String why = "plugin action " + a.get(0) + " is not available after the restore: " + ex.getMessage();
                    log.log(1, why);
                    return new ActionSpec.Custom(a.get(0), a.get(1), new org.jham.spi.PluginAction() {
                        public String describe() {
                            return a.get(1) + " (plugin not loaded)";
                        }

                        public void run(ActionEvent event) {
                            throw new IllegalStateException(why);
                        }
                    });
                }
            default:
                throw new IllegalArgumentException("unknown action kind '" + s.kind() + "' in the saved state");
        }
    }

    private Image.Ham hamImage() {
        return new Image.Ham(log.verbosity(), hamFailures, guardianFailures);
    }

    /** The verbosity changed (ham_verbose): it is part of the saved state. EIO when it cannot be saved. */
    public void hamChanged() {
        synchronized (lock) {
            try {
                stateLog.ham(hamImage());
            } catch (RuntimeException ex) {
                log.log(1, "STATE NOT SAVED for the HAM: " + ex);
                throw new HamException(Errno.EIO, "the HAM's state could not be saved: " + ex, ex);
            }
        }
    }

    /** The failure counters changed: saved if it can be (reported otherwise, nothing stops). */
    private void recordHam() {
        try {
            stateLog.ham(hamImage());
        } catch (RuntimeException ex) {
            log.log(1, "STATE NOT SAVED for the HAM: " + ex);
        }
    }

    /**
     * Rebuilds the tree from saved images (before the HAM serves): MBeans appear as for new
     * entities, and every entity that was alive is watched again by its pid and process start
     * time. A process that died meanwhile (or whose pid was reused) is found dead by the first
     * liveness sweep and goes through the usual death handling: conditions, restart, removal.
     * Self-attached entities wait for their clients to attach themselves again; their missed
     * heartbeats are not counted for {@link #REATTACH_GRACE_NANOS}.
     */
    public void restore(Image.Ham ham, List<Image.Entity> images) {
        synchronized (lock) {
            hamFailures = ham.hamFailures();
            guardianFailures = ham.guardianFailures();
            log.setVerbosity(ham.verbosity());
            for (Image.Entity im : images) {
                boolean isGlobal = im.type() == EntityType.GLOBAL;
                EntityNode e = isGlobal ? global : new EntityNode(im.name(), im.type(), im.flags(), im.created());
                if (!isGlobal) {
                    entities.put(e.name, e);
                    listener.entityAdded(e.name);
                }
                e.created = im.created();
                e.flags = im.flags();
                e.enabled = im.enabled();
                e.alive = im.alive();
                e.pid = im.pid();
                e.startTime = im.startTime();
                e.startLine = im.startLine();
                e.lastDeath = im.lastDeath();
                e.restarted = im.restarted();
                e.numRestarts = im.numRestarts();
                e.lastExit = im.lastExit();
                e.recentRestarts.addAll(im.recentRestarts());
                e.state = im.state();
                e.hpNanos = im.hpNanos();
                e.hpdl = im.hpdl();
                e.hpdh = im.hpdh();
                e.restoredHeartbeatState = im.heartbeatState();
                e.restoredMisses = im.misses();
                for (Image.Condition ci : im.conditions()) {
                    ConditionNode c = new ConditionNode(e, ci.name(), ci.type(), ci.flags());
                    c.enabled = ci.enabled();
                    c.triggers = ci.triggers();
                    c.fromState = ci.fromState();
                    c.toState = ci.toState();
                    c.raise = new Subscriptions.RaiseFilter(ci.rtype(), ci.rclass(), ci.rseverity());
                    e.conditions.put(c.name, c);
                    listener.conditionAdded(e.name, c.name);
                    for (Image.Action ai : ci.actions()) {
                        ActionNode a = new ActionNode(c, ai.name(), spec(ai.spec()), ai.flags());
                        a.enabled = ai.enabled();
                        a.runs = ai.runs();
                        a.failures = ai.failures();
                        for (Image.Fail fi : ai.fails()) {
                            FailNode f = new FailNode(fi.name(), spec(fi.spec()));
                            f.runs = fi.runs();
                            f.failures = fi.failures();
                            a.fails.put(f.name, f);
                        }
                        c.actions.put(a.name, a);
                        listener.actionAdded(e.name, c.name, a.name);
                    }
                }
                if (!isGlobal && e.alive && e.pid > 0) {
                    adopt(e);
                }
            }
            log.log(1, "state restored: " + entities.size() + " entities; HAM failures " + hamFailures
                    + ", Guardian failures " + guardianFailures);
        }
    }

    /** Watches a restored entity's process again (under lock). */
    private void adopt(EntityNode e) {
        e.generation++;
        long gen = e.generation;
        String name = e.name;
        e.watch = watcher.watchPid(e.pid, e.startTime, st -> onDeath(name, gen, st));
        if (e.type == EntityType.SELFATTACHED) {
            e.awaitingReattach = true;
            if (e.hpNanos > 0) {
                heartbeats.restore(name, gen, e.hpNanos, e.hpdl, e.hpdh, e.restoredHeartbeatState, e.restoredMisses,
                        REATTACH_GRACE_NANOS);
            }
        }
        log.log(1, "adopted: entity '" + name + "' pid " + e.pid
                + (ProcStat.isSameLiveProcess(e.pid, e.startTime) ? "" : " (gone: its death is handled now)"));
    }

    /** This HAM took over from one that died (the Guardian became the HAM): counted in Ham Failures. */
    public void tookOver() {
        synchronized (lock) {
            hamFailures++;
            recordHam();
            log.log(1, "took over as the HAM (HAM failures " + hamFailures + ")");
        }
    }

    /** The Guardian died and a new one was started: counted in Guardian Failures. */
    public void guardianFailed(long newPid) {
        synchronized (lock) {
            guardianFailures++;
            guardianPid = newPid;
            recordHam();
            log.log(1, "the Guardian died; new Guardian pid " + newPid + " (Guardian failures " + guardianFailures + ")");
        }
    }

    // ---------------------------------------------------------------- HAM-level state

    public int verbosity() {
        return log.verbosity();
    }

    public ActivityLog activityLog() {
        return log;
    }

    /** Lane threads in use now: at most (independent conditions + 2), as the guide says. */
    public int laneCount() {
        return dispatcher.laneCount();
    }

    /** Recorded by the Guardian hook: the pid of the current Guardian, 0 when none runs. */
    public void guardianStarted(long pid) {
        this.guardianPid = pid;
    }

    /**
     * Stops the engine: no more events are taken; graceful lets running action lists finish
     * within the configured grace, abrupt cancels them. Monitored processes keep running.
     */
    public void shutdown(boolean abrupt) {
        synchronized (lock) {
            if (stopping) {
                return;
            }
            stopping = true;
            for (EntityNode e : entities.values()) {
                // A stopped HAM restarts nothing: its monitored processes just keep running.
                rearm(e);
                if (e.watch != null) {
                    e.watch.cancel();
                    e.watch = null;
                }
            }
        }
        heartbeats.close();
        log.log(1, "HAM stopping (" + (abrupt ? "abrupt" : "graceful") + ")");
        dispatcher.shutdown(abrupt, config.stopGrace().toMillis());
    }
}
