package org.jham.testing;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.jham.Errno;
import org.jham.HamException;
import org.jham.mbean.ConditionMXBean;
import org.jham.mbean.ObjectNames;

/** A minimal {@code jham:type=Condition}: adds actions, removes itself. */
final class FakeCondition implements ConditionMXBean {
    private final MBeanServer mbs;
    private final String ename;
    private final String name;

    FakeCondition(MBeanServer mbs, String ename, String name) {
        this.mbs = mbs;
        this.ename = ename;
        this.name = name;
    }

    private String add(String aname, String type, String detail) {
        return FakeHam.wire(null, () -> {
            ObjectName on = ObjectNames.action(ename, name, aname);
            if (mbs.isRegistered(on)) {
                throw new HamException(Errno.EEXIST, "action '" + aname + "' already exists");
            }
            FakeEntity.registerBean(mbs, new FakeAction(mbs, on, type, detail), on);
            return aname;
        });
    }

    @Override
    public String actionRestart(String aname, String line, String flags) {
        return add(aname, "RESTART", line);
    }

    @Override
    public String actionExecute(String aname, String line, String flags) {
        return add(aname, "EXECUTE", line);
    }

    @Override
    public String actionLog(String aname, String msg, int attachPrefix, int verbosity, String flags) {
        return add(aname, "LOG", msg);
    }

    @Override
    public void remove(String flags) {
        try {
            for (String a : getActionNames()) {
                mbs.unregisterMBean(ObjectNames.action(ename, name, a));
            }
            mbs.unregisterMBean(ObjectNames.condition(ename, name));
        } catch (JMException e) {
            throw new IllegalStateException("EIO: " + e, e);
        }
    }

    @Override
    public String getInfo() {
        return "Condition Name : " + name + "\n";
    }

    @Override
    public String[] getActionNames() {
        return mbs.queryNames(FakeHam.pattern(
                "jham:type=Action,entity=" + ObjectNames.entity(ename).getKeyProperty("entity")
                        + ",condition=" + ObjectNames.condition(ename, name).getKeyProperty("condition") + ",*"), null)
                .stream().map(n -> n.getKeyProperty("action")).sorted().toArray(String[]::new);
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getEntityName() {
        return ename;
    }

    @Override
    public String getPath() {
        return ename + "/" + name;
    }

    @Override
    public long getEntityPid() {
        return 0;
    }

    @Override
    public int getNumActions() {
        return getActionNames().length;
    }

    @Override
    public String getConditionReArm() {
        return "OFF";
    }

    @Override
    public String getConditionType() {
        return "CONDDEATH";
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
    public long getTriggerCount() {
        return 0;
    }

    private static UnsupportedOperationException notInFake() {
        return new UnsupportedOperationException("EIO: not in the fake");
    }

    @Override
    public String getFilter() {
        return "";
    }

    @Override
    public String actionWaitfor(String aname, String path, int delay, String flags) {
        throw notInFake();
    }

    @Override
    public String actionNotifyPulse(String aname, String node, long pid, int chid, int code, int value, String flags) {
        throw notInFake();
    }

    @Override
    public String actionNotifySignal(String aname, String node, long pid, String signal, int code, int value,
                                     String flags) {
        throw notInFake();
    }

    @Override
    public String actionHeartbeatHealthy(String aname, String flags) {
        throw notInFake();
    }

    @Override
    public String actionCustom(String aname, String type, String args, String flags) {
        throw notInFake();
    }

    @Override
    public int control(String command, String flags) {
        throw notInFake();
    }
}
