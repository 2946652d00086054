package org.jham.recovery;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls for a condition with a generous deadline: tests never wait by a fixed sleep. */
final class Await {
    private Await() {
    }

    static final Duration DEFAULT = Duration.ofSeconds(30);

    static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEFAULT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + DEFAULT.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    /** Whether {@code t}'s stack is inside a method {@code method} of a class named {@code className}. */
    static boolean inside(Thread t, String className, String method) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().equals(className) && e.getMethodName().equals(method)) {
                return true;
            }
        }
        return false;
    }
}
