package org.jham.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jham.Errno;
import org.jham.HamException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The parts of a link that need no server: bounded operations and the timeout property. */
class LinkTest {
    @AfterEach
    void clear() {
        System.clearProperty(Link.REQUEST_TIMEOUT_PROPERTY);
    }

    @Test
    void aBoundedOperationThatHangsIsAbandonedOnADaemonThread() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        AtomicBoolean daemon = new AtomicBoolean();
        try {
            InterruptedIOException e = assertThrows(InterruptedIOException.class, () -> Link.bounded("test-hang", 100, () -> {
                daemon.set(Thread.currentThread().isDaemon());
                never.await();
                return null;
            }));
            assertEquals("no answer within 100 ms", e.getMessage());
            assertTrue(daemon.get());
        } finally {
            never.countDown();
        }
    }

    @Test
    void aBoundedOperationPassesResultsAndFailuresThrough() throws Exception {
        assertEquals("done", Link.bounded("test-ok", 10_000, () -> "done"));
        IOException io = assertThrows(IOException.class, () -> Link.bounded("test-io", 10_000, () -> {
            throw new IOException("refused");
        }));
        assertEquals("refused", io.getMessage());
        assertThrows(IllegalStateException.class, () -> Link.bounded("test-rt", 10_000, () -> {
            throw new IllegalStateException("x");
        }));
    }

    @Test
    void theRequestTimeoutProperty() {
        assertEquals(Link.DEFAULT_REQUEST_TIMEOUT_MS, Link.configuredRequestTimeoutMs());
        System.setProperty(Link.REQUEST_TIMEOUT_PROPERTY, " 1500 ");
        assertEquals(1500, Link.configuredRequestTimeoutMs());
        for (String bad : new String[] {"0", "-5", "soon"}) {
            System.setProperty(Link.REQUEST_TIMEOUT_PROPERTY, bad);
            HamException e = assertThrows(HamException.class, Link::configuredRequestTimeoutMs);
            assertEquals(Errno.EINVAL, e.errno());
        }
    }
}
