package org.jham.testing;

import java.util.function.Supplier;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.jham.ConditionType;
import org.jham.Errno;
import org.jham.HamException;
import org.jham.mbean.EntityMXBean;
import org.jham.mbean.ObjectNames;

/** A minimal {@code jham:type=Entity}: adds conditions, detaches, shows its name as {@code .info}. */
public final class FakeEntity implements EntityMXBean {
    private final MBeanServer mbs;
    private final String name;
    /** When set, every operation throws what it supplies. */
    public volatile Supplier<? extends Throwable> failure;

    private FakeEntity(MBeanServer mbs, String name) {
        this.mbs = mbs;
        this.name = name;
    }

    static FakeEntity register(MBeanServer mbs, String ename) {
        FakeEntity e = new FakeEntity(mbs, ename);
        registerBean(mbs, e, ObjectNames.entity(ename));
        return e;
    }

    static void registerBean(MBeanServer mbs, Object bean, ObjectName on) {
        try {
            mbs.registerMBean(bean, on);
        } catch (JMException e) {
            throw new IllegalStateException("EIO: " + e, e);
        }
    }

    /** Unregisters the entity and everything under it. */
    static void unregisterTree(MBeanServer mbs, String ename) {
        for (String type : new String[] {"Action", "Condition", "Entity"}) {
            String q = "jham:type=" + type + ",entity=" + ObjectNames.entity(ename).getKeyProperty("entity") + ",*";
            for (ObjectName on : mbs.queryNames(FakeHam.pattern(q), null)) {
                try {
                    mbs.unregisterMBean(on);
                } catch (JMException e) {
                    throw new IllegalStateException("EIO: " + e, e);
                }
            }
        }
    }

    @Override
    public String condition(String type, String cname, String flags) {
        return FakeHam.wire(failure, () -> {
            ConditionType.parse(type);
            ObjectName on = ObjectNames.condition(name, cname);
            if (mbs.isRegistered(on)) {
                throw new HamException(Errno.EEXIST, "condition '" + cname + "' already exists");
            }
            registerBean(mbs, new FakeCondition(mbs, name, cname), on);
            return cname;
        });
    }

    @Override
    public void detach(String flags) {
        FakeHam.wire(failure, () -> {
            unregisterTree(mbs, name);
            return null;
        });
    }

    @Override
    public String getInfo() {
        return FakeHam.wire(failure, () -> "Entity Name : " + name + "\n");
    }

    @Override
    public long getEntityPid() {
        return FakeHam.wire(failure, () -> 4242L);
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getPath() {
        return name;
    }

    @Override
    public int getNumConditions() {
        return getConditionNames().length;
    }

    @Override
    public String getEntityType() {
        return ObjectNames.GLOBAL_ENTITY.equals(name) ? "GLOBAL" : "ATTACHED";
    }

    @Override
    public String getCreated() {
        return "";
    }

    @Override
    public String getLastDeath() {
        return "";
    }

    @Override
    public String getRestarted() {
        return "";
    }

    @Override
    public int getNumRestarts() {
        return 0;
    }

    @Override
    public String getLastExit() {
        return "";
    }

    @Override
    public String getStartLine() {
        return "";
    }

    @Override
    public String getFlags() {
        return "0";
    }

    @Override
    public boolean isEnabled() {
        return true;
    }

    @Override
    public String[] getConditionNames() {
        String q = "jham:type=Condition,entity=" + ObjectNames.entity(name).getKeyProperty("entity") + ",*";
        return mbs.queryNames(FakeHam.pattern(q), null).stream().map(n -> n.getKeyProperty("condition"))
                .sorted().toArray(String[]::new);
    }

    private static UnsupportedOperationException notInFake() {
        return new UnsupportedOperationException("EIO: not in the fake");
    }

    @Override
    public int getState() {
        return 0;
    }

    @Override
    public String conditionState(String cname, int fromState, int toState, String flags) {
        throw notInFake();
    }

    @Override
    public String conditionRaise(String cname, int rtype, int rclass, int rseverity, String flags) {
        throw notInFake();
    }

    @Override
    public void reportState(int toState, String flags) {
        throw notInFake();
    }

    @Override
    public void raise(int rtype, int rclass, int rseverity, String flags) {
        throw notInFake();
    }

    @Override
    public int control(String command, String flags) {
        throw notInFake();
    }

    @Override
    public long getHeartbeatPeriod() {
        return 0;
    }

    @Override
    public int getHbLowMark() {
        return 0;
    }

    @Override
    public int getHbHighMark() {
        return 0;
    }

    @Override
    public String getLastHeartbeat() {
        return "";
    }

    @Override
    public String getHeartbeatState() {
        return "";
    }

    @Override
    public int getMissedHeartbeats() {
        return 0;
    }

    @Override
    public long getHeartbeatCount() {
        return 0;
    }

    @Override
    public void detachSelf(String flags) {
        throw notInFake();
    }

    @Override
    public void heartbeat() {
        throw notInFake();
    }
}
