package org.jham.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.JMX;
import javax.management.MBeanServerFactory;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.jham.agent.launch.HamOptions;
import org.jham.agent.launch.HamServer;
import org.jham.mbean.EntityMXBean;
import org.jham.mbean.ObjectNames;
import org.junit.jupiter.api.Test;

/** The guide's addinet.c, ported: run the sample against a live HAM, kill the process, see it back. */
class SimpleRestartIT {

    @Test
    void sampleSetsUpRestartThatSurvivesKill9() throws Exception {
        Path state = Files.createTempDirectory("jham-sample");
        HamServer ham = HamServer.start(HamOptions.parse("--port", "0", "--state-dir", state.toString(), "-d"),
                MBeanServerFactory.newMBeanServer(), HamServer.GuardianLink.NONE, () -> { });
        long first = -1;
        long second = -1;
        try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(ham.address()))) {
            SimpleRestart.main(new String[] {"-node", "127.0.0.1:" + ham.port(), "sleeper", "/bin/sleep", "1000"});
            EntityMXBean e = JMX.newMXBeanProxy(c.getMBeanServerConnection(), ObjectNames.entity("sleeper"),
                    EntityMXBean.class);
            first = e.getEntityPid();
            assertTrue(first > 0);

            ProcessHandle.of(first).orElseThrow().destroyForcibly();

            long deadline = System.nanoTime() + 30_000_000_000L;
            while ((e.getNumRestarts() < 1 || e.getEntityPid() == first) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            second = e.getEntityPid();
            assertEquals(1, e.getNumRestarts());
            assertTrue(second != first && ProcessHandle.of(second).map(ProcessHandle::isAlive).orElse(false));
        } finally {
            ham.stop(true);
            for (long p : new long[] {first, second}) {
                if (p > 0) {
                    ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
    }
}
