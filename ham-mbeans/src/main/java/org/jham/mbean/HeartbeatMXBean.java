package org.jham.mbean;

/**
 * {@code jham:type=Heartbeat} in a monitored JVM (registered by the agent): the entities this JVM
 * attached itself as, and a {@code jham.heartbeat} notification for each heartbeat it delivered.
 */
public interface HeartbeatMXBean {
    /** The entities this JVM is self-attached as. */
    String[] getEntities();

    /** Heartbeats delivered to the HAM (one per entity per beat). */
    long getHeartbeatsSent();

    /** When the last heartbeat was delivered (epoch ms); 0 before the first. */
    long getLastHeartbeatMillis();

    /** ham_heartbeat, by hand (e.g. from JConsole). */
    void beat();
}
