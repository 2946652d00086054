package org.jham.agent.testing;

/** A stand-in host application for -javaagent tests: says it runs, then waits to be killed. */
public final class SleepForever {
    private SleepForever() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("sleeping");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
