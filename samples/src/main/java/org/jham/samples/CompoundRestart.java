package org.jham.samples;

import static org.jham.HamConstants.CONDDEATH;
import static org.jham.HamConstants.HACTIONDONOW;
import static org.jham.HamConstants.HREARMAFTERRESTART;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jham.ConditionHandle;
import org.jham.EntityHandle;
import org.jham.Ham;
import org.jham.HamException;

/**
 * The guide's "Example to monitor fs-nfs2" ({@code addnfs.c}) in Java: the HAM starts the entity
 * {@code Fs-nfs2} (pid -1) and, each time it dies, restarts it, waits ({@code Delay1}), "mounts"
 * the first directory ({@code MountDir1}), waits again ({@code Delay2}) and "mounts" the second
 * ({@code Mountdir2}). Everything is HREARMAFTERRESTART, so each death is handled the same way;
 * both mounts are also HACTIONDONOW, so they run once at once when added.
 *
 * <p>There is no NFS here: the entity and the mounts are {@code /bin/sh} one-liners that append a
 * line with the time (ms since the epoch) to a trace file, so what ran, and when, can be seen:
 * <pre>
 * fs-nfs2 started 4242 at 1700000000123
 * mounted dir1 at 1700000000140
 * mounted dir2 at 1700000000152
 * </pre>
 * The entity's line defaults to such a stand-in that {@code exec}s {@code /bin/sleep}; give a
 * command line to monitor something else (the mounts still write the trace).
 *
 * <pre>
 * java -cp ... org.jham.samples.CompoundRestart [-node HOST:PORT] [-delay1 MS] [-delay2 MS]
 *     [-trace FILE] [COMMAND LINE...]
 * defaults: delays 2000 ms (the guide's), trace ${java.io.tmpdir}/jham-fs-nfs2.trace
 * </pre>
 */
public final class CompoundRestart {
    /** The names of the guide. */
    public static final String ENTITY = "Fs-nfs2";
    public static final String CONDITION = "Death";

    private CompoundRestart() {
    }

    public static void main(String[] args) {
        String node = null;
        int delay1 = 2000;
        int delay2 = 2000;
        Path trace = Path.of(System.getProperty("java.io.tmpdir"), "jham-fs-nfs2.trace");
        List<String> line = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                if (!line.isEmpty() || !args[i].startsWith("-")) {
                    line.add(args[i]);
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                String v = args[++i];
                switch (args[i - 1]) {
                    case "-node" -> node = v;
                    case "-delay1" -> delay1 = Integer.parseInt(v);
                    case "-delay2" -> delay2 = Integer.parseInt(v);
                    case "-trace" -> trace = Path.of(v).toAbsolutePath();
                    default -> throw new IllegalArgumentException("unknown option " + args[i - 1]);
                }
            }
            if (trace.toString().contains("'")) {
                // The trace path goes inside '...' on the HAM's command lines.
                throw new IllegalArgumentException("the trace path must not contain a single quote: " + trace);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("CompoundRestart: " + e.getMessage());
            System.err.println("usage: CompoundRestart [-node HOST:PORT] [-delay1 MS] [-delay2 MS] [-trace FILE]"
                    + " [COMMAND LINE...]");
            System.exit(2);
            return;
        }
        String fsnfspath = line.isEmpty()
                ? sh("echo fs-nfs2 started $$ at $(date +%s%3N) >> " + trace + "; exec /bin/sleep 1000000")
                : String.join(" ", line);
        try {
            Ham.connect(node);
            try {
                EntityHandle ehdl = Ham.attach(ENTITY, node, -1, fsnfspath, 0);
                ConditionHandle chdl = ehdl.condition(CONDDEATH, CONDITION, HREARMAFTERRESTART);
                String mount1 = sh("echo mounted dir1 at $(date +%s%3N) >> " + trace);
                String mount2 = sh("echo mounted dir2 at $(date +%s%3N) >> " + trace);
                chdl.actionRestart("Restart", fsnfspath, HREARMAFTERRESTART).free();
                chdl.actionWaitfor("Delay1", null, delay1, HREARMAFTERRESTART).free();
                chdl.actionExecute("MountDir1", mount1, HREARMAFTERRESTART | HACTIONDONOW).free();
                chdl.actionWaitfor("Delay2", null, delay2, HREARMAFTERRESTART).free();
                chdl.actionExecute("Mountdir2", mount2, HREARMAFTERRESTART | HACTIONDONOW).free();
                System.out.println("entity " + ENTITY + " pid " + ehdl.pid() + ": " + fsnfspath);
                System.out.println("condition " + ENTITY + "/" + CONDITION + " (CONDDEATH, HREARMAFTERRESTART):");
                System.out.println("  Restart    restart " + fsnfspath);
                System.out.println("  Delay1     waitfor " + delay1 + " ms");
                System.out.println("  MountDir1  execute " + mount1 + " (HACTIONDONOW: ran once now)");
                System.out.println("  Delay2     waitfor " + delay2 + " ms");
                System.out.println("  Mountdir2  execute " + mount2 + " (HACTIONDONOW: ran once now)");
                System.out.println("trace: " + trace);
                chdl.free();
                ehdl.free();
            } finally {
                Ham.disconnect(node);
            }
        } catch (HamException e) {
            System.err.println("CompoundRestart: " + e.getMessage());
            System.exit(1);
        }
    }

    /** A {@code /bin/sh -c} line in the guide's quoting (the HAM runs no shell of its own). */
    private static String sh(String script) {
        return "/bin/sh -c '" + script + "'";
    }
}
