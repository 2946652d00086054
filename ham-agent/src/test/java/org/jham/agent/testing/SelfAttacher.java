package org.jham.agent.testing;

import org.jham.EntityHandle;
import org.jham.Ham;

/**
 * A child JVM that attaches itself to a HAM: {@code NODE ENAME HP_MS LOW HIGH BEAT_MS BEATS
 * [detach]}. It beats BEATS times every BEAT_MS (-1 = forever), prints "beats done", then either
 * detaches itself and exits ("detach"), or lives on silent until killed.
 */
public final class SelfAttacher {
    private SelfAttacher() {
    }

    public static void main(String[] args) throws Exception {
        String node = args[0];
        String ename = args[1];
        long hpMs = Long.parseLong(args[2]);
        EntityHandle e = Ham.attachSelf(ename, node, hpMs * 1_000_000L, Integer.parseInt(args[3]),
                Integer.parseInt(args[4]), 0);
        System.out.println("attached " + ProcessHandle.current().pid());
        System.out.flush();
        long beatMs = Long.parseLong(args[5]);
        long beats = Long.parseLong(args[6]);
        for (long i = 0; beats < 0 || i < beats; i++) {
            Ham.heartbeat();
            Thread.sleep(beatMs);
        }
        System.out.println("beats done");
        System.out.flush();
        if (args.length > 7 && args[7].equals("detach")) {
            Ham.detachSelf(e, 0);
            System.out.println("detached");
            System.out.flush();
            return;
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
