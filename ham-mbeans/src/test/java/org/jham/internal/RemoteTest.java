package org.jham.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.NoSuchElementException;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanException;
import javax.management.RuntimeErrorException;
import javax.management.RuntimeMBeanException;
import javax.management.remote.JMXServerErrorException;
import org.jham.Errno;
import org.jham.HamException;
import org.junit.jupiter.api.Test;

/** The error mapping, one wrapper and one exception type at a time. */
class RemoteTest {
    private static HamException map(Throwable t) {
        return Remote.map("op on jham:type=Ham at here", t);
    }

    @Test
    void anErrnoPrefixKeepsItsErrno() {
        HamException e = map(new IllegalStateException("EEXIST: entity 'inetd' already exists"));
        assertEquals(Errno.EEXIST, e.errno());
        assertEquals("entity 'inetd' already exists", e.detail());
        assertEquals(Errno.ENOENT, map(new NoSuchElementException("ENOENT: no entity 'x'")).errno());
        assertEquals(Errno.ESRCH, map(new NoSuchElementException("ESRCH: no process 7")).errno());
        assertEquals(Errno.ENAMETOOLONG, map(new IllegalArgumentException("ENAMETOOLONG: long")).errno());
        // The prefix wins over the type.
        assertEquals(Errno.EBUSY, map(new IllegalArgumentException("EBUSY: stopping")).errno());
    }

    @Test
    void wrappersArePeeledOff() {
        Throwable wrapped = new UndeclaredThrowableException(new RuntimeMBeanException(
                new IllegalStateException("EEXIST: dup")));
        assertEquals(Errno.EEXIST, map(wrapped).errno());
        assertEquals(Errno.EINVAL, map(new RuntimeMBeanException(new IllegalArgumentException("EINVAL: x"))).errno());
        assertEquals(Errno.ENOENT, map(new MBeanException(new NoSuchElementException("ENOENT: y"))).errno());
        HamException err = map(new RuntimeErrorException(new AssertionError("bug")));
        assertEquals(Errno.EIO, err.errno());
        assertTrue(err.getCause() instanceof AssertionError);
    }

    @Test
    void aMissingMBeanIsEnoent() {
        HamException e = map(new UndeclaredThrowableException(new InstanceNotFoundException("jham:type=Entity,entity=gone")));
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(e.getMessage().contains("jham:type=Entity,entity=gone"), e.getMessage());
    }

    @Test
    void transportFailuresAreEbadf() {
        assertEquals(Errno.EBADF, map(new UndeclaredThrowableException(new IOException("The client has been closed."))).errno());
        assertEquals(Errno.EBADF, map(new InterruptedIOException("Waiting response timeout: 200")).errno());
        // An Error on the server arrives as an IOException subclass but is not a transport failure.
        assertEquals(Errno.EIO, map(new JMXServerErrorException("server error", new AssertionError("x"))).errno());
    }

    @Test
    void unprefixedJdkTypesMapByType() {
        assertEquals(Errno.ENOENT, map(new NoSuchElementException("gone")).errno());
        assertEquals(Errno.EINVAL, map(new IllegalArgumentException("bad")).errno());
        assertEquals(Errno.EACCES, map(new SecurityException("Access denied!")).errno());
    }

    @Test
    void anythingElseIsEioWithTheCause() {
        IllegalStateException odd = new IllegalStateException("no errno here");
        HamException e = map(odd);
        assertEquals(Errno.EIO, e.errno());
        assertSame(odd, e.getCause());
        assertTrue(e.getMessage().startsWith("EIO: op on jham:type=Ham at here: IllegalStateException: no errno here"),
                e.getMessage());
    }

    @Test
    void aHamExceptionIsKept() {
        HamException h = new HamException(Errno.EACCES, "no");
        assertSame(h, map(new UndeclaredThrowableException(h)));
    }
}
