package org.jham.agent.jmx;

import org.jham.Flags;
import org.jham.agent.engine.ActionSpec;
import org.jham.agent.engine.Engine;
import org.jham.agent.engine.InfoText;
import org.jham.agent.engine.Views;
import org.jham.agent.process.SignalNames;
import org.jham.mbean.ConditionMXBean;

/** {@code jham:type=Condition,...}: adds actions to its condition; stale beans answer ENOENT. */
final class ConditionBean implements ConditionMXBean {
    private final Engine engine;
    private final String ename;
    private final String cname;

    ConditionBean(Engine engine, String ename, String cname) {
        this.engine = engine;
        this.ename = ename;
        this.cname = cname;
    }

    private Views.ConditionView view() {
        return Wire.call(() -> engine.condition(ename, cname));
    }

    @Override
    public String getName() {
        return cname;
    }

    @Override
    public String getEntityName() {
        return ename;
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
    public int getNumActions() {
        return view().actionNames().size();
    }

    @Override
    public String getConditionReArm() {
        return InfoText.onOff(view().flags());
    }

    @Override
    public String getConditionType() {
        return view().type().name();
    }

    @Override
    public String getFlags() {
        return Flags.format(Flags.Kind.CONDITION, view().flags());
    }

    @Override
    public boolean isEnabled() {
        return view().enabled();
    }

    @Override
    public long getTriggerCount() {
        return view().triggerCount();
    }

    @Override
    public String[] getActionNames() {
        return Wire.array(view().actionNames());
    }

    @Override
    public String getFilter() {
        return view().filter();
    }

    @Override
    public String getInfo() {
        return InfoText.condition(view());
    }

    @Override
    public String actionRestart(String aname, String line, String flags) {
        return Wire.call(() -> engine.addAction(ename, cname, aname,
                ActionSpec.restart(line), Flags.parse(Flags.Kind.ACTION, flags)).name());
    }

    @Override
    public String actionExecute(String aname, String line, String flags) {
        return Wire.call(() -> engine.addAction(ename, cname, aname,
                ActionSpec.execute(line), Flags.parse(Flags.Kind.ACTION, flags)).name());
    }

    @Override
    public String actionLog(String aname, String msg, int attachPrefix, int verbosity, String flags) {
        return Wire.call(() -> engine.addAction(ename, cname, aname,
                ActionSpec.log(msg, attachPrefix != 0, verbosity), Flags.parse(Flags.Kind.ACTION, flags)).name());
    }

    @Override
    public String actionWaitfor(String aname, String path, int delay, String flags) {
        return add(aname, () -> ActionSpec.waitfor(path, delay), flags);
    }

    @Override
    public String actionNotifyPulse(String aname, String node, long pid, int chid, int code, int value, String flags) {
        return add(aname, () -> ActionSpec.notifyPulse(node, pid, chid, code, value), flags);
    }

    @Override
    public String actionNotifySignal(String aname, String node, long pid, String signal, int code, int value,
                                     String flags) {
        return add(aname, () -> ActionSpec.notifySignal(node, pid, SignalNames.parse(signal), code, value), flags);
    }

    @Override
    public String actionHeartbeatHealthy(String aname, String flags) {
        return add(aname, ActionSpec.HeartbeatHealthy::new, flags);
    }

    @Override
    public String actionCustom(String aname, String type, String args, String flags) {
        return add(aname, () -> engine.customSpec(type, args), flags);
    }

    private String add(String aname, java.util.function.Supplier<ActionSpec> spec, String flags) {
        return Wire.call(() -> {
            int f = Flags.parse(Flags.Kind.ACTION, flags);
            return engine.addAction(ename, cname, aname, spec.get(), f).name();
        });
    }

    @Override
    public int control(String command, String flags) {
        return Wire.call(() -> engine.conditionControl(ename, cname, Flags.parseCommand(command), Flags.parseControl(Flags.Kind.CONDITION, flags)));
    }

    @Override
    public void remove(String flags) {
        Wire.run(() -> {
            Flags.parse(Flags.Kind.NONE, flags);
            engine.removeCondition(ename, cname);
        });
    }
}
