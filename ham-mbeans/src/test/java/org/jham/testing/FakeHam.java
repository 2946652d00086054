package org.jham.testing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.jham.Errno;
import org.jham.Flags;
import org.jham.HamConstants;
import org.jham.HamException;
import org.jham.mbean.HamMXBean;
import org.jham.mbean.ObjectNames;

/**
 * A minimal {@code jham:type=Ham}: attach, placeholder, detach, handle look-ups, verbose and stop
 * over {@link FakeEntity} beans, reporting errors as the HAM does (JDK exceptions with an errno
 * prefix). Hooks let a test inject a failure, hold a call in flight, or act on stop.
 */
public final class FakeHam implements HamMXBean {
    private final MBeanServer mbs;
    private volatile int verbosity;
    /** When set, the next and every later operation throws what it supplies. */
    public volatile Supplier<? extends Throwable> failure;
    /** When set, VERBOSE_GET blocks until it is released. */
    public volatile CountDownLatch gate;
    public final AtomicInteger gated = new AtomicInteger();
    public volatile String stopMode;
    public volatile Runnable onStop = () -> { };

    FakeHam(MBeanServer mbs) {
        this.mbs = mbs;
        FakeEntity.register(mbs, ObjectNames.GLOBAL_ENTITY);
    }

    static ObjectName pattern(String s) {
        try {
            return new ObjectName(s);
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Lets every held call go (cleanup). */
    void release() {
        CountDownLatch g = gate;
        if (g != null) {
            g.countDown();
        }
    }

    /** Runs an operation as the HAM would: injected failure first, HamException to its wire form. */
    static <T> T wire(Supplier<? extends Throwable> failure, Supplier<T> body) {
        if (failure != null) {
            Throwable t = failure.get();
            if (t instanceof RuntimeException) {
                throw (RuntimeException) t;
            }
            throw (Error) t;
        }
        try {
            return body.get();
        } catch (HamException e) {
            throw e.toWire();
        }
    }

    private String add(String ename) {
        ObjectName on = ObjectNames.entity(ename);
        if (mbs.isRegistered(on)) {
            throw new HamException(Errno.EEXIST, "entity '" + ename + "' already exists");
        }
        FakeEntity.register(mbs, ename);
        return ename;
    }

    private void require(ObjectName on, String what) {
        if (!mbs.isRegistered(on)) {
            throw new HamException(Errno.ENOENT, "no " + what);
        }
    }

    @Override
    public String attach(String ename, long pid, String line, String flags) {
        return wire(failure, () -> add(ename));
    }

    @Override
    public String entity(String ename, String flags) {
        return wire(failure, () -> add(ename));
    }

    @Override
    public void detachName(String ename, String flags) {
        wire(failure, () -> {
            require(ObjectNames.entity(ename), "entity '" + ename + "'");
            FakeEntity.unregisterTree(mbs, ename);
            return null;
        });
    }

    @Override
    public String entityHandle(String ename, String flags) {
        return wire(failure, () -> {
            if (!ObjectNames.GLOBAL_ENTITY.equals(ename)) {
                require(ObjectNames.entity(ename), "entity '" + ename + "'");
            }
            return ename;
        });
    }

    @Override
    public String conditionHandle(String ename, String cname, String flags) {
        return wire(failure, () -> {
            require(ObjectNames.condition(ename, cname), "condition '" + cname + "'");
            return cname;
        });
    }

    @Override
    public String actionHandle(String ename, String cname, String aname, String flags) {
        return wire(failure, () -> {
            require(ObjectNames.action(ename, cname, aname), "action '" + aname + "'");
            return aname;
        });
    }

    @Override
    public int verbose(String op, int value) {
        return wire(failure, () -> {
            switch (Flags.parseVerboseOp(op)) {
                case HamConstants.VERBOSE_SET_INCR:
                    return verbosity += Math.max(1, value);
                case HamConstants.VERBOSE_SET_DECR:
                    return verbosity -= Math.max(1, value);
                case HamConstants.VERBOSE_SET:
                    return verbosity = value;
                default:
                    hold();
                    return verbosity;
            }
        });
    }

    private void hold() {
        CountDownLatch g = gate;
        if (g == null) {
            return;
        }
        gated.incrementAndGet();
        try {
            if (!g.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("EIO: the test never released the gate");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("EIO: interrupted");
        }
    }

    @Override
    public void stop(String mode) {
        wire(failure, () -> {
            stopMode = mode;
            onStop.run();
            return null;
        });
    }

    @Override
    public int getVerbosity() {
        return wire(failure, () -> verbosity);
    }

    @Override
    public String getInfo() {
        return wire(failure, () -> "Ham Pid : " + ProcessHandle.current().pid() + "\n");
    }

    @Override
    public String[] getEntityNames() {
        return wire(failure, () -> mbs.queryNames(pattern("jham:type=Entity,*"), null).stream()
                .map(n -> n.getKeyProperty("entity")).filter(n -> !n.equals(ObjectNames.GLOBAL_ENTITY))
                .sorted().toArray(String[]::new));
    }

    @Override
    public long getHamPid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public long getGuardianPid() {
        return 0;
    }

    @Override
    public int getHamFailures() {
        return 0;
    }

    @Override
    public int getGuardianFailures() {
        return 0;
    }

    @Override
    public int getNumEntities() {
        return getEntityNames().length;
    }

    @Override
    public int getNumConditions() {
        return mbs.queryNames(pattern("jham:type=Condition,*"), null).size();
    }

    @Override
    public int getNumActions() {
        return mbs.queryNames(pattern("jham:type=Action,*"), null).size();
    }

    @Override
    public String getAddress() {
        return "";
    }

    @Override
    public String[] getRecentActivity() {
        return new String[0];
    }

    @Override
    public int createChannel(long pid) {
        throw new UnsupportedOperationException("EIO: channels are not in the fake");
    }

    @Override
    public String[] getChannels() {
        return new String[0];
    }

    @Override
    public void signal(long pid, String signal, int code, int value, String source) {
        throw new UnsupportedOperationException("EIO: signals are not in the fake");
    }

    @Override
    public String attachSelf(String ename, long pid, long hpNanos, int hpdl, int hpdh, String flags,
                             String connectionId) {
        throw new UnsupportedOperationException("EIO: self-attach is not in the fake");
    }

    @Override
    public String[] heartbeats(String[] enames) {
        return enames;
    }
}
