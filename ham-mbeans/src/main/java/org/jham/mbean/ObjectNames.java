package org.jham.mbean;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Builds the ObjectNames of the jHAM JMX surface (one domain, {@code jham}). Values are quoted with
 * {@link ObjectName#quote} only where needed, so ordinary names stay readable in JConsole and
 * easy to type in jmxterm. The global entity is named {@value #GLOBAL_ENTITY}: no real entity can
 * be, since names may not contain {@code /}. Thread-safe (stateless).
 */
public final class ObjectNames {
    private ObjectNames() {
    }

    public static final String DOMAIN = "jham";

    /** The name of the global entity on the wire, in ObjectNames and in paths. */
    public static final String GLOBAL_ENTITY = "/";

    public static final ObjectName HAM = of(DOMAIN + ":type=Ham");

    /** The heartbeat MBean of a monitored JVM (registered there by the agent). */
    public static final ObjectName HEARTBEAT = of(DOMAIN + ":type=Heartbeat");

    /** Notification type emitted by {@code jham:type=Ham} each time a condition fires. */
    public static final String NOTIF_CONDITION = "jham.condition";
    /** Notification type of heartbeats (entity MBeans and the monitored JVM's Heartbeat MBean). */
    public static final String NOTIF_HEARTBEAT = "jham.heartbeat";
    /** Notification type of each activity-log line, emitted by {@code jham:type=Ham}. */
    public static final String NOTIF_ACTIVITY = "jham.activity";
    /**
     * Notification type of each pulse, emitted by its {@code jham:type=Channel} MBean (userData:
     * code, value, source, time).
     */
    public static final String NOTIF_PULSE = "jham.pulse";
    /**
     * Notification type of each signal a notify-signal action sent, emitted by
     * {@code jham:type=Ham} (userData: pid, signal, code, value, source, time), for Java receivers
     * that cannot read {@code siginfo}.
     */
    public static final String NOTIF_SIGNAL = "jham.signal";

    /** {@code null} and the empty string name the global entity, as NULL does in the guide. */
    public static String entityKey(String ename) {
        return ename == null || ename.isEmpty() ? GLOBAL_ENTITY : ename;
    }

    public static ObjectName entity(String ename) {
        return of(DOMAIN + ":type=Entity,entity=" + value(entityKey(ename)));
    }

    public static ObjectName condition(String ename, String cname) {
        return of(DOMAIN + ":type=Condition,entity=" + value(entityKey(ename)) + ",condition=" + value(cname));
    }

    public static ObjectName action(String ename, String cname, String aname) {
        return of(DOMAIN + ":type=Action,entity=" + value(entityKey(ename)) + ",condition=" + value(cname)
                + ",action=" + value(aname));
    }

    public static ObjectName channel(long pid, int chid) {
        return of(DOMAIN + ":type=Channel,pid=" + pid + ",chid=" + chid);
    }

    /** Every jHAM MBean, for queries and for cleaning up. */
    public static ObjectName all() {
        return of(DOMAIN + ":*");
    }

    static String value(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == ',' || c == '=' || c == ':' || c == '"' || c == '*' || c == '?' || c == '\n' || c == '\\') {
                return ObjectName.quote(v);
            }
        }
        return v;
    }

    private static ObjectName of(String s) {
        try {
            return new ObjectName(s);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("EINVAL: bad object name " + s, e);
        }
    }
}
