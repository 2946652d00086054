package org.jham.testing;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.jham.mbean.ActionMXBean;

/** A minimal {@code jham:type=Action}: shows itself as {@code .info}, removes itself. */
final class FakeAction implements ActionMXBean {
    private final MBeanServer mbs;
    private final ObjectName on;
    private final String type;
    private final String detail;

    FakeAction(MBeanServer mbs, ObjectName on, String type, String detail) {
        this.mbs = mbs;
        this.on = on;
        this.type = type;
        this.detail = detail;
    }

    @Override
    public void remove(String flags) {
        try {
            mbs.unregisterMBean(on);
        } catch (JMException e) {
            throw new IllegalStateException("EIO: " + e, e);
        }
    }

    @Override
    public String getInfo() {
        return "Action Name : " + getName() + "\nAction Type : " + type + "\n";
    }

    @Override
    public String getName() {
        return on.getKeyProperty("action");
    }

    @Override
    public String getEntityName() {
        return on.getKeyProperty("entity");
    }

    @Override
    public String getConditionName() {
        return on.getKeyProperty("condition");
    }

    @Override
    public String getPath() {
        return getEntityName() + "/" + getConditionName() + "/" + getName();
    }

    @Override
    public long getEntityPid() {
        return 0;
    }

    @Override
    public String getActionReArm() {
        return "OFF";
    }

    @Override
    public String getActionType() {
        return type;
    }

    @Override
    public String getDetail() {
        return detail;
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
    public long getRunCount() {
        return 0;
    }

    @Override
    public long getFailCount() {
        return 0;
    }

    private static UnsupportedOperationException notInFake() {
        return new UnsupportedOperationException("EIO: not in the fake");
    }

    @Override
    public String[] getFailActions() {
        return new String[0];
    }

    @Override
    public int control(String command, String flags) {
        throw notInFake();
    }

    @Override
    public void failExecute(String fname, String line, String flags) {
        throw notInFake();
    }

    @Override
    public void failWaitfor(String fname, String path, int delay, String flags) {
        throw notInFake();
    }

    @Override
    public void failNotifyPulse(String fname, String node, long pid, int chid, int code, int value, String flags) {
        throw notInFake();
    }

    @Override
    public void failNotifySignal(String fname, String node, long pid, String signal, int code, int value, String flags) {
        throw notInFake();
    }

    @Override
    public void failLog(String fname, String msg, int attachPrefix, int verbosity, String flags) {
        throw notInFake();
    }

    @Override
    public void failCustom(String fname, String type, String args, String flags) {
        throw notInFake();
    }

    @Override
    public void failRemove(String fname, String flags) {
        throw notInFake();
    }
}
