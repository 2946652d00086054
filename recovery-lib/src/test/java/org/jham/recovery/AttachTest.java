package org.jham.recovery;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.file.StandardOpenOption.READ;
import static org.jham.recovery.HaConstants.HAREPLACERECOVERYFN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ha_attach, ha_detach, ha_dup, ha_close, ha_open/creat/fopen on files: the errno of each misuse,
 * what a dup shares, and how long a recovery function lives. A connection goes stale here by the
 * channel under it being closed behind its back (a real ClosedChannelException on the next use).
 */
class AttachTest {
    @TempDir
    Path dir;
    Path file;
    final List<HaFileChannel> open = new ArrayList<>();

    /** The guide's Handle: counts the recoveries, and which function ran. */
    static final class Handle {
        int nr;
        final List<String> calls = new ArrayList<>();
    }

    /** A recovery function that reopens the file and restores the position, recording its name. */
    RecoveryFunction<HaFileChannel, Handle> reopening(String name, long[] offset) {
        return (c, h) -> {
            h.calls.add(name);
            h.nr++;
            c.reopen(file, READ).position(offset == null ? 0 : offset[0]);
            return c;
        };
    }

    @BeforeEach
    void file() throws IOException {
        file = dir.resolve("server");
        Files.writeString(file, "0123456789abcdefghijklmnopqrstuvwxyz", US_ASCII);
    }

    @AfterEach
    void closeAll() throws IOException {
        for (HaFileChannel c : open) {
            c.close();
        }
    }

    HaFileChannel track(HaFileChannel c) {
        open.add(c);
        return c;
    }

    static void breakUnderlying(HaConnection<?> c) throws IOException {
        if (c instanceof HaFileChannel f) {
            f.descriptor().current().close();
        } else {
            ((HaSocket) c).descriptor().current().close();
        }
    }

    static String read(HaFileChannel c, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        int got = c.read(b);
        return got < 0 ? null : new String(b.array(), 0, got, US_ASCII);
    }

    static HaErrno errno(Runnable r) {
        return assertThrows(HaException.class, r::run).errno();
    }

    @Test
    void haOpenRecoversTransparentlyAndRetriesTheRead() throws IOException {
        Handle h = new Handle();
        long[] offset = {0};
        HaFileChannel c = track(HaFileChannel.open(file, reopening("recover_conn", offset), h, 0, READ));
        assertTrue(c.isHaAware());
        assertEquals("01234", read(c, 5));
        offset[0] = 5;
        breakUnderlying(c);
        assertEquals("56789", read(c, 5)); // failed, recovered at the offset, retried
        assertEquals(1, h.nr);
        assertEquals(1, c.recoveryCount());
        assertEquals(List.of("recover_conn"), h.calls);
    }

    @Test
    void aPlainConnectionDoesNotRecoverUntilAttached() throws IOException {
        Handle h = new Handle();
        HaFileChannel c = track(HaFileChannel.open(file, READ));
        assertFalse(c.isHaAware());
        breakUnderlying(c);
        assertThrows(ClosedChannelException.class, () -> read(c, 1));
        Ha.attach(c, reopening("f", null), h, 0);
        assertEquals("0", read(c, 1));
        assertEquals(1, h.nr);
    }

    @Test
    void attachErrorsAreTheGuides() throws IOException {
        Handle h = new Handle();
        HaFileChannel c = track(HaFileChannel.open(file, READ));
        // HAREPLACERECOVERYFN without a function to replace: EBADF
        assertEquals(HaErrno.EBADF, errno(() -> c.attach(reopening("f", null), h, HAREPLACERECOVERYFN)));
        c.attach(reopening("f", null), h, 0);
        // attached already, no HAREPLACERECOVERYFN: EEXIST, and the first function stays
        HaException exist = assertThrows(HaException.class, () -> c.attach(reopening("g", null), h, 0));
        assertEquals(HaErrno.EEXIST, exist.errno());
        assertTrue(exist.getMessage().startsWith("EEXIST: "), exist.getMessage());
        assertEquals(HaErrno.EINVAL, errno(() -> c.attach(null, h, HAREPLACERECOVERYFN)));
        assertEquals(HaErrno.EINVAL, errno(() -> c.attach(reopening("g", null), h, 0x2)));
        breakUnderlying(c);
        read(c, 1);
        assertEquals(List.of("f"), h.calls);

        c.attach(reopening("g", null), h, HAREPLACERECOVERYFN);
        breakUnderlying(c);
        read(c, 1);
        assertEquals(List.of("f", "g"), h.calls);

        c.close();
        assertEquals(HaErrno.EBADF, errno(() -> c.attach(reopening("g", null), h, 0)));
        assertEquals(HaErrno.EBADF, errno(c::detach));
        assertEquals(HaErrno.EBADF, errno(c::dup));
        assertEquals(HaErrno.EBADF, errno(() -> c.connectionCtrl(HaConstants.HA_RECOVERY_SUSPEND, 0)));
        c.close(); // closing twice does nothing
    }

    @Test
    void detachEndsRecovery() throws IOException {
        Handle h = new Handle();
        HaFileChannel c = track(Ha.open(file, reopening("f", null), h, 0, READ));
        Ha.detach(c);
        assertFalse(c.isHaAware());
        assertEquals(HaErrno.EBADF, errno(c::detach));
        assertEquals(HaErrno.EBADF, errno(() -> c.connectionCtrl(HaConstants.HA_RECOVERY_SUSPEND, 0)));
        assertEquals(HaErrno.EBADF, errno(c::dup));
        breakUnderlying(c);
        assertThrows(ClosedChannelException.class, () -> read(c, 1));
        assertEquals(0, h.nr);
        c.attach(reopening("f", null), h, 0); // attachable again
        assertEquals("0", read(c, 1));
    }

    @Test
    void haOpenWithAFailingAttachClosesTheFile() throws IOException {
        HaException e = assertThrows(HaException.class,
                () -> HaFileChannel.open(file, reopening("f", null), new Handle(), HAREPLACERECOVERYFN, READ));
        assertEquals(HaErrno.EBADF, e.errno());
        assertThrows(IOException.class, () -> HaFileChannel.open(dir.resolve("missing"), reopening("f", null), new Handle(), 0, READ));
    }

    @Test
    void dupSharesTheChannelThePositionAndTheFunction() throws IOException {
        Handle h = new Handle();
        HaFileChannel fd = track(HaFileChannel.open(file, reopening("recover_conn", null), h, 0, READ));
        HaFileChannel fd2 = track(Ha.dup(fd));
        assertTrue(fd2.isHaAware());
        assertEquals("012", read(fd, 3));
        assertEquals("345", read(fd2, 3)); // one open file description, one position
        // Replacing the function through one copy replaces it for both.
        fd2.attach(reopening("recover_conn2", null), h, HAREPLACERECOVERYFN);
        breakUnderlying(fd);
        assertEquals("012", read(fd, 3)); // recovered by recover_conn2 at offset 0
        assertEquals(List.of("recover_conn2"), h.calls);
        assertEquals("345", read(fd2, 3)); // the recovered channel serves both copies
        assertEquals(1, fd.recoveryCount());
        assertEquals(1, fd2.recoveryCount());
    }

    @Test
    void theFunctionLivesUntilTheLastCopyCloses() throws IOException {
        Handle h = new Handle();
        HaFileChannel fd = track(HaFileChannel.open(file, reopening("recover_conn", null), h, 0, READ));
        HaFileChannel fd3 = track(fd.dup());
        FileChannel underlying = fd.descriptor().current();
        Ha.close(fd);
        assertFalse(fd.isOpen());
        assertThrows(ClosedChannelException.class, () -> read(fd, 1)); // a closed copy never recovers
        assertEquals(0, h.nr);
        assertTrue(underlying.isOpen(), "fd3 still holds the channel");
        breakUnderlying(fd3);
        assertEquals("0", read(fd3, 1)); // recover_conn is still there
        assertEquals(List.of("recover_conn"), h.calls);
        FileChannel recovered = fd3.descriptor().current();
        fd3.close();
        assertFalse(recovered.isOpen(), "the last close closes the channel");
    }

    @Test
    void aDetachedCopyKeepsTheChannelButNotTheFunction() throws IOException {
        Handle h = new Handle();
        HaFileChannel fd = track(HaFileChannel.open(file, reopening("f", null), h, 0, READ));
        HaFileChannel fd2 = track(fd.dup());
        fd.detach();
        assertTrue(fd2.isHaAware());
        breakUnderlying(fd);
        assertThrows(ClosedChannelException.class, () -> read(fd, 1));
        assertEquals(0, h.nr);
        assertEquals("0", read(fd2, 1));
        assertEquals(1, h.nr);
        assertEquals("1", read(fd, 1)); // the channel fd2 recovered is fd's too
    }

    @Test
    void giveUpReturnsTheOriginalFailure() throws IOException {
        Handle h = new Handle();
        HaFileChannel c = track(HaFileChannel.open(file, (ch, hh) -> {
            hh.nr++;
            return null;
        }, h, 0, READ));
        breakUnderlying(c);
        ClosedChannelException e = assertThrows(ClosedChannelException.class, () -> read(c, 1));
        assertEquals(0, e.getSuppressed().length);
        assertEquals(1, h.nr);
    }

    @Test
    void aFunctionThatThrowsGivesUpWithItsFailureSuppressed() throws IOException {
        HaFileChannel c = track(HaFileChannel.open(file, (ch, hh) -> ch.reopen(dir.resolve("missing"), READ), null, 0, READ));
        breakUnderlying(c);
        ClosedChannelException e = assertThrows(ClosedChannelException.class, () -> read(c, 1));
        assertEquals(1, e.getSuppressed().length);
        assertInstanceOf(java.nio.file.NoSuchFileException.class, e.getSuppressed()[0]);
    }

    @Test
    void aFunctionThatReturnsAnotherConnectionHasNotRecovered() throws IOException {
        HaFileChannel other = track(HaFileChannel.open(file, READ));
        HaFileChannel c = track(HaFileChannel.open(file, (ch, hh) -> other, null, 0, READ));
        breakUnderlying(c);
        ClosedChannelException e = assertThrows(ClosedChannelException.class, () -> read(c, 1));
        HaException why = assertInstanceOf(HaException.class, e.getSuppressed()[0]);
        assertEquals(HaErrno.EBADF, why.errno());
        assertTrue(why.getMessage().contains("returned another connection"), why.getMessage());
    }

    @Test
    void theFunctionsOwnIoDoesNotRecoverAgain() throws IOException {
        Handle h = new Handle();
        // The function uses the still-broken connection (no reopen): that read fails, inside.
        HaFileChannel c = track(HaFileChannel.open(file, (ch, hh) -> {
            hh.nr++;
            ch.position(3);
            return ch;
        }, h, 0, READ));
        breakUnderlying(c);
        ClosedChannelException e = assertThrows(ClosedChannelException.class, () -> read(c, 1));
        assertEquals(1, h.nr);
        assertInstanceOf(ClosedChannelException.class, e.getSuppressed()[0]);
    }

    @Test
    void errorsThatAreNotStaleDoNotRecover() throws IOException {
        Handle h = new Handle();
        HaFileChannel c = track(HaFileChannel.open(file, reopening("f", null), h, 0, READ));
        assertThrows(java.nio.channels.NonWritableChannelException.class, () -> c.write(ByteBuffer.wrap(new byte[1])));
        assertThrows(IllegalArgumentException.class, () -> c.position(-1));
        HaFileChannel d = track(HaFileChannel.open(dir, reopening("f", null), h, 0, READ));
        IOException e = assertThrows(IOException.class, () -> read(d, 1));
        assertEquals("Is a directory", e.getMessage());
        c.position(c.size());
        assertNull(read(c, 1)); // end of file is an answer, not a failure
        assertEquals(0, h.nr);
    }

    @Test
    void creatTruncatesAndFopenTakesTheModes() throws IOException {
        Handle h = new Handle();
        HaFileChannel w = track(Ha.creat(file, (c, hh) -> c, h, 0));
        w.outputStream().write("hello".getBytes(US_ASCII));
        w.close();
        assertEquals("hello", Files.readString(file, US_ASCII));
        HaFileChannel a = track(Ha.fopen(file, "ab", (c, hh) -> c, h, 0));
        a.outputStream().write(" world".getBytes(US_ASCII));
        a.close();
        HaFileChannel r = track(Ha.fopen(file, "r", (c, hh) -> c, h, 0));
        assertEquals("hello world", new String(r.inputStream().readAllBytes(), US_ASCII));
        r.inputStream().close(); // ha_fclose
        assertFalse(r.isOpen());
        assertEquals(HaErrno.EINVAL, errno(() -> {
            try {
                HaFileChannel.fopen(file, "a+", (c, hh) -> c, h, 0);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }));
        assertEquals(HaErrno.EINVAL, errno(() -> {
            try {
                HaFileChannel.fopen(file, "x", (c, hh) -> c, h, 0);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }));
    }

    @Test
    void theRecoveredConnectionIsTheSameObject() throws IOException {
        HaFileChannel[] seen = new HaFileChannel[1];
        HaFileChannel c = track(HaFileChannel.open(file, (ch, hh) -> {
            seen[0] = ch;
            return Ha.reopen(ch, file, READ);
        }, null, 0, READ));
        breakUnderlying(c);
        read(c, 1);
        assertSame(c, seen[0]);
    }
}
