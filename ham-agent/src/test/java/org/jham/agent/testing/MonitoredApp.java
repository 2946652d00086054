package org.jham.agent.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import javax.management.ObjectName;

/**
 * An application for the agent tests, which knows nothing of the HAM: prints {@code app main PID}
 * at once, then obeys commands on stdin, one a line, answering each:
 * <ul>
 *   <li>{@code deadlock}: two threads lock two monitors in opposite orders ("deadlocked");</li>
 *   <li>{@code status}: the jHAM threads and MBeans of this JVM ("threads: [...]", "mbeans: [...]");</li>
 *   <li>{@code beat N MS}: {@code org.jham.Heartbeat.beat()} N times every MS ms ("beats done");</li>
 *   <li>{@code fill PERCENT}: keeps arrays until they hold PERCENT of the maximum heap, then a
 *       full GC ("filled"); {@code free}: drops them, then a full GC ("freed");</li>
 *   <li>{@code exit CODE}: {@code System.exit(CODE)}.</li>
 * </ul>
 * At the end of stdin it lives on (a JVM the HAM restarted reads /dev/null) until killed.
 */
public final class MonitoredApp {
    private MonitoredApp() {
    }

    private static final List<byte[]> KEPT = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        say("app main " + ProcessHandle.current().pid());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split("\\s+");
            switch (w[0]) {
                case "deadlock":
                    deadlock();
                    say("deadlocked");
                    break;
                case "status":
                    TreeSet<String> threads = new TreeSet<>();
                    for (Thread t : Thread.getAllStackTraces().keySet()) {
                        if (t.getName().startsWith("jham") || t.getName().startsWith("ham-")) {
                            threads.add(t.getName());
                        }
                    }
                    say("threads: " + threads);
                    say("mbeans: " + ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName("jham:*"), null));
                    break;
                case "beat":
                    for (int i = 0; i < Integer.parseInt(w[1]); i++) {
                        Beats.beat();
                        Thread.sleep(Long.parseLong(w[2]));
                    }
                    say("beats done");
                    break;
                case "fill":
                    long target = Runtime.getRuntime().maxMemory() / 100 * Integer.parseInt(w[1]);
                    while ((long) KEPT.size() * 256 * 1024 < target) {
                        KEPT.add(new byte[256 * 1024]);
                    }
                    System.gc();
                    say("filled");
                    break;
                case "free":
                    KEPT.clear();
                    System.gc();
                    say("freed");
                    break;
                case "exit":
                    System.exit(Integer.parseInt(w[1]));
                    break;
                default:
                    say("unknown command " + line);
                    break;
            }
        }
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Apart, so that org.jham.Heartbeat is loaded only when asked for (the agent brings it). */
    private static final class Beats {
        static void beat() {
            org.jham.Heartbeat.beat();
        }
    }

    private static void say(String s) {
        System.out.println(s);
        System.out.flush();
    }

    /** Each thread holds one monitor and waits for the other's: a certain deadlock. */
    private static void deadlock() throws InterruptedException {
        Object a = new Object();
        Object b = new Object();
        CountDownLatch bothHold = new CountDownLatch(2);
        Thread t1 = new Thread(() -> lockBoth(a, b, bothHold), "worker-a");
        Thread t2 = new Thread(() -> lockBoth(b, a, bothHold), "worker-b");
        t1.setDaemon(true);
        t2.setDaemon(true);
        t1.start();
        t2.start();
        bothHold.await();
        while (t1.getState() != Thread.State.BLOCKED || t2.getState() != Thread.State.BLOCKED) {
            Thread.sleep(5);
        }
    }

    private static void lockBoth(Object first, Object second, CountDownLatch bothHold) {
        synchronized (first) {
            bothHold.countDown();
            try {
                bothHold.await();
            } catch (InterruptedException e) {
                return;
            }
            synchronized (second) {
                say("never");
            }
        }
    }
}
