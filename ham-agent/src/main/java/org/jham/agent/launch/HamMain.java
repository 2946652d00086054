package org.jham.agent.launch;

import java.lang.management.ManagementFactory;
import org.jham.HamException;

/**
 * {@code bin/ham}: runs a HAM in this JVM until it is stopped with {@code ham_stop} /
 * {@code hamctrl -stop}. Prints {@code jHAM listening on <address> pid=<pid>} once it serves.
 * As the guide's HAM, it ignores the signals it can (HUP, INT, TERM, QUIT, USR1, USR2, PIPE);
 * with {@code --foreground} INT and TERM stop it gracefully instead, for interactive use.
 */
public final class HamMain {
    private HamMain() {
    }

    public static void main(String[] args) {
        HamOptions options;
        try {
            options = HamOptions.parse(args);
        } catch (HamException e) {
            System.err.println("ham: " + e.getMessage());
            System.err.println(HamOptions.usage());
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(HamOptions.usage());
            return;
        }
        HamServer server;
        try {
            server = HamServer.start(options, ManagementFactory.getPlatformMBeanServer(), HamServer.guardianFor(options),
                    () -> System.exit(0));
        } catch (HamException e) {
            System.err.println("ham: " + e.getMessage());
            System.exit(1);
            return;
        }
        Signals.install(options.foreground(), () -> server.stop(false));
        System.out.println("jHAM listening on " + server.address() + " pid=" + ProcessHandle.current().pid());
        System.out.flush();
        try {
            server.awaitStopped();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
