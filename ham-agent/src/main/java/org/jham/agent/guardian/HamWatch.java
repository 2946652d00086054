package org.jham.agent.guardian;

import java.util.function.Consumer;
import org.jham.Ham;
import org.jham.HamConnection;
import org.jham.HamException;

/**
 * The Guardian's JMX watch on its HAM: asks the HAM for its pid every second and reports when it
 * stops answering, or answers with another pid (another HAM on the address), and when it answers
 * again. It never decides a takeover (see {@link Guardian}). Runs on a daemon thread.
 */
final class HamWatch {
    static final long PERIOD_MS = 1_000;

    private final String node;
    private final long hamPid;
    private final Consumer<String> say;
    private final Thread thread;
    private volatile boolean stopped;

    HamWatch(String node, long hamPid, Consumer<String> say) {
        this.node = node;
        this.hamPid = hamPid;
        this.say = say;
        this.thread = new Thread(this::run, "guardian-jmx-watch");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void stop() {
        stopped = true;
        thread.interrupt();
    }

    private void run() {
        String last = "";
        HamConnection c = null;
        while (!stopped) {
            String now;
            try {
                if (c == null || c.isBroken()) {
                    if (c != null) {
                        c.close();
                    }
                    c = Ham.connect(node);
                }
                long pid = c.ham().getHamPid();
                now = pid == hamPid ? "answering" : "answering with pid " + pid + ", not " + hamPid;
            } catch (HamException e) {
                now = "not answering (" + e.errno() + ")";
            }
            if (!now.equals(last)) {
                say.accept("HAM pid " + hamPid + " at " + node + ": " + now);
                last = now;
            }
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                break;
            }
        }
        if (c != null) {
            try {
                c.close();
            } catch (HamException e) {
                // the HAM is gone: nothing to close cleanly
            }
        }
    }
}
