package org.jham.agent.jmx;

import org.jham.Flags;
import org.jham.agent.engine.Engine;
import org.jham.agent.engine.InfoText;
import org.jham.agent.engine.Views;
import org.jham.mbean.ActionMXBean;

/** {@code jham:type=Action,...}; stale beans answer ENOENT. */
final class ActionBean implements ActionMXBean {
    private final Engine engine;
    private final String ename;
    private final String cname;
    private final String aname;

    ActionBean(Engine engine, String ename, String cname, String aname) {
        this.engine = engine;
        this.ename = ename;
        this.cname = cname;
        this.aname = aname;
    }

    private Views.ActionView view() {
        return Wire.call(() -> engine.action(ename, cname, aname));
    }

    @Override
    public String getName() {
        return aname;
    }

    @Override
    public String getEntityName() {
        return ename;
    }

    @Override
    public String getConditionName() {
        return cname;
    }

    @Override
    public String getPath() {
        return view().path();
    }

    @Override
    public long getEntityPid() {
        return view().entityPid();
    }

    @Override
    public String getActionReArm() {
        return InfoText.onOff(view().flags());
    }

    @Override
    public String getActionType() {
        return view().spec().typeName();
    }

    @Override
    public String getDetail() {
        return view().spec().detail();
    }

    @Override
    public String getFlags() {
        return Flags.format(Flags.Kind.ACTION, view().flags());
    }

    @Override
    public boolean isEnabled() {
        return view().enabled();
    }

    @Override
    public long getRunCount() {
        return view().runCount();
    }

    @Override
    public long getFailCount() {
        return view().failCount();
    }

    @Override
    public String getInfo() {
        return InfoText.action(view());
    }

    @Override
    public void remove(String flags) {
        Wire.run(() -> {
            Flags.parse(Flags.Kind.NONE, flags);
            engine.removeAction(ename, cname, aname);
        });
    }
}
