package org.jham.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.JMX;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.apache.commons.daemon.DaemonContext;
import org.apache.commons.daemon.DaemonController;
import org.apache.commons.daemon.DaemonInitException;
import org.jham.agent.launch.HamDaemon;
import org.jham.mbean.HamMXBean;
import org.jham.mbean.ObjectNames;
import org.junit.jupiter.api.Test;

/** The Commons Daemon lifecycle jsvc drives: init with arguments, start, serve, stop, destroy. */
class HamDaemonIT {
    private static DaemonContext context(String... args) {
        return new DaemonContext() {
            public DaemonController getController() {
                return null;
            }

            public String[] getArguments() {
                return args;
            }
        };
    }

    @Test
    void lifecycleServesJmxmpAndStops() throws Exception {
        Path state = Files.createTempDirectory("jham-daemon");
        HamDaemon d = new HamDaemon();
        d.init(context("--port", "0", "--no-guardian", "--state-dir", state.toString(), "-d"));
        d.start();
        try {
            String address = Files.readString(state.resolve("ham.address")).trim();
            try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                HamMXBean ham = JMX.newMXBeanProxy(c.getMBeanServerConnection(), ObjectNames.HAM, HamMXBean.class);
                assertEquals(ProcessHandle.current().pid(), ham.getHamPid());
                assertTrue(ham.getInfo().startsWith("Ham Pid : "));
            }
        } finally {
            d.stop();
            d.destroy();
        }
    }

    @Test
    void badArgumentsFailInit() {
        DaemonInitException e = assertThrows(DaemonInitException.class,
                () -> new HamDaemon().init(context("--port", "banana")));
        assertTrue(e.getMessage().contains("EINVAL"), e.getMessage());
    }
}
