package org.jham.samples;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls for a condition with a generous deadline: tests never wait by a fixed sleep. */
final class Await {
    private Await() {
    }

    static final Duration DEFAULT = Duration.ofSeconds(30);

    static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEFAULT.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + DEFAULT.toSeconds() + " s waiting for " + what
                        + (last == null ? "" : " (last error: " + last + ")"), last);
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
    static <T> T value(String what, Supplier<T> value) {
        Object[] box = new Object[1];
        until(what, () -> (box[0] = value.get()) != null);
        @SuppressWarnings("unchecked")
        T t = (T) box[0];
        return t;
    }
}
