package org.jham.agent.jmx;

import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanNotificationInfo;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import org.jham.Errno;
import org.jham.Flags;
import org.jham.HamConstants;
import org.jham.HamException;
import org.jham.agent.delivery.ChannelRegistry;
import org.jham.agent.delivery.Deliveries;
import org.jham.agent.engine.Engine;
import org.jham.agent.engine.InfoText;
import org.jham.agent.engine.Views;
import org.jham.agent.log.ActivityLog;
import org.jham.agent.process.SignalNames;
import org.jham.mbean.HamMXBean;
import org.jham.mbean.ObjectNames;

/**
 * {@code jham:type=Ham}: adapts the engine's HAM-level operations and emits
 * {@code jham.condition} and {@code jham.activity} notifications. Thread-safe.
 */
public final class HamBean extends NotificationBroadcasterSupport implements HamMXBean {
    /** What a stop request asks of the process that hosts the HAM. */
    public interface StopHandler {
        void stop(boolean abrupt);
    }

    private static final CompositeType FIRED_TYPE = firedType();
    private static final CompositeType SIGNAL_TYPE = signalType();

    private final Engine engine;
    private final StopHandler stopHandler;
    private final ChannelRegistry channels;
    private final Deliveries deliveries;
    private final String address;
    private final AtomicLong sequence = new AtomicLong();

    public HamBean(Engine engine, String address, StopHandler stopHandler, ChannelRegistry channels,
                   Deliveries deliveries) {
        super(new MBeanNotificationInfo[] {
            new MBeanNotificationInfo(new String[] {ObjectNames.NOTIF_CONDITION}, Notification.class.getName(),
                    "a condition fired (userData: entity, condition, path, conditionType, event, pid, time, detail)"),
            new MBeanNotificationInfo(new String[] {ObjectNames.NOTIF_ACTIVITY}, Notification.class.getName(),
                    "a line of the activity log"),
            new MBeanNotificationInfo(new String[] {ObjectNames.NOTIF_SIGNAL}, Notification.class.getName(),
                    "a notify-signal action sent a signal (userData: pid, signal, code, value, source, time)")});
        this.engine = engine;
        this.channels = channels;
        this.deliveries = deliveries;
        this.address = address;
        this.stopHandler = stopHandler;
    }

    void conditionFired(Views.Fired f) {
        Notification n = new Notification(ObjectNames.NOTIF_CONDITION, ObjectNames.HAM, sequence.incrementAndGet(),
                f.time().toEpochMilli(), f.event() + " " + f.path() + " entity=" + f.entityName() + " pid=" + f.entityPid());
        n.setUserData(toComposite(f));
        sendNotification(n);
    }

    void signalled(long pid, int signum, int code, int value, String source) {
        long now = System.currentTimeMillis();
        Notification n = new Notification(ObjectNames.NOTIF_SIGNAL, ObjectNames.HAM, sequence.incrementAndGet(), now,
                "signal " + SignalNames.name(signum) + " to pid " + pid + " code " + code + " value " + value
                        + " from " + source);
        try {
            n.setUserData(new CompositeDataSupport(SIGNAL_TYPE,
                    new String[] {"pid", "signal", "code", "value", "source", "time"},
                    new Object[] {pid, signum, code, value, source == null ? "" : source, now}));
        } catch (OpenDataException e) {
            throw new IllegalStateException(e);
        }
        sendNotification(n);
    }

    @Override
    public int createChannel(long pid) {
        return Wire.call(() -> channels.open(pid).chid());
    }

    @Override
    public String[] getChannels() {
        return channels.list().stream().map(Object::toString).toArray(String[]::new);
    }

    @Override
    public void signal(long pid, String signal, int code, int value, String source) {
        Wire.run(() -> {
            deliveries.sendLocal(pid, SignalNames.parse(signal), code, value, source);
        });
    }

    void activity(String line) {
        sendNotification(new Notification(ObjectNames.NOTIF_ACTIVITY, ObjectNames.HAM, sequence.incrementAndGet(),
                System.currentTimeMillis(), line));
    }

    @Override
    public long getHamPid() {
        return engine.ham().hamPid();
    }

    @Override
    public long getGuardianPid() {
        return engine.ham().guardianPid();
    }

    @Override
    public int getHamFailures() {
        return engine.ham().hamFailures();
    }

    @Override
    public int getGuardianFailures() {
        return engine.ham().guardianFailures();
    }

    @Override
    public int getNumEntities() {
        return engine.ham().numEntities();
    }

    @Override
    public int getNumConditions() {
        return engine.ham().numConditions();
    }

    @Override
    public int getNumActions() {
        return engine.ham().numActions();
    }

    @Override
    public int getVerbosity() {
        return engine.verbosity();
    }

    @Override
    public String getAddress() {
        return address;
    }

    @Override
    public String getInfo() {
        return InfoText.ham(engine.ham());
    }

    @Override
    public String[] getEntityNames() {
        return Wire.array(engine.entityNames());
    }

    @Override
    public String[] getRecentActivity() {
        return Wire.array(engine.activityLog().recent());
    }

    @Override
    public String attach(String ename, long pid, String line, String flags) {
        return Wire.call(() -> engine.attach(ename, pid, line, Flags.parse(Flags.Kind.ENTITY, flags)).name());
    }

    @Override
    public String attachSelf(String ename, long pid, long hpNanos, int hpdl, int hpdh, String flags,
                             String connectionId) {
        return Wire.call(() -> engine.attachSelf(ename, pid, hpNanos, hpdl, hpdh, Flags.parse(Flags.Kind.ENTITY, flags),
                connectionId).name());
    }

    @Override
    public String[] heartbeats(String[] enames) {
        return Wire.call(() -> {
            java.util.List<String> unknown = new java.util.ArrayList<>(0);
            for (String e : enames == null ? new String[0] : enames) {
                if (e == null || !engine.heartbeat(e)) {
                    unknown.add(e);
                }
            }
            return unknown.toArray(new String[0]);
        });
    }

    @Override
    public String entity(String ename, String flags) {
        return Wire.call(() -> engine.placeholder(ename, Flags.parse(Flags.Kind.ENTITY, flags)).name());
    }

    @Override
    public void detachName(String ename, String flags) {
        Wire.run(() -> {
            Flags.parse(Flags.Kind.NONE, flags);
            engine.detach(ename);
        });
    }

    @Override
    public String entityHandle(String ename, String flags) {
        return Wire.call(() -> {
            Flags.parse(Flags.Kind.NONE, flags);
            return engine.entity(ename).name();
        });
    }

    @Override
    public String conditionHandle(String ename, String cname, String flags) {
        return Wire.call(() -> {
            Flags.parse(Flags.Kind.NONE, flags);
            return engine.condition(ename, cname).name();
        });
    }

    @Override
    public String actionHandle(String ename, String cname, String aname, String flags) {
        return Wire.call(() -> {
            Flags.parse(Flags.Kind.NONE, flags);
            return engine.action(ename, cname, aname).name();
        });
    }

    @Override
    public int verbose(String op, int value) {
        return Wire.call(() -> {
            int code = Flags.parseVerboseOp(op);
            if (value < 0) {
                throw new HamException(Errno.EINVAL, "verbosity value must be >= 0, was " + value);
            }
            ActivityLog log = engine.activityLog();
            int v;
            switch (code) {
                case HamConstants.VERBOSE_SET_INCR:
                    v = log.increase(value);
                    break;
                case HamConstants.VERBOSE_SET_DECR:
                    v = log.decrease(value);
                    break;
                case HamConstants.VERBOSE_SET:
                    v = log.setVerbosity(value);
                    break;
                default:
                    return log.verbosity();
            }
            engine.hamChanged();
            return v;
        });
    }

    @Override
    public void stop(String mode) {
        Wire.run(() -> {
            String m = mode == null ? "" : mode.trim().toLowerCase(java.util.Locale.ROOT);
            if (!m.isEmpty() && !m.equals("graceful") && !m.equals("abrupt")) {
                throw new HamException(Errno.EINVAL, "stop mode '" + mode + "' is not graceful or abrupt");
            }
            stopHandler.stop(m.equals("abrupt"));
        });
    }

    private static CompositeType firedType() {
        try {
            return new CompositeType("jham.condition", "a fired condition",
                    new String[] {"entity", "condition", "path", "conditionType", "event", "pid", "time", "detail"},
                    new String[] {"entity name", "condition name", "condition path", "condition type",
                        "event that fired it", "entity pid", "time (guide stamp)", "detail"},
                    new OpenType<?>[] {SimpleType.STRING, SimpleType.STRING, SimpleType.STRING, SimpleType.STRING,
                        SimpleType.STRING, SimpleType.LONG, SimpleType.STRING, SimpleType.STRING});
        } catch (OpenDataException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static CompositeType signalType() {
        try {
            return new CompositeType("jham.signal", "a signal a notify-signal action sent",
                    new String[] {"pid", "signal", "code", "value", "source", "time"},
                    new String[] {"target pid", "signal number", "code", "value", "the action that sent it",
                        "epoch milliseconds"},
                    new OpenType<?>[] {SimpleType.LONG, SimpleType.INTEGER, SimpleType.INTEGER, SimpleType.INTEGER,
                        SimpleType.STRING, SimpleType.LONG});
        } catch (OpenDataException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static CompositeData toComposite(Views.Fired f) {
        try {
            return new CompositeDataSupport(FIRED_TYPE,
                    new String[] {"entity", "condition", "path", "conditionType", "event", "pid", "time", "detail"},
                    new Object[] {f.entityName(), f.conditionName(), f.path(), f.conditionType().name(),
                        f.event().name(), f.entityPid(), InfoText.stamp(f.time()), f.detail()});
        } catch (OpenDataException e) {
            throw new IllegalStateException(e);
        }
    }
}
