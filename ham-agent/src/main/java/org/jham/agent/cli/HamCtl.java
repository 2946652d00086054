package org.jham.agent.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
import org.jham.mbean.ActionMXBean;
import org.jham.mbean.ConditionMXBean;
import org.jham.mbean.EntityMXBean;
import org.jham.mbean.HamMXBean;
import org.jham.mbean.ObjectNames;

/**
 * {@code hamctrl}: the guide's control utility ({@code -stop}, {@code -verbose}, {@code +verbose},
 * {@code =verbose}, {@code -node NAME}) plus {@code ls}/{@code cat} over the {@code /proc/ham}-style
 * tree and commands for every operation of the foundation API. Built on the client library.
 * Exit status: 0 done, 1 the HAM refused (errno printed), 2 bad usage.
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
            "  attach ENAME PID [FLAGS]        monitor a running process",
            "  start ENAME LINE [FLAGS]        start LINE (full path) and monitor it (ham_attach with pid -1)",
            "  entity ENAME [FLAGS]            create a placeholder entity",
            "  detach ENAME                    stop monitoring an entity (CONDDETACH fires)",
            "  condition ENAME TYPE CNAME [FLAGS]      add a condition (ENAME \"/\" = the global entity)",
            "  restart ENAME/CNAME ANAME LINE [FLAGS]  add a restart action",
            "  execute ENAME/CNAME ANAME LINE [FLAGS]  add an execute action",
            "  logaction ENAME/CNAME ANAME MSG [VERBOSITY [PREFIX [FLAGS]]]  add a log action",
            "  rm PATH                         remove a condition (ENAME/CNAME) or an action (ENAME/CNAME/ANAME)",
            "PATH: ENAME, ENAME/CNAME, ENAME/CNAME/ANAME, optionally ending in /.info; a leading / names the global entity.",
            "FLAGS and TYPE: numbers or names, e.g. HREARMAFTERRESTART|HCONDNOWAIT, CONDDEATH.",
            "NODE: host[:port] or service:jmx:jmxmp://host:port (default: $JHAM_NODE or 127.0.0.1:7770).");

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
            default:
                return connected(node, cmd, a);
        }
    }

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
                case "restart":
                case "execute":
                case "logaction":
                    addAction(node, cmd, a);
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

    private void addAction(String node, String cmd, List<String> a) {
        if (cmd.equals("logaction")) {
            expect(a, 3, 6);
        } else {
            expect(a, 3, 4);
        }
        Path p = Path.parse(a.get(0));
        if (p.condition == null || p.action != null) {
            throw new UsageException("'" + a.get(0) + "' is not ENAME/CNAME");
        }
        ConditionHandle ch = Ham.conditionHandle(node, p.entity, p.condition, 0);
        try {
            ActionHandle ah;
            if (cmd.equals("restart")) {
                ah = ch.actionRestart(a.get(1), a.get(2), flags(Flags.Kind.ACTION, a, 3));
            } else if (cmd.equals("execute")) {
                ah = ch.actionExecute(a.get(1), a.get(2), flags(Flags.Kind.ACTION, a, 3));
            } else {
                int verbosity = a.size() > 3 ? parseInt(a.get(3), "verbosity") : 1;
                int prefix = a.size() > 4 ? parseInt(a.get(4), "prefix") : 0;
                ah = ch.actionLog(a.get(1), a.get(2), prefix, verbosity, flags(Flags.Kind.ACTION, a, 5));
            }
            ah.free();
        } finally {
            ch.free();
        }
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
