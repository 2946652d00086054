package org.jham.agent.jmx;

import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanNotificationInfo;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ObjectName;
import org.jham.ConditionType;
import org.jham.Flags;
import org.jham.agent.engine.Engine;
import org.jham.agent.engine.InfoText;
import org.jham.agent.engine.Views;
import org.jham.mbean.EntityMXBean;
import org.jham.mbean.ObjectNames;

/**
 * {@code jham:type=Entity,entity=<ename>}: reads the engine by name on every call, so a stale bean
 * answers ENOENT; emits a {@code jham.heartbeat} notification for each heartbeat of its entity.
 */
final class EntityBean extends NotificationBroadcasterSupport implements EntityMXBean {
    private final Engine engine;
    private final String ename;
    private final ObjectName objectName;
    private final AtomicLong sequence = new AtomicLong();

    EntityBean(Engine engine, String ename) {
        super(new MBeanNotificationInfo[] {
            new MBeanNotificationInfo(new String[] {ObjectNames.NOTIF_HEARTBEAT}, Notification.class.getName(),
                    "a heartbeat of this self-attached entity arrived (userData: the entity's heartbeat count, a Long)")});
        this.engine = engine;
        this.ename = ename;
        this.objectName = ObjectNames.entity(ename);
    }

    void heartbeatArrived(long count, long when) {
        Notification n = new Notification(ObjectNames.NOTIF_HEARTBEAT, objectName, sequence.incrementAndGet(), when,
                "heartbeat of " + ename);
        n.setUserData(count);
        sendNotification(n);
    }

    private Views.EntityView view() {
        return Wire.call(() -> engine.entity(ename));
    }

    @Override
    public String getName() {
        return view().name();
    }

    @Override
    public String getPath() {
        return view().path();
    }

    @Override
    public long getEntityPid() {
        return view().pid();
    }

    @Override
    public int getNumConditions() {
        return view().conditionNames().size();
    }

    @Override
    public String getEntityType() {
        return view().type().name();
    }

    @Override
    public String getCreated() {
        return InfoText.stamp(view().created());
    }

    @Override
    public String getLastDeath() {
        return InfoText.stamp(view().lastDeath());
    }

    @Override
    public String getRestarted() {
        return InfoText.stamp(view().restarted());
    }

    @Override
    public int getNumRestarts() {
        return view().numRestarts();
    }

    @Override
    public String getLastExit() {
        return view().lastExit();
    }

    @Override
    public String getStartLine() {
        return view().startLine();
    }

    @Override
    public String getFlags() {
        return Flags.format(Flags.Kind.ENTITY, view().flags());
    }

    @Override
    public boolean isEnabled() {
        return view().enabled();
    }

    @Override
    public String[] getConditionNames() {
        return Wire.array(view().conditionNames());
    }

    @Override
    public int getState() {
        return view().state();
    }

    @Override
    public long getHeartbeatPeriod() {
        return view().heartbeat().periodNanos();
    }

    @Override
    public int getHbLowMark() {
        return view().heartbeat().lowMark();
    }

    @Override
    public int getHbHighMark() {
        return view().heartbeat().highMark();
    }

    @Override
    public String getLastHeartbeat() {
        return InfoText.stamp(view().heartbeat().lastBeat());
    }

    @Override
    public String getHeartbeatState() {
        return view().heartbeat().state();
    }

    @Override
    public int getMissedHeartbeats() {
        return view().heartbeat().misses();
    }

    @Override
    public long getHeartbeatCount() {
        return view().heartbeat().beats();
    }

    @Override
    public void detachSelf(String flags) {
        Wire.run(() -> {
            Flags.parse(Flags.Kind.NONE, flags);
            engine.detachSelf(ename);
        });
    }

    @Override
    public void heartbeat() {
        Wire.run(() -> {
            if (!engine.heartbeat(ename)) {
                throw new org.jham.HamException(org.jham.Errno.ENOENT, "entity '" + ename
                        + "' is not a self-attached entity sending heartbeats");
            }
        });
    }

    @Override
    public String getInfo() {
        return InfoText.entity(view());
    }

    @Override
    public String condition(String type, String cname, String flags) {
        return Wire.call(() -> engine.addCondition(ename, ConditionType.parse(type), cname,
                Flags.parse(Flags.Kind.CONDITION, flags)).name());
    }

    @Override
    public void detach(String flags) {
        Wire.run(() -> {
            Flags.parse(Flags.Kind.NONE, flags);
            engine.detach(ename);
        });
    }

    @Override
    public String conditionState(String cname, int fromState, int toState, String flags) {
        return Wire.call(() -> engine.addStateCondition(ename, cname, fromState, toState,
                Flags.parse(Flags.Kind.CONDITION, flags)).name());
    }

    @Override
    public String conditionRaise(String cname, int rtype, int rclass, int rseverity, String flags) {
        return Wire.call(() -> engine.addRaiseCondition(ename, cname, rtype, rclass, rseverity,
                Flags.parse(Flags.Kind.CONDITION, flags)).name());
    }

    @Override
    public void reportState(int toState, String flags) {
        Wire.run(() -> {
            Flags.parse(Flags.Kind.NONE, flags);
            engine.reportState(ename, toState);
        });
    }

    @Override
    public void raise(int rtype, int rclass, int rseverity, String flags) {
        Wire.run(() -> {
            Flags.parse(Flags.Kind.NONE, flags);
            engine.raise(ename, rtype, rclass, rseverity);
        });
    }

    @Override
    public int control(String command, String flags) {
        return Wire.call(() -> engine.entityControl(ename, Flags.parseCommand(command), Flags.parseControl(Flags.Kind.ENTITY, flags)));
    }
}
