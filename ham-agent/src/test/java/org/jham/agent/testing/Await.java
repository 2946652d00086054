package org.jham.agent.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls for a condition with a generous deadline: tests never wait by a fixed sleep. */
public final class Await {
    private Await() {
    }

    public static final Duration DEFAULT = Duration.ofSeconds(30);

    public static void until(String what, BooleanSupplier condition) {
        until(what, DEFAULT, condition);
    }

    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out waiting for " + what + " (last error: " + e + ")", e);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    /** Polls until {@code value} returns non-null and returns it. */
    public static <T> T value(String what, Supplier<T> value) {
        return value(what, DEFAULT, value);
    }

    public static <T> T value(String what, Duration timeout, Supplier<T> value) {
        Object[] box = new Object[1];
        until(what, timeout, () -> (box[0] = value.get()) != null);
        @SuppressWarnings("unchecked")
        T t = (T) box[0];
        return t;
    }
}
