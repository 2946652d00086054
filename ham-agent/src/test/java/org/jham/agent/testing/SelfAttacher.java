package org.jham.agent.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jham.EntityHandle;
import org.jham.Ham;
import org.jham.HamConnection;
import org.jham.HamException;

/**
 * A child JVM that attaches itself to a HAM.
 *
 * <p>{@code NODE ENAME HP_MS LOW HIGH BEAT_MS BEATS [detach]}: it beats BEATS times every BEAT_MS
 * (-1 = forever), prints "beats done", then either detaches itself and exits ("detach"), or lives
 * on silent until killed.
 *
 * <p>{@code --stdin NODE}: it obeys one command a line and answers each with one line
 * {@code <n> <answer>}, n counting the commands from 1 ({@code <n> error <ERRNO> <message>} when
 * the library throws):
 * <ul>
 * <li>{@code attach ENAME HP_MS LOW HIGH [FLAGS]}: ham_attach_self; answers {@code attached refs <count>}</li>
 * <li>{@code many PREFIX N HP_MS LOW HIGH BEAT_MS}: starts beating every BEAT_MS first, then
 *     attaches PREFIX-0 .. PREFIX-(N-1); answers {@code attached N}</li>
 * <li>{@code beat MS}: ham_heartbeat every MS from a thread of its own; {@code silent}: stops it</li>
 * <li>{@code hb}: one ham_heartbeat</li>
 * <li>{@code connect} / {@code disconnect}: ham_connect / ham_disconnect of the node; answer the count</li>
 * <li>{@code detach ENAME}: ham_detach_self; answers {@code detached refs <count>}</li>
 * <li>{@code exit CODE}: System.exit without detaching; {@code halt CODE}: Runtime.halt</li>
 * </ul>
 */
public final class SelfAttacher {
    private SelfAttacher() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("--stdin")) {
            commands(args[1]);
            return;
        }
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

    private static Thread beater;
    /** The node's connection object (one per node, whether open or not), to read its count. */
    private static HamConnection connection;

    private static void commands(String node) throws Exception {
        connection = Ham.connect(node);
        connection.close();
        Map<String, EntityHandle> handles = new HashMap<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        int n = 0;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split("\\s+");
            n++;
            String answer;
            try {
                answer = run(node, w, handles);
            } catch (HamException e) {
                answer = "error " + e.errno() + " " + e.getMessage();
            }
            System.out.println(n + " " + answer);
            System.out.flush();
        }
        // stdin closed: the test is gone.
        Runtime.getRuntime().halt(0);
    }

    private static String run(String node, String[] w, Map<String, EntityHandle> handles) throws Exception {
        switch (w[0]) {
            case "attach": {
                handles.put(w[1], Ham.attachSelf(w[1], node, Long.parseLong(w[2]) * 1_000_000L, Integer.parseInt(w[3]),
                        Integer.parseInt(w[4]), w.length > 5 ? Integer.decode(w[5]) : 0));
                return "attached refs " + refs(node);
            }
            case "many": {
                int count = Integer.parseInt(w[2]);
                startBeating(Long.parseLong(w[6]));
                for (int i = 0; i < count; i++) {
                    String ename = w[1] + "-" + i;
                    handles.put(ename, Ham.attachSelf(ename, node, Long.parseLong(w[3]) * 1_000_000L,
                            Integer.parseInt(w[4]), Integer.parseInt(w[5]), 0));
                }
                return "attached " + count;
            }
            case "beat":
                startBeating(Long.parseLong(w[1]));
                return "beating";
            case "silent":
                stopBeating();
                return "silent";
            case "hb":
                Ham.heartbeat();
                return "hb ok";
            case "connect":
                Ham.connect(node);
                return "refs " + refs(node);
            case "disconnect":
                Ham.disconnect(node);
                return "refs " + refs(node);
            case "detach":
                Ham.detachSelf(handles.get(w[1]), 0);
                return "detached refs " + refs(node);
            case "exit":
                System.exit(Integer.parseInt(w[1]));
                return "unreachable";
            case "halt":
                Runtime.getRuntime().halt(Integer.parseInt(w[1]));
                return "unreachable";
            default:
                return "unknown command " + w[0];
        }
    }

    private static int refs(String node) {
        return connection.refCount();
    }

    private static synchronized void startBeating(long everyMs) {
        stopBeating();
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Ham.heartbeat();
                    Thread.sleep(everyMs);
                }
            } catch (InterruptedException e) {
                // silent
            }
        }, "beater");
        t.setDaemon(true);
        t.start();
        beater = t;
    }

    private static synchronized void stopBeating() {
        Thread t = beater;
        if (t != null) {
            t.interrupt();
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            beater = null;
        }
    }
}
