package org.jham.agent.jmx;

import java.util.function.Supplier;
import org.jham.Errno;
import org.jham.HamException;

/**
 * The one place where engine failures become what travels over JMX: a JDK exception type whose
 * message starts with the errno name, so JConsole and jmxterm (which lack our classes) show it
 * and the client library maps it back. Anything unexpected is EIO, never a foreign class.
 */
final class Wire {
    private Wire() {
    }

    static <T> T call(Supplier<T> body) {
        try {
            return body.get();
        } catch (HamException e) {
            throw e.toWire();
        } catch (RuntimeException e) {
            throw new HamException(Errno.EIO, e.getClass().getSimpleName() + ": " + e.getMessage()).toWire();
        }
    }

    static void run(Runnable body) {
        call(() -> {
            body.run();
            return null;
        });
    }

    static String[] array(java.util.List<String> list) {
        return list.toArray(new String[0]);
    }
}
