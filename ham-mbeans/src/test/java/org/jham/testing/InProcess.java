package org.jham.testing;

import javax.management.MBeanServer;
import org.jham.mbean.ObjectNames;

/** Installs a fake HAM in a given MBean server, as a {@code -javaagent} HAM would in its host JVM. */
public final class InProcess {
    private InProcess() {
    }

    public static FakeHam install(MBeanServer mbs) throws Exception {
        FakeHam ham = new FakeHam(mbs);
        mbs.registerMBean(ham, ObjectNames.HAM);
        return ham;
    }
}
