package org.jham.internal;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The JMXMP message connection the client hands to OpenDMK instead of its default one: the same
 * socket connection, except that it connects only once.
 *
 * <p>Why: after a connection failure OpenDMK reconnects by itself, and that reconnect has no bound.
 * When it reaches a listener that accepts but never answers (seen when a connector server is
 * stopped in a JVM that lives on: a connection accepted during the stop is never served), it blocks
 * forever while holding the connector's locks, and every later call and {@code close()} block with
 * it. jHAM instead lets the failure surface (calls fail with EBADF, the connection is marked failed)
 * and reopens on the next {@code Ham.connect}, with bounds; a keep-alive keeps the server from
 * dropping idle connections in the meantime.
 *
 * <p>Built by reflection because OpenDMK is a runtime-only dependency. Thread-safe.
 */
final class Transport {
    /** The OpenDMK environment key of the client's message connection. */
    static final String ENV_KEY = "jmx.remote.message.connection";

    private Transport() {
    }

    /**
     * A message connection to {@code host:port} that refuses to reconnect, and sets {@code lost}
     * the moment reading from it fails (the HAM died or closed it): sooner than OpenDMK's own
     * failure notice, which comes after it has waited about a second for a reconnect.
     *
     * @throws IOException when OpenDMK's socket connection cannot be made
     */
    static Object create(String host, int port, ClassLoader loader, AtomicBoolean lost) throws IOException {
        Object delegate;
        Class<?> socketConnection;
        try {
            socketConnection = Class.forName("com.sun.jmx.remote.socket.SocketConnection", true, loader);
            delegate = socketConnection.getConstructor(String.class, int.class).newInstance(host, port);
        } catch (InvocationTargetException e) {
            throw new IOException(Remote.reason(e.getCause()), e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IOException("the JMXMP provider (OpenDMK) is not on the class path: " + Remote.reason(e), e);
        }
        AtomicBoolean connected = new AtomicBoolean();
        String where = host + ":" + port;
        InvocationHandler h = (Object self, Method m, Object[] args) -> {
            if (m.getDeclaringClass() == Object.class) {
                return Remote.objectMethod(self, m, args, "Transport[" + where + "]");
            }
            if (m.getName().equals("connect") && !connected.compareAndSet(false, true)) {
                throw new IOException("the connection to " + where
                        + " failed; jHAM reopens it on the next Ham.connect instead of reconnecting here");
            }
            try {
                return m.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                if (m.getName().equals("readMessage") && e.getCause() instanceof IOException
                        && !(e.getCause() instanceof java.io.InterruptedIOException)) {
                    lost.set(true);
                }
                throw e.getCause();
            }
        };
        // SocketConnection implements MessageConnection and SocketConnectionIf (which the TLS and SASL
        // profiles need); the proxy offers both.
        return Proxy.newProxyInstance(loader, socketConnection.getInterfaces(), h);
    }
}
