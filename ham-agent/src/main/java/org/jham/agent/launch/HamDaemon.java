package org.jham.agent.launch;

import java.lang.management.ManagementFactory;
import org.apache.commons.daemon.Daemon;
import org.apache.commons.daemon.DaemonContext;
import org.apache.commons.daemon.DaemonInitException;
import org.jham.HamException;

/**
 * The HAM as an Apache Commons Daemon service, so {@code jsvc} can run it as a system service
 * ({@code /usr/bin/jsvc -pidfile ... org.jham.agent.launch.HamDaemon [ham options]}). init parses
 * the options, start starts the HAM, stop stops it gracefully. A ham_stop over JMX ends the JVM.
 */
public final class HamDaemon implements Daemon {
    private HamOptions options;
    private HamServer server;

    @Override
    public void init(DaemonContext context) throws DaemonInitException {
        try {
            options = HamOptions.parse(context.getArguments());
        } catch (HamException e) {
            throw new DaemonInitException("ham: " + e.getMessage());
        }
    }

    @Override
    public void start() {
        server = HamServer.start(options, ManagementFactory.getPlatformMBeanServer(), HamServer.guardianFor(options),
                () -> System.exit(0));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(false);
        }
    }

    @Override
    public void destroy() {
        server = null;
    }
}
