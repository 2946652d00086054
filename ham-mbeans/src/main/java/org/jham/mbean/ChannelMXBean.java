package org.jham.mbean;

/**
 * A pulse channel, {@code jham:type=Channel,pid=<pid>,chid=<chid>}: the JVM analogue of a QNX
 * channel. Each pulse delivered to it is emitted as a {@code jham.pulse} notification (userData:
 * code, value, source, time); the client library turns them into a blocking queue. It closes
 * when its owning process exits.
 */
public interface ChannelMXBean {
    long getPid();

    int getChid();

    /** When it was opened (the guide's stamp form). */
    String getCreated();

    long getPulsesDelivered();

    /** Delivers a pulse (what a notify-pulse action aimed at this channel does). */
    void pulse(int code, int value, String source);

    /** Closes the channel; later pulses to it fail. */
    void close();
}
