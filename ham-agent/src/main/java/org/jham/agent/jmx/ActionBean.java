package org.jham.agent.jmx;

import org.jham.Flags;
import org.jham.agent.engine.ActionSpec;
import org.jham.agent.process.SignalNames;
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
    public String[] getFailActions() {
        return view().failActions().stream().map(InfoText::failItem).toArray(String[]::new);
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

    @Override
    public int control(String command, String flags) {
        return Wire.call(() -> engine.actionControl(ename, cname, aname, Flags.parseCommand(command),
                Flags.parseControl(Flags.Kind.ACTION, flags)));
    }

    @Override
    public void failExecute(String fname, String line, String flags) {
        addFail(fname, () -> ActionSpec.execute(line), flags);
    }

    @Override
    public void failWaitfor(String fname, String path, int delay, String flags) {
        addFail(fname, () -> ActionSpec.waitfor(path, delay), flags);
    }

    @Override
    public void failNotifyPulse(String fname, String node, long pid, int chid, int code, int value, String flags) {
        addFail(fname, () -> ActionSpec.notifyPulse(node, pid, chid, code, value), flags);
    }

    @Override
    public void failNotifySignal(String fname, String node, long pid, String signal, int code, int value, String flags) {
        addFail(fname, () -> ActionSpec.notifySignal(node, pid, SignalNames.parse(signal), code, value), flags);
    }

    @Override
    public void failLog(String fname, String msg, int attachPrefix, int verbosity, String flags) {
        addFail(fname, () -> ActionSpec.log(msg, attachPrefix != 0, verbosity), flags);
    }

    @Override
    public void failCustom(String fname, String type, String args, String flags) {
        addFail(fname, () -> engine.customSpec(type, args), flags);
    }

    @Override
    public void failRemove(String fname, String flags) {
        Wire.run(() -> {
            Flags.parse(Flags.Kind.NONE, flags);
            engine.removeFailAction(ename, cname, aname, fname);
        });
    }

    private void addFail(String fname, java.util.function.Supplier<ActionSpec> spec, String flags) {
        Wire.run(() -> {
            int f = Flags.parse(Flags.Kind.NONE, flags);
            engine.addFailAction(ename, cname, aname, fname, spec.get(), f);
        });
    }
}
