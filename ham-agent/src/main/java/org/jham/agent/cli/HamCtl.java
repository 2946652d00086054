package org.jham.agent.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jham.ActionHandle;
import org.jham.ConditionHandle;
import org.jham.ConditionType;
import org.jham.EntityHandle;
import org.jham.Errno;
import org.jham.Flags;
import org.jham.Ham;
import org.jham.HamConnection;
import org.jham.HamConstants;
import org.jham.HamException;
import org.jham.agent.monitor.AgentLoader;
import org.jham.agent.process.SignalNames;
import org.jham.mbean.ActionMXBean;
import org.jham.mbean.ConditionMXBean;
import org.jham.mbean.EntityMXBean;
import org.jham.mbean.HamMXBean;
import org.jham.mbean.ObjectNames;

/**
 * {@code hamctrl}: the guide's control utility ({@code -stop}, {@code -verbose}, {@code +verbose},
 * {@code =verbose}, {@code -node NAME}) plus {@code ls}/{@code cat} over the {@code /proc/ham}-style
 * tree and a command for each {@code ham_*} call that makes sense from a shell (docs/api-mapping.md
 * lists them): entities, conditions, every action type, action-fail lists, publish/subscribe and
 * control. Built on the client library, so it fails exactly as a Java client does. Exit status: 0
 * done, 1 the HAM refused (errno printed), 2 bad usage. Not thread-safe: one instance per run.
 */
public final class HamCtl {
    private final PrintStream out;
    private final PrintStream err;

    public HamCtl(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * JMXMP's client logs, through java.util.logging, its failed attempts to re-open a connection
     * that the HAM closed (e.g. after -stop). hamctrl reports every failure as an errno itself, so
     * that chatter is switched off here (held in a field: JUL keeps loggers weakly).
     */
    private static final java.util.logging.Logger JMXMP_CLIENT_LOG =
            java.util.logging.Logger.getLogger("javax.management.remote.misc");

    public static void main(String[] args) {
        JMXMP_CLIENT_LOG.setLevel(java.util.logging.Level.OFF);
        System.exit(new HamCtl(System.out, System.err).run(args));
    }

    static final String USAGE = String.join("\n",
            "usage: hamctrl [-node NODE] COMMAND",
            "  -stop [-abrupt]                 stop the Guardian, then the HAM (monitored processes keep running)",
            "  -verbose | +verbose | =verbose  increase / decrease / print the verbosity",
            "  ls [PATH]                       list a level of the tree (entities, conditions, actions)",
            "  cat PATH                        print the .info of PATH (\".info\" or \"\" is the top level)",
            "  dump                            print the .info of every level, the whole tree",
            "  log [N]                         print the last N (default 20) activity-log lines",
            "entities:",
            "  attach ENAME PID [FLAGS]        monitor a running process",
            "  start ENAME LINE [FLAGS]        start LINE (full path) and monitor it (ham_attach with pid -1)",
            "  entity ENAME [FLAGS]            create a placeholder entity",
            "  detach ENAME                    stop monitoring an entity (CONDDETACH fires)",
            "  state ENAME TOSTATE [FLAGS]     the entity reports its next state (ham_entity_condition_state)",
            "  raise ENAME TYPE CLASS SEVERITY [FLAGS]  the entity raises a condition (ham_entity_condition_raise)",
            "  attach-jvm PID ENAME [OPTION...]  load the agent into a running JVM, which attaches itself as ENAME",
            "                                  (ham_attach_self); OPTIONs as after -javaagent:ham-agent.jar=entity=ENAME,",
            "                                  e.g. hb=100 low=3 high=5 beat=agent|app restart=yes detect=deadlock+memory",
            "                                  memory=90 detach-on-exit=yes (node= defaults to -node's HAM)",
            "conditions (ENAME \"/\" = the global entity):",
            "  condition ENAME TYPE CNAME [FLAGS]                     ham_condition",
            "  condition-state ENAME CNAME FROM TO [FLAGS]            ham_condition_state (FROM, TO: state, bitmap or ANY)",
            "  condition-raise ENAME CNAME TYPE CLASS SEVERITY [FLAGS]  ham_condition_raise (each a number or ANY)",
            "actions (CPATH = ENAME/CNAME):",
            "  restart CPATH ANAME LINE [FLAGS]",
            "  execute CPATH ANAME LINE [FLAGS]",
            "  logaction CPATH ANAME MSG [VERBOSITY [PREFIX [FLAGS]]]",
            "  waitfor CPATH ANAME DELAY_MS [WPATH|- [FLAGS]]         WPATH: /file, an ObjectName or tcp:host:port; - = none",
            "  pulse CPATH ANAME PID CHID CODE VALUE [FLAGS] [-to NODE]   notify a pulse to channel PID/CHID on NODE",
            "  signal CPATH ANAME PID SIGNAL CODE VALUE [FLAGS] [-to NODE]  SIGNAL: number or name (SIGUSR1, SIGRTMIN+1)",
            "  healthy CPATH ANAME [FLAGS]                            ham_action_heartbeat_healthy",
            "  custom CPATH ANAME TYPE ARGS [FLAGS]                   a plugin action",
            "action-fail lists (APATH = ENAME/CNAME/ANAME):",
            "  fail APATH execute ITEM LINE [FLAGS]",
            "  fail APATH waitfor ITEM DELAY_MS [WPATH|- [FLAGS]]",
            "  fail APATH pulse ITEM PID CHID CODE VALUE [FLAGS] [-to NODE]",
            "  fail APATH signal ITEM PID SIGNAL CODE VALUE [FLAGS] [-to NODE]",
            "  fail APATH log ITEM MSG [VERBOSITY [PREFIX [FLAGS]]]",
            "  fail APATH custom ITEM TYPE ARGS [FLAGS]",
            "  fail-rm APATH ITEM [FLAGS]      ham_action_fail_remove",
            "control (PATH of an entity, condition or action; \"/\" or \"\" = the global entity):",
            "  enable PATH [-r] | disable PATH [-r]   HENABLE / HDISABLE (-r: HRECURSE)",
            "  flags PATH [add|remove|set FLAGS]      print the flags (HGETFLAGS), or change them",
            "  control PATH COMMAND [FLAGS]           any ham_*_control command; prints what it returns",
            "  rm PATH                         remove a condition (ENAME/CNAME) or an action (ENAME/CNAME/ANAME)",
            "PATH: ENAME, ENAME/CNAME, ENAME/CNAME/ANAME, optionally ending in /.info; a leading / names the global entity.",
            "FLAGS, TYPE and COMMAND: numbers or names, e.g. HREARMAFTERRESTART|HCONDNOWAIT, CONDDEATH, HGETFLAGS.",
            "NODE: host[:port] or service:jmx:jmxmp://host:port (default: $JHAM_NODE or 127.0.0.1:7770).",
            "Exit status: 0 done, 1 the HAM refused (errno printed), 2 bad usage.");

    public int run(String... argv) {
        List<String> args = new ArrayList<>(Arrays.asList(argv));
        String node = null;
        if (args.size() >= 2 && args.get(0).equals("-node")) {
            node = args.get(1);
            args = args.subList(2, args.size());
        }
        if (args.isEmpty() || args.get(0).equals("-h") || args.get(0).equals("--help") || args.get(0).equals("-?")) {
            (args.isEmpty() ? err : out).println(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        String cmd = args.get(0);
        List<String> rest = args.subList(1, args.size());
        try {
            return dispatch(node, cmd, rest);
        } catch (HamException e) {
            err.println("hamctrl: " + e.getMessage());
            return 1;
        } catch (UsageException e) {
            err.println("hamctrl: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
    }

    private static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String m) {
            super(m);
        }
    }

    private int dispatch(String node, String cmd, List<String> a) {
        switch (cmd) {
            case "-stop":
                expect(a, 0, 1);
                Ham.stop(node, !a.isEmpty() && a.get(0).equals("-abrupt"));
                out.println("HAM stopped");
                return 0;
            case "-verbose":
                out.println(Ham.verbose(node, HamConstants.VERBOSE_SET_INCR, 1));
                return 0;
            case "+verbose":
                out.println(Ham.verbose(node, HamConstants.VERBOSE_SET_DECR, 1));
                return 0;
            case "=verbose":
                out.println(Ham.verbose(node, HamConstants.VERBOSE_GET, 0));
                return 0;
            case "attach":
                expect(a, 2, 3);
                Ham.attach(a.get(0), node, parsePid(a.get(1)), null, flags(Flags.Kind.ENTITY, a, 2)).free();
                return 0;
            case "start":
                expect(a, 2, 3);
                Ham.attach(a.get(0), node, HamConstants.PID_START, a.get(1), flags(Flags.Kind.ENTITY, a, 2)).free();
                return 0;
            case "entity":
                expect(a, 1, 2);
                Ham.entity(a.get(0), node, flags(Flags.Kind.ENTITY, a, 1)).free();
                return 0;
            case "detach":
                expect(a, 1, 1);
                Ham.detachName(node, a.get(0), 0);
                return 0;
            case "attach-jvm": {
                if (a.size() < 2) {
                    throw new UsageException("attach-jvm needs PID and ENAME");
                }
                long pid = parsePid(a.get(0));
                String args = AgentLoader.agentArgs(a.get(1), node, a.subList(2, a.size()));
                out.println("JVM " + pid + " " + AgentLoader.load(pid, args, AgentLoader.DEFAULT_WAIT));
                return 0;
            }
            default:
                Integer min = MIN_ARGS.get(cmd);
                if (min == null) {
                    throw new UsageException("unknown command '" + cmd + "'");
                }
                if (a.size() < min) {
                    throw new UsageException(cmd + " needs at least " + min + " argument" + (min == 1 ? "" : "s"));
                }
                return connected(node, cmd, a);
        }
    }

    /**
     * The fewest arguments of each command that connects first: checked before connecting, so a
     * usage mistake is told as one (exit 2) even when no HAM runs. Each command checks the rest.
     */
    private static final Map<String, Integer> MIN_ARGS = Map.ofEntries(
            Map.entry("ls", 0), Map.entry("cat", 1), Map.entry("dump", 0), Map.entry("log", 0),
            Map.entry("condition", 3), Map.entry("condition-state", 4), Map.entry("condition-raise", 5),
            Map.entry("state", 2), Map.entry("raise", 4),
            Map.entry("restart", 3), Map.entry("execute", 3), Map.entry("logaction", 3), Map.entry("waitfor", 3),
            Map.entry("pulse", 6), Map.entry("signal", 6), Map.entry("healthy", 2), Map.entry("custom", 4),
            Map.entry("fail", 3), Map.entry("fail-rm", 2),
            Map.entry("enable", 1), Map.entry("disable", 1), Map.entry("flags", 1), Map.entry("control", 2),
            Map.entry("rm", 1));

    /** Commands that need a connection held across several calls (the guide: connect first). */
    private int connected(String node, String cmd, List<String> a) {
        try (HamConnection c = Ham.connect(node)) {
            switch (cmd) {
                case "ls":
                    expect(a, 0, 1);
                    ls(c, Path.parse(a.isEmpty() ? "" : a.get(0)));
                    return 0;
                case "cat":
                    expect(a, 0, 1);
                    out.print(cat(c, Path.parse(a.isEmpty() ? "" : a.get(0))));
                    return 0;
                case "dump":
                    expect(a, 0, 0);
                    dump(c);
                    return 0;
                case "log":
                    expect(a, 0, 1);
                    String[] lines = c.ham().getRecentActivity();
                    int n = a.isEmpty() ? 20 : Integer.parseInt(a.get(0));
                    for (int i = Math.max(0, lines.length - n); i < lines.length; i++) {
                        out.println(lines[i]);
                    }
                    return 0;
                case "condition": {
                    expect(a, 3, 4);
                    EntityHandle e = Ham.entityHandle(node, globalOrName(a.get(0)), 0);
                    try {
                        e.condition(ConditionType.parse(a.get(1)).code(), a.get(2), flags(Flags.Kind.CONDITION, a, 3)).free();
                    } finally {
                        e.free();
                    }
                    return 0;
                }
                case "condition-state":
                case "condition-raise":
                case "state":
                case "raise":
                    publishOrSubscribe(node, cmd, a);
                    return 0;
                case "restart":
                case "execute":
                case "logaction":
                case "waitfor":
                case "pulse":
                case "signal":
                case "healthy":
                case "custom":
                    addAction(node, cmd, a);
                    return 0;
                case "fail":
                    addFailItem(node, a);
                    return 0;
                case "fail-rm": {
                    expect(a, 2, 3);
                    ActionHandle ah = actionHandle(node, a.get(0));
                    try {
                        ah.failRemove(a.get(1), flags(Flags.Kind.NONE, a, 2));
                    } finally {
                        ah.free();
                    }
                    return 0;
                }
                case "enable":
                case "disable":
                    expect(a, 1, 2);
                    if (a.size() == 2 && !a.get(1).equals("-r")) {
                        throw new UsageException(cmd + " takes PATH [-r], not '" + a.get(1) + "'");
                    }
                    control(node, a.get(0), cmd.equals("enable") ? HamConstants.HENABLE : HamConstants.HDISABLE,
                            a.size() == 2 ? Integer.toString(HamConstants.HRECURSE) : "0");
                    return 0;
                case "flags":
                    flagsCommand(node, a);
                    return 0;
                case "control":
                    expect(a, 2, 3);
                    out.println(control(node, a.get(0), Flags.parseCommand(a.get(1)), a.size() > 2 ? a.get(2) : "0"));
                    return 0;
                case "rm":
                    expect(a, 1, 1);
                    remove(node, Path.parse(a.get(0)));
                    return 0;
                default:
                    throw new UsageException("unknown command '" + cmd + "'");
            }
        }
    }

    /** ham_condition_state / ham_condition_raise (subscribe) and ham_entity_condition_state / _raise (publish). */
    private void publishOrSubscribe(String node, String cmd, List<String> a) {
        switch (cmd) {
            case "condition-state":
                expect(a, 4, 5);
                break;
            case "condition-raise":
                expect(a, 5, 6);
                break;
            case "state":
                expect(a, 2, 3);
                break;
            default:
                expect(a, 4, 5);
                break;
        }
        EntityHandle e = Ham.entityHandle(node, globalOrName(a.get(0)), 0);
        try {
            switch (cmd) {
                case "condition-state":
                    e.conditionState(a.get(1), wildcard(a.get(2), "CONDSTATEANY", "from state"),
                            wildcard(a.get(3), "CONDSTATEANY", "to state"), flags(Flags.Kind.CONDITION, a, 4)).free();
                    break;
                case "condition-raise":
                    e.conditionRaise(a.get(1), wildcard(a.get(2), "CONDRAISETYPEANY", "type"),
                            wildcard(a.get(3), "CONDRAISECLASSANY", "class"),
                            wildcard(a.get(4), "CONDRAISESEVERITYANY", "severity"),
                            flags(Flags.Kind.CONDITION, a, 5)).free();
                    break;
                case "state":
                    e.reportState(number(a.get(1), "state"), flags(Flags.Kind.NONE, a, 2));
                    break;
                default:
                    e.raise(number(a.get(1), "type"), number(a.get(2), "class"), number(a.get(3), "severity"),
                            flags(Flags.Kind.NONE, a, 4));
                    break;
            }
        } finally {
            e.free();
        }
    }

    /** COMMAND CPATH ANAME ARGS...: an action at the end of the condition's list. */
    private void addAction(String node, String cmd, List<String> args) {
        List<String> a = new ArrayList<>(args);
        String to = takeTo(cmd, a);
        if (a.isEmpty()) {
            throw new UsageException(cmd + " needs ENAME/CNAME");
        }
        Path p = Path.parse(a.get(0));
        if (p.condition == null || p.action != null) {
            throw new UsageException("'" + a.get(0) + "' is not ENAME/CNAME");
        }
        List<String> tail = a.subList(1, a.size());
        checkArity(cmd, tail);
        ConditionHandle ch = Ham.conditionHandle(node, p.entity, p.condition, 0);
        try {
            add(new ToCondition(ch), cmd, tail, to, Flags.Kind.ACTION);
        } finally {
            ch.free();
        }
    }

    /** fail APATH TYPE ITEM ARGS...: an item at the end of the action's action-fail list. */
    private void addFailItem(String node, List<String> args) {
        List<String> a = new ArrayList<>(args);
        String type = a.size() > 1 ? a.get(1) : "";
        String to = takeTo(type, a);
        expect(a, 3, Integer.MAX_VALUE);
        if (!List.of("execute", "waitfor", "pulse", "signal", "log", "custom").contains(type)) {
            throw new UsageException("fail takes execute, waitfor, pulse, signal, log or custom, not '" + type + "'");
        }
        List<String> tail = a.subList(2, a.size());
        checkArity(type, tail);
        ActionHandle ah = actionHandle(node, a.get(0));
        try {
            add(new ToFailList(ah), type, tail, to, Flags.Kind.NONE);
        } finally {
            ah.free();
        }
    }

    /** Removes {@code -to NODE} (pulse and signal only) and returns NODE, or null (this HAM's node). */
    private static String takeTo(String type, List<String> a) {
        int i = a.indexOf("-to");
        if (i < 0 || !(type.equals("pulse") || type.equals("signal"))) {
            return null;
        }
        if (i + 1 >= a.size()) {
            throw new UsageException("-to needs a NODE");
        }
        String to = a.get(i + 1);
        a.subList(i, i + 2).clear();
        return to;
    }

    /** Checks the arguments after COMMAND PATH: NAME and what the type of action needs. */
    private static void checkArity(String type, List<String> t) {
        switch (type) {
            case "restart":
            case "execute":
                expect(t, 2, 3);
                break;
            case "logaction":
            case "log":
                expect(t, 2, 5);
                break;
            case "waitfor":
                expect(t, 2, 4);
                break;
            case "pulse":
            case "signal":
                expect(t, 5, 6);
                break;
            case "healthy":
                expect(t, 1, 2);
                break;
            default: // custom
                expect(t, 3, 4);
                break;
        }
    }

    /** Adds one action or action-fail item; {@code t} is NAME ARGS... as {@link #checkArity} checked. */
    private static void add(ActionSink sink, String type, List<String> t, String to, Flags.Kind kind) {
        String name = t.get(0);
        switch (type) {
            case "restart":
                sink.restart(name, t.get(1), flags(kind, t, 2));
                break;
            case "execute":
                sink.execute(name, t.get(1), flags(kind, t, 2));
                break;
            case "logaction":
            case "log":
                int verbosity = t.size() > 2 ? parseInt(t.get(2), "verbosity") : 1;
                int prefix = t.size() > 3 ? parseInt(t.get(3), "prefix") : 0;
                sink.log(name, t.get(1), prefix, verbosity, flags(kind, t, 4));
                break;
            case "waitfor":
                String wpath = t.size() > 2 && !t.get(2).equals("-") && !t.get(2).isEmpty() ? t.get(2) : null;
                sink.waitfor(name, wpath, number(t.get(1), "delay"), flags(kind, t, 3));
                break;
            case "pulse":
                sink.pulse(name, to, parsePid(t.get(1)), number(t.get(2), "chid"), number(t.get(3), "code"),
                        number(t.get(4), "value"), flags(kind, t, 5));
                break;
            case "signal":
                sink.signal(name, to, parsePid(t.get(1)), SignalNames.parse(t.get(2)), number(t.get(3), "code"),
                        number(t.get(4), "value"), flags(kind, t, 5));
                break;
            case "healthy":
                sink.healthy(name, flags(kind, t, 1));
                break;
            default: // custom
                sink.custom(name, t.get(1), t.get(2), flags(kind, t, 3));
                break;
        }
    }

    /** Where an action goes: a condition's list or an action's action-fail list (same arguments after the name). */
    private interface ActionSink {
        void restart(String name, String line, int flags);

        void execute(String name, String line, int flags);

        void log(String name, String msg, int prefix, int verbosity, int flags);

        void waitfor(String name, String path, int delay, int flags);

        void pulse(String name, String to, long pid, int chid, int code, int value, int flags);

        void signal(String name, String to, long pid, int signum, int code, int value, int flags);

        void healthy(String name, int flags);

        void custom(String name, String type, String args, int flags);
    }

    private static final class ToCondition implements ActionSink {
        private final ConditionHandle c;

        ToCondition(ConditionHandle c) {
            this.c = c;
        }

        public void restart(String name, String line, int flags) {
            c.actionRestart(name, line, flags).free();
        }

        public void execute(String name, String line, int flags) {
            c.actionExecute(name, line, flags).free();
        }

        public void log(String name, String msg, int prefix, int verbosity, int flags) {
            c.actionLog(name, msg, prefix, verbosity, flags).free();
        }

        public void waitfor(String name, String path, int delay, int flags) {
            c.actionWaitfor(name, path, delay, flags).free();
        }

        public void pulse(String name, String to, long pid, int chid, int code, int value, int flags) {
            c.actionNotifyPulse(name, to, pid, chid, code, value, flags).free();
        }

        public void signal(String name, String to, long pid, int signum, int code, int value, int flags) {
            c.actionNotifySignal(name, to, pid, signum, code, value, flags).free();
        }

        public void healthy(String name, int flags) {
            c.actionHeartbeatHealthy(name, flags).free();
        }

        public void custom(String name, String type, String args, int flags) {
            c.actionCustom(name, type, args, flags).free();
        }
    }

    /** The guide has no restart or heartbeat_healthy in action-fail lists; hamctrl never offers them. */
    private static final class ToFailList implements ActionSink {
        private final ActionHandle a;

        ToFailList(ActionHandle a) {
            this.a = a;
        }

        public void restart(String name, String line, int flags) {
            throw new UsageException("an action-fail list holds no restart");
        }

        public void execute(String name, String line, int flags) {
            a.failExecute(name, line, flags);
        }

        public void log(String name, String msg, int prefix, int verbosity, int flags) {
            a.failLog(name, msg, prefix, verbosity, flags);
        }

        public void waitfor(String name, String path, int delay, int flags) {
            a.failWaitfor(name, path, delay, flags);
        }

        public void pulse(String name, String to, long pid, int chid, int code, int value, int flags) {
            a.failNotifyPulse(name, to, pid, chid, code, value, flags);
        }

        public void signal(String name, String to, long pid, int signum, int code, int value, int flags) {
            a.failNotifySignal(name, to, pid, signum, code, value, flags);
        }

        public void healthy(String name, int flags) {
            throw new UsageException("an action-fail list holds no heartbeat_healthy");
        }

        public void custom(String name, String type, String args, int flags) {
            a.failCustom(name, type, args, flags);
        }
    }

    private static ActionHandle actionHandle(String node, String path) {
        Path p = Path.parse(path);
        if (p.action == null) {
            throw new UsageException("'" + path + "' is not ENAME/CNAME/ANAME");
        }
        return Ham.actionHandle(node, p.entity, p.condition, p.action, 0);
    }

    /** flags PATH: prints the flags by name (HGETFLAGS); flags PATH add|remove|set FLAGS changes them. */
    private void flagsCommand(String node, List<String> a) {
        if (a.size() != 1 && a.size() != 3) {
            throw new UsageException("flags takes PATH, or PATH add|remove|set FLAGS");
        }
        if (a.size() == 1) {
            int f = control(node, a.get(0), HamConstants.HGETFLAGS, "0");
            out.println(Flags.format(kindOf(Path.parse(a.get(0))), f));
            return;
        }
        int command;
        switch (a.get(1)) {
            case "add":
                command = HamConstants.HADDFLAGS;
                break;
            case "remove":
                command = HamConstants.HREMOVEFLAGS;
                break;
            case "set":
                command = HamConstants.HSETFLAGS;
                break;
            default:
                throw new UsageException("flags takes add, remove or set, not '" + a.get(1) + "'");
        }
        control(node, a.get(0), command, a.get(2));
    }

    /** ham_entity_control / ham_condition_control / ham_action_control, chosen by the depth of PATH. */
    private static int control(String node, String path, int command, String flagsText) {
        Path p = Path.parse(path);
        int flags = Flags.parseControl(kindOf(p), flagsText);
        if (p.condition == null) {
            EntityHandle e = Ham.entityHandle(node, p.entity, 0);
            try {
                return e.control(command, flags);
            } finally {
                e.free();
            }
        }
        if (p.action == null) {
            ConditionHandle c = Ham.conditionHandle(node, p.entity, p.condition, 0);
            try {
                return c.control(command, flags);
            } finally {
                c.free();
            }
        }
        ActionHandle ah = Ham.actionHandle(node, p.entity, p.condition, p.action, 0);
        try {
            return ah.control(command, flags);
        } finally {
            ah.free();
        }
    }

    private static Flags.Kind kindOf(Path p) {
        return p.condition == null ? Flags.Kind.ENTITY : p.action == null ? Flags.Kind.CONDITION : Flags.Kind.ACTION;
    }

    private void remove(String node, Path p) {
        if (p.condition == null) {
            throw new UsageException("rm takes ENAME/CNAME or ENAME/CNAME/ANAME; use detach for an entity");
        }
        if (p.action == null) {
            Ham.conditionHandle(node, p.entity, p.condition, 0).remove(0);
        } else {
            Ham.actionHandle(node, p.entity, p.condition, p.action, 0).remove(0);
        }
    }

    /** Lists a level; nothing is printed unless the whole listing could be read. */
    private void ls(HamConnection c, Path p) {
        List<String> names = new ArrayList<>();
        if (p.isTop()) {
            names.addAll(Arrays.asList(c.ham().getEntityNames()));
            if (entity(c, null).getConditionNames().length > 0) {
                names.add(ObjectNames.GLOBAL_ENTITY);
            }
        } else if (p.condition == null) {
            names.addAll(Arrays.asList(entity(c, p.entity).getConditionNames()));
        } else if (p.action == null) {
            names.addAll(Arrays.asList(condition(c, p.entity, p.condition).getActionNames()));
        } else {
            throw new HamException(Errno.EINVAL, "'" + p + "' is an action (a file): use cat");
        }
        out.println(".info");
        names.forEach(out::println);
    }

    private String cat(HamConnection c, Path p) {
        if (p.isTop()) {
            return c.ham().getInfo();
        }
        if (p.condition == null) {
            return entity(c, p.entity).getInfo();
        }
        if (p.action == null) {
            return condition(c, p.entity, p.condition).getInfo();
        }
        return c.proxy(ActionMXBean.class, ObjectNames.action(p.entity, p.condition, p.action)).getInfo();
    }

    /** Every level's .info, top first, in tree order: what a Guardian takeover must preserve. */
    private void dump(HamConnection c) {
        HamMXBean ham = c.ham();
        out.println("== .info");
        out.print(ham.getInfo());
        List<String> names = new ArrayList<>(Arrays.asList(ham.getEntityNames()));
        names.add(ObjectNames.GLOBAL_ENTITY);
        for (String e : names) {
            Path ep = new Path(e.equals(ObjectNames.GLOBAL_ENTITY) ? null : e, null, null);
            out.println("== " + ep + "/.info");
            out.print(cat(c, ep));
            for (String cn : entity(c, ep.entity).getConditionNames()) {
                Path cp = new Path(ep.entity, cn, null);
                out.println("== " + cp + "/.info");
                out.print(cat(c, cp));
                for (String an : condition(c, ep.entity, cn).getActionNames()) {
                    Path ap = new Path(ep.entity, cn, an);
                    out.println("== " + ap);
                    out.print(cat(c, ap));
                }
            }
        }
    }

    private static EntityMXBean entity(HamConnection c, String ename) {
        return c.proxy(EntityMXBean.class, ObjectNames.entity(ename));
    }

    private static ConditionMXBean condition(HamConnection c, String ename, String cname) {
        return c.proxy(ConditionMXBean.class, ObjectNames.condition(ename, cname));
    }

    private static String globalOrName(String ename) {
        return ename.equals(ObjectNames.GLOBAL_ENTITY) ? null : ename;
    }

    private static long parsePid(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new UsageException("PID '" + s + "' is not a number");
        }
    }

    private static int parseInt(String s, String what) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new UsageException(what + " '" + s + "' is not a number");
        }
    }

    /** A decimal or 0x-hexadecimal int (hex for state bitmaps); a usage error otherwise. */
    private static int number(String s, String what) {
        try {
            return s.startsWith("0x") || s.startsWith("0X") ? Integer.parseUnsignedInt(s.substring(2), 16)
                    : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new UsageException(what + " '" + s + "' is not a number");
        }
    }

    /** A number, or the guide's wildcard name ({@code CONDSTATEANY}, ..., or just {@code ANY}) for 0. */
    private static int wildcard(String s, String anyName, String what) {
        return s.equalsIgnoreCase(anyName) || s.equalsIgnoreCase("ANY") ? 0 : number(s, what);
    }

    private static int flags(Flags.Kind kind, List<String> a, int index) {
        return a.size() > index ? Flags.parse(kind, a.get(index)) : 0;
    }

    private static void expect(List<String> a, int min, int max) {
        if (a.size() < min || a.size() > max) {
            throw new UsageException("wrong number of arguments: " + a);
        }
    }

    /** A path in the tree: entity (null = global), condition, action; each may be absent. */
    static final class Path {
        final String entity;
        final String condition;
        final String action;
        private final boolean top;

        Path(String entity, String condition, String action) {
            this(entity, condition, action, false);
        }

        private Path(String entity, String condition, String action, boolean top) {
            this.entity = entity;
            this.condition = condition;
            this.action = action;
            this.top = top;
        }

        boolean isTop() {
            return top;
        }

        static Path parse(String text) {
            String t = text.trim();
            if (t.endsWith(".info")) {
                t = t.substring(0, t.length() - ".info".length());
            }
            if (t.isEmpty()) {
                return new Path(null, null, null, true);
            }
            boolean global = t.startsWith("/");
            if (global) {
                t = t.substring(1);
            }
            while (t.endsWith("/")) {
                t = t.substring(0, t.length() - 1);
            }
            List<String> parts = t.isEmpty() ? List.of() : Arrays.asList(t.split("/", -1));
            if (!global) {
                if (parts.size() > 3) {
                    throw new HamException(Errno.EINVAL, "path '" + text + "' has more than three levels");
                }
                return new Path(parts.get(0), part(parts, 1), part(parts, 2));
            }
            if (parts.size() > 2) {
                throw new HamException(Errno.EINVAL, "path '" + text + "' has more than three levels");
            }
            return new Path(null, part(parts, 0), part(parts, 1));
        }

        private static String part(List<String> parts, int i) {
            return parts.size() > i ? parts.get(i) : null;
        }

        @Override
        public String toString() {
            if (top) {
                return "";
            }
            StringBuilder b = new StringBuilder(entity == null ? "" : entity);
            if (condition != null) {
                b.append('/').append(condition);
            }
            if (action != null) {
                b.append('/').append(action);
            }
            return b.length() == 0 ? "/" : b.toString();
        }
    }
}
