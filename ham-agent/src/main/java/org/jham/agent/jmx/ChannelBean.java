package org.jham.agent.jmx;

import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanNotificationInfo;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import org.jham.agent.delivery.ChannelRegistry;
import org.jham.agent.engine.InfoText;
import org.jham.mbean.ChannelMXBean;
import org.jham.mbean.ObjectNames;

/** {@code jham:type=Channel,pid=..,chid=..}: emits each pulse delivered to its channel. Thread-safe. */
final class ChannelBean extends NotificationBroadcasterSupport implements ChannelMXBean {
    static final CompositeType PULSE_TYPE = pulseType();

    private final ChannelRegistry registry;
    private final ChannelRegistry.Channel channel;
    private final ObjectName name;
    private final AtomicLong sequence = new AtomicLong();

    ChannelBean(ChannelRegistry registry, ChannelRegistry.Channel channel) {
        super(new MBeanNotificationInfo[] {
            new MBeanNotificationInfo(new String[] {ObjectNames.NOTIF_PULSE}, Notification.class.getName(),
                    "a pulse (userData: code, value, source, time)")});
        this.registry = registry;
        this.channel = channel;
        this.name = ObjectNames.channel(channel.pid(), channel.chid());
    }

    /** @param deliveredAt when the HAM delivered it (the notification may leave a little later) */
    void emit(int code, int value, String source, long deliveredAt) {
        long now = deliveredAt;
        Notification n = new Notification(ObjectNames.NOTIF_PULSE, name, sequence.incrementAndGet(), now,
                "pulse code " + code + " value " + value + " from " + source);
        try {
            n.setUserData(new CompositeDataSupport(PULSE_TYPE, new String[] {"code", "value", "source", "time"},
                    new Object[] {code, value, source == null ? "" : source, now}));
        } catch (OpenDataException e) {
            throw new IllegalStateException(e);
        }
        sendNotification(n);
    }

    @Override
    public long getPid() {
        return channel.pid();
    }

    @Override
    public int getChid() {
        return channel.chid();
    }

    @Override
    public String getCreated() {
        return InfoText.stamp(channel.created());
    }

    @Override
    public long getPulsesDelivered() {
        return channel.delivered();
    }

    @Override
    public void pulse(int code, int value, String source) {
        Wire.run(() -> registry.deliver(channel.pid(), channel.chid(), code, value, source));
    }

    @Override
    public void close() {
        Wire.run(() -> registry.close(channel.pid(), channel.chid()));
    }

    private static CompositeType pulseType() {
        try {
            return new CompositeType("jham.pulse", "a pulse", new String[] {"code", "value", "source", "time"},
                    new String[] {"pulse code", "pulse value", "the action that sent it", "epoch milliseconds"},
                    new OpenType<?>[] {SimpleType.INTEGER, SimpleType.INTEGER, SimpleType.STRING, SimpleType.LONG});
        } catch (OpenDataException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
