package org.jham.agent.launch;

import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import org.jham.HamException;
import org.jham.agent.monitor.MonitorOptions;
import org.jham.agent.monitor.MonitoredJvm;

/**
 * The agent, in one of two modes chosen by its options:
 * <ul>
 *   <li>{@code -javaagent:ham-agent.jar=port=7770,...} (no {@code entity=}): installs a HAM inside
 *       a host JVM (e.g. an application server), its MBeans in the host's platform MBeanServer.
 *       Idempotent: a second install in the same JVM does nothing.</li>
 *   <li>{@code -javaagent:ham-agent.jar=entity=NAME,...}: a monitored JVM, which attaches itself
 *       to a HAM ({@link MonitoredJvm}).</li>
 * </ul>
 * Both are also loadable into a running JVM (agentmain; {@code hamctrl attach-jvm} does it for
 * the second). A bad option never stops the host JVM: the agent prints one clear error and does
 * nothing.
 */
public final class HamAgent {
    private HamAgent() {
    }

    private static HamServer installed;

    public static void premain(String args, Instrumentation inst) {
        start(args);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args);
    }

    private static void start(String args) {
        if (MonitorOptions.isMonitorMode(args)) {
            MonitoredJvm.start(args);
        } else {
            install(args);
        }
    }

    static synchronized HamServer install(String args) {
        if (installed != null) {
            System.err.println("jham agent: a HAM already runs in this JVM on " + installed.address());
            return installed;
        }
        try {
            HamOptions options = HamOptions.parseAgentOptions(args);
            installed = HamServer.start(options, ManagementFactory.getPlatformMBeanServer(),
                    HamServer.guardianFor(options), HamAgent::uninstalled);
            System.err.println("jham agent: HAM listening on " + installed.address());
            return installed;
        } catch (HamException | IllegalStateException e) {
            System.err.println("jham agent: not started: " + e.getMessage());
            return null;
        }
    }

    private static synchronized void uninstalled() {
        installed = null;
    }
}
