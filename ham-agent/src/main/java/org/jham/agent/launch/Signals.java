package org.jham.agent.launch;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Signal disposition of a HAM process. The guide's HAM and Guardian "ignore all signals that
 * they can", so that only ham_stop stops them; in the foreground INT and TERM stop gracefully.
 */
public final class Signals {
    private Signals() {
    }

    private static final String[] IGNORED = {"HUP", "QUIT", "USR1", "USR2", "PIPE"};

    public static void install(boolean foreground, Runnable gracefulStop) {
        for (String s : IGNORED) {
            ignore(s);
        }
        for (String s : new String[] {"INT", "TERM"}) {
            if (foreground) {
                Signal.handle(new Signal(s), sig -> new Thread(() -> {
                    gracefulStop.run();
                    System.exit(0);
                }, "ham-signal-stop").start());
            } else {
                ignore(s);
            }
        }
    }

    private static void ignore(String name) {
        try {
            Signal.handle(new Signal(name), SignalHandler.SIG_IGN);
        } catch (IllegalArgumentException e) {
            // The JVM reserves some signals (e.g. QUIT for thread dumps unless -Xrs): it keeps them.
        }
    }
}
