package org.jham.recovery;

import static java.nio.file.StandardOpenOption.READ;
import static org.jham.recovery.HaConstants.HA_RECOVERY_ACOUNT;
import static org.jham.recovery.HaConstants.HA_RECOVERY_ENABLE;
import static org.jham.recovery.HaConstants.HA_RECOVERY_ICOUNT;
import static org.jham.recovery.HaConstants.HA_RECOVERY_RESET_ACOUNT;
import static org.jham.recovery.HaConstants.HA_RECOVERY_RESET_ICOUNT;
import static org.jham.recovery.HaConstants.HA_RECOVERY_SUSPEND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ha_connection_ctrl: limits in total and per failure, suspension, resets, bad commands. */
class ConnectionCtrlTest {
    @TempDir
    Path dir;
    Path file;
    HaFileChannel c;
    final AtomicInteger calls = new AtomicInteger();

    @BeforeEach
    void open() throws IOException {
        file = dir.resolve("f");
        Files.writeString(file, "abcdef");
        c = HaFileChannel.open(file, (ch, h) -> {
            calls.incrementAndGet();
            return ch.reopen(file, READ);
        }, null, 0, READ);
    }

    @AfterEach
    void close() throws IOException {
        c.close();
    }

    void breakIt() throws IOException {
        AttachTest.breakUnderlying(c);
    }

    int read() throws IOException {
        return c.read(ByteBuffer.allocate(1));
    }

    @Test
    void acountLimitsRecoveriesInTotalUntilReset() throws IOException {
        Ha.connectionCtrl(c, HA_RECOVERY_ACOUNT, 2);
        for (int i = 0; i < 2; i++) {
            breakIt();
            assertEquals(1, read());
        }
        breakIt();
        assertThrows(ClosedChannelException.class, this::read);
        assertEquals(2, calls.get());
        assertEquals(2, c.recoveryCount());
        c.connectionCtrl(HA_RECOVERY_RESET_ACOUNT, 0);
        assertEquals(0, c.recoveryCount());
        assertEquals(1, read());
        assertEquals(3, calls.get());
        c.connectionCtrl(HA_RECOVERY_ACOUNT, -1); // no limit again
        for (int i = 0; i < 5; i++) {
            breakIt();
            assertEquals(1, read());
        }
        assertEquals(8, calls.get());
    }

    @Test
    void acountZeroMeansNoRecovery() throws IOException {
        c.connectionCtrl(HA_RECOVERY_ACOUNT, 0);
        breakIt();
        assertThrows(ClosedChannelException.class, this::read);
        assertEquals(0, calls.get());
    }

    /** A function that "recovers" without repairing anything: the retry fails again, in the same failure. */
    HaFileChannel useless(AtomicInteger n) throws IOException {
        return HaFileChannel.open(file, (ch, h) -> {
            n.incrementAndGet();
            return ch;
        }, null, 0, READ);
    }

    @Test
    void icountLimitsAttemptsForOneFailure() throws IOException {
        AtomicInteger n = new AtomicInteger();
        try (HaFileChannel u = useless(n)) {
            u.connectionCtrl(HA_RECOVERY_ICOUNT, 3);
            AttachTest.breakUnderlying(u);
            assertThrows(ClosedChannelException.class, () -> u.read(ByteBuffer.allocate(1)));
            assertEquals(3, n.get());
            // The count belongs to the failure: without a success in between, no more attempts.
            assertThrows(ClosedChannelException.class, () -> u.read(ByteBuffer.allocate(1)));
            assertEquals(3, n.get());
            u.connectionCtrl(HA_RECOVERY_RESET_ICOUNT, 0);
            assertThrows(ClosedChannelException.class, () -> u.read(ByteBuffer.allocate(1)));
            assertEquals(6, n.get());
        }
    }

    @Test
    void icountIsResetWhenTheConnectionWorksAgain() throws IOException {
        c.connectionCtrl(HA_RECOVERY_ICOUNT, 1);
        for (int i = 0; i < 4; i++) {
            breakIt();
            assertEquals(1, read()); // one attempt per failure is enough each time
        }
        assertEquals(4, calls.get());
    }

    @Test
    void resetIcountFromInsideTheFunctionAllowsMoreAttempts() throws IOException {
        AtomicInteger n = new AtomicInteger();
        try (HaFileChannel u = HaFileChannel.open(file, (ch, h) -> {
            // The first two attempts repair nothing but reset the count; the third reopens.
            if (n.incrementAndGet() < 3) {
                ch.connectionCtrl(HA_RECOVERY_RESET_ICOUNT, 0);
                return ch;
            }
            return ch.reopen(file, READ);
        }, null, 0, READ)) {
            u.connectionCtrl(HA_RECOVERY_ICOUNT, 1);
            AttachTest.breakUnderlying(u);
            assertEquals(1, u.read(ByteBuffer.allocate(1)));
            assertEquals(3, n.get());
        }
    }

    @Test
    void suspendMakesAPlainConnectionUntilEnabled() throws IOException {
        HaFileChannel copy = c.dup();
        try {
            c.connectionCtrl(HA_RECOVERY_SUSPEND, 0);
            breakIt();
            assertThrows(ClosedChannelException.class, this::read);
            assertThrows(ClosedChannelException.class, () -> copy.read(ByteBuffer.allocate(1))); // shared by the dup
            assertEquals(0, calls.get());
            assertTrue(c.isHaAware(), "suspended is still HA-aware");
            copy.connectionCtrl(HA_RECOVERY_ENABLE, 0);
            assertEquals(1, read());
            assertEquals(1, calls.get());
        } finally {
            copy.close();
        }
    }

    @Test
    void unknownCommandsAreEinval() {
        for (int command : new int[] {0, 7, -1, 0x100}) {
            HaException e = assertThrows(HaException.class, () -> c.connectionCtrl(command, 0));
            assertEquals(HaErrno.EINVAL, e.errno());
            assertTrue(e.getMessage().startsWith("EINVAL: "), e.getMessage());
        }
        assertEquals("HA_RECOVERY_RESET_ACOUNT", HaConstants.commandName(HA_RECOVERY_RESET_ACOUNT));
    }
}
