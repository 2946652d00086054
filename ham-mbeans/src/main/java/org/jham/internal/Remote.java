package org.jham.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import javax.management.InstanceNotFoundException;
import javax.management.JMX;
import javax.management.MBeanException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.ReflectionException;
import javax.management.RuntimeErrorException;
import javax.management.RuntimeMBeanException;
import javax.management.RuntimeOperationsException;
import javax.management.remote.JMXServerErrorException;
import org.jham.Errno;
import org.jham.HamException;

/**
 * The one place where a failed remote call becomes a {@link HamException}. JMX wrappers
 * ({@code RuntimeMBeanException}, {@code RuntimeErrorException}, {@code MBeanException},
 * {@code UndeclaredThrowableException}, ...) are peeled off, then:
 * <ul>
 * <li>a message starting with an errno name ({@code "EEXIST: ..."}, how the HAM reports errors)
 * keeps that errno;</li>
 * <li>{@code InstanceNotFoundException} (the object behind a stale handle is gone) is ENOENT;</li>
 * <li>{@code IOException} (connection refused, closed, broken or timed out) is EBADF;</li>
 * <li>JDK types without an errno prefix map by type: {@code NoSuchElementException} ENOENT,
 * {@code IllegalArgumentException} EINVAL, {@code SecurityException} (JMX access control)
 * EACCES;</li>
 * <li>anything else is EIO, with the original as the cause.</li>
 * </ul>
 * Thread-safe (stateless).
 */
public final class Remote {
    private Remote() {
    }

    /** A remote call that may throw whatever JMX throws; run on the caller's thread. */
    @FunctionalInterface
    public interface Call<T> {
        T run() throws Exception;
    }

    /** Runs a remote call, mapping its failure; {@code what} names the call in messages. */
    public static <T> T call(String what, Call<T> call) {
        try {
            return call.run();
        } catch (Exception e) {
            throw map(what, e);
        }
    }

    /**
     * An MXBean proxy whose every call fails only with {@link HamException}. The MBean server
     * connection is looked up at each call, so the proxy follows the connection that is open at
     * that moment (and fails with EBADF when the supplier does).
     *
     * @param where the node, for messages
     */
    public static <T> T proxy(Class<T> iface, ObjectName name, Supplier<MBeanServerConnection> server, String where) {
        return proxy(iface, name, new Caller() {
            public <R> R call(OnServer<R> op) {
                return op.on(server.get());
            }
        }, where);
    }

    /** One remote call, on the connection it is given; fails only with {@link HamException}. */
    @FunctionalInterface
    public interface OnServer<R> {
        R on(MBeanServerConnection server);
    }

    /** Runs each call of a proxy: on the connection open now, and again on a new one if it recovers it. */
    public interface Caller {
        <R> R call(OnServer<R> op);
    }

    /** An MXBean proxy as above whose calls are run by {@code caller}. */
    public static <T> T proxy(Class<T> iface, ObjectName name, Caller caller, String where) {
        InvocationHandler h = (Object self, Method m, Object[] args) -> {
            if (m.getDeclaringClass() == Object.class) {
                return objectMethod(self, m, args, iface.getSimpleName() + "[" + name + " at " + where + "]");
            }
            return caller.call(server -> invoke(iface, name, server, m, args, where));
        };
        return iface.cast(Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, h));
    }

    private static <T> Object invoke(Class<T> iface, ObjectName name, MBeanServerConnection server, Method m,
                                     Object[] args, String where) {
        try {
            T mx = JMX.newMXBeanProxy(server, name, iface);
            return m.invoke(mx, args);
        } catch (InvocationTargetException e) {
            Throwable t = e.getCause();
            if (t instanceof VirtualMachineError) {
                throw (VirtualMachineError) t;
            }
            throw map(m.getName() + " on " + name + " at " + where, t);
        } catch (IllegalAccessException | RuntimeException e) {
            throw map(m.getName() + " on " + name + " at " + where, e);
        }
    }

    static Object objectMethod(Object self, Method m, Object[] args, String text) {
        switch (m.getName()) {
            case "equals":
                return self == args[0];
            case "hashCode":
                return System.identityHashCode(self);
            default:
                return text;
        }
    }

    /** Maps whatever a remote call threw; a HamException is returned unchanged. */
    public static HamException map(String what, Throwable thrown) {
        Throwable t = unwrap(thrown);
        if (t instanceof HamException) {
            return (HamException) t;
        }
        if (Errno.fromMessage(t.getMessage()) != null) {
            return HamException.fromWire(t);
        }
        if (t instanceof InstanceNotFoundException) {
            return new HamException(Errno.ENOENT, "no such object: " + t.getMessage(), t);
        }
        if (t instanceof JMXServerErrorException) {
            return new HamException(Errno.EIO, what + ": the HAM failed: " + reason(t), t);
        }
        if (t instanceof InterruptedIOException) {
            return new HamException(Errno.EBADF, what + ": no reply in time: " + reason(t), t);
        }
        if (t instanceof IOException) {
            return new HamException(Errno.EBADF, what + ": connection failed: " + reason(t), t);
        }
        if (t instanceof NoSuchElementException) {
            return new HamException(Errno.ENOENT, what + ": " + reason(t), t);
        }
        if (t instanceof IllegalArgumentException) {
            return new HamException(Errno.EINVAL, what + ": " + reason(t), t);
        }
        if (t instanceof SecurityException) {
            return new HamException(Errno.EACCES, what + ": " + reason(t), t);
        }
        return new HamException(Errno.EIO, what + ": " + reason(t), t);
    }

    /** Peels JMX and reflection wrappers off to the exception the MBean (or transport) threw. */
    static Throwable unwrap(Throwable t) {
        while (true) {
            Throwable next = null;
            if (t instanceof UndeclaredThrowableException) {
                next = ((UndeclaredThrowableException) t).getUndeclaredThrowable();
            } else if (t instanceof InvocationTargetException) {
                next = ((InvocationTargetException) t).getTargetException();
            } else if (t instanceof RuntimeMBeanException) {
                next = ((RuntimeMBeanException) t).getTargetException();
            } else if (t instanceof RuntimeErrorException) {
                next = ((RuntimeErrorException) t).getTargetError();
            } else if (t instanceof MBeanException) {
                next = ((MBeanException) t).getTargetException();
            } else if (t instanceof ReflectionException) {
                next = ((ReflectionException) t).getTargetException();
            } else if (t instanceof RuntimeOperationsException) {
                next = ((RuntimeOperationsException) t).getTargetException();
            } else if (t instanceof JMXServerErrorException) {
                // An Error on the server side, not a transport failure, although it is an IOException.
                next = t.getCause();
            }
            if (next == null || next == t) {
                return t;
            }
            t = next;
        }
    }

    /** A short description of a failure for messages: type and message. */
    public static String reason(Throwable t) {
        String m = t.getMessage();
        String type = t.getClass().getSimpleName();
        return m == null || m.isBlank() ? type : type + ": " + m;
    }
}
