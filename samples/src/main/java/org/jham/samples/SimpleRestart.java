package org.jham.samples;

import static org.jham.HamConstants.CONDDEATH;
import static org.jham.HamConstants.CONDRESTART;
import static org.jham.HamConstants.HREARMAFTERRESTART;

import org.jham.ActionHandle;
import org.jham.ConditionHandle;
import org.jham.EntityHandle;
import org.jham.Ham;
import org.jham.HamException;

/**
 * The guide's "Example to monitor inetd" ({@code addinet.c}) in Java: attach a long-running
 * process — started by the HAM from a command line, or already running with a pid — add a death
 * condition with a restart action (both rearmed, so every death is recovered), and a restart
 * condition that logs each recovery.
 *
 * <pre>
 * java -cp ... org.jham.samples.SimpleRestart [-node HOST:PORT] NAME (-pid PID | COMMAND LINE...)
 * e.g. SimpleRestart sleeper /bin/sleep 100000
 * </pre>
 */
public final class SimpleRestart {
    private SimpleRestart() {
    }

    public static void main(String[] args) {
        int i = 0;
        String node = null;
        if (args.length > 1 && args[0].equals("-node")) {
            node = args[1];
            i = 2;
        }
        if (args.length - i < 2) {
            System.err.println("usage: SimpleRestart [-node HOST:PORT] NAME (-pid PID [RESTART LINE...] | COMMAND LINE...)");
            System.exit(2);
        }
        String name = args[i++];
        long pid = -1;
        if (args[i].equals("-pid")) {
            pid = Long.parseLong(args[i + 1]);
            i += 2;
        }
        String line = String.join(" ", java.util.Arrays.copyOfRange(args, i, args.length));
        if (pid > 0 && line.isEmpty()) {
            // Restart the attached process with the command line it was running.
            line = ProcessHandle.of(pid).flatMap(p -> p.info().commandLine()).orElseThrow(
                    () -> new IllegalArgumentException("cannot read the command line of pid " + args[args.length - 1]));
        }
        try {
            Ham.connect(node);
            try {
                EntityHandle e = Ham.attach(name, node, pid, line, 0);
                ConditionHandle death = e.condition(CONDDEATH, "death", HREARMAFTERRESTART);
                ActionHandle restart = death.actionRestart("restart", line, HREARMAFTERRESTART);
                ConditionHandle restarted = e.condition(CONDRESTART, "restarted", HREARMAFTERRESTART);
                restarted.actionLog("note", name + " was restarted", 1, 1, HREARMAFTERRESTART).free();
                System.out.println(e.info());
                restart.free();
                restarted.free();
                death.free();
                e.free();
            } finally {
                Ham.disconnect(node);
            }
        } catch (HamException ex) {
            System.err.println("SimpleRestart: " + ex.getMessage());
            System.exit(1);
        }
    }
}
