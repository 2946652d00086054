package org.jham.agent.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExitStatusTest {
    @Test
    void coreDumpSignalsAreAbnormal() {
        for (int sig : new int[] {3, 4, 5, 6, 7, 8, 11, 24, 25, 31}) {
            ExitStatus s = ExitStatus.fromJdkExitValue(128 + sig);
            assertEquals(ExitStatus.Kind.SIGNALED, s.kind());
            assertTrue(s.abnormal(), "signal " + sig);
        }
    }

    @Test
    void killTermAndNormalExitsAreNotAbnormal() {
        assertFalse(ExitStatus.fromJdkExitValue(137).abnormal()); // SIGKILL
        assertFalse(ExitStatus.fromJdkExitValue(143).abnormal()); // SIGTERM
        assertFalse(ExitStatus.fromJdkExitValue(0).abnormal());
        assertFalse(ExitStatus.fromJdkExitValue(1).abnormal());
        assertEquals(ExitStatus.Kind.EXITED, ExitStatus.fromJdkExitValue(128).kind());
        assertFalse(ExitStatus.unknown().abnormal());
    }

    @Test
    void describesItself() {
        assertEquals("signal 11 (SIGSEGV) abnormal", ExitStatus.fromJdkExitValue(139).toString());
        assertEquals("signal 9 (SIGKILL)", ExitStatus.fromJdkExitValue(137).toString());
        assertEquals("exit 3", ExitStatus.fromJdkExitValue(3).toString());
    }
}
