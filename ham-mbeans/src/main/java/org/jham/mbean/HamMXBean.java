package org.jham.mbean;

/**
 * The manager, {@code jham:type=Ham}: the top-level {@code .info} fields, attach / placeholder /
 * detach by name, handle look-ups, verbosity and stop. Emits {@code jham.condition} and
 * {@code jham.activity} notifications. Flag words and operation codes are strings that accept
 * numbers or symbolic names ({@code "HENTITYKEEPONDEATH"}, {@code "0x2"}); an empty string is 0.
 * Errors are JDK exceptions whose message starts with the errno name.
 */
public interface HamMXBean {
    long getHamPid();

    long getGuardianPid();

    int getHamFailures();

    int getGuardianFailures();

    int getNumEntities();

    int getNumConditions();

    int getNumActions();

    int getVerbosity();

    /** The JMXMP address the HAM serves, e.g. {@code service:jmx:jmxmp://127.0.0.1:7770}. */
    String getAddress();

    /** The top-level {@code .info} text. */
    String getInfo();

    /** Names of the attached, started and placeholder entities (not the global one). */
    String[] getEntityNames();

    /** The most recent lines of the activity log, oldest first. */
    String[] getRecentActivity();

    /**
     * ham_attach: {@code pid > 0} attaches a running process ({@code line} ignored); {@code pid}
     * -1 or 0 starts {@code line} (full path, guide quoting) and monitors it. A placeholder of the
     * same name is filled (CONDATTACH fires).
     *
     * @return the entity name
     */
    String attach(String ename, long pid, String line, String flags);

    /**
     * ham_attach_self, as the client library sends it: process {@code pid} attaches itself as
     * {@code ename} over the client connection {@code connectionId} (its closing without
     * ham_detach_self is a death), with a heartbeat every {@code hpNanos} (0 = none, else at least
     * HAMHBEATMIN) and marks {@code hpdl <= hpdh} for CONDHBEATMISSEDLOW / HIGH (0 = never).
     *
     * @return the entity name
     */
    String attachSelf(String ename, long pid, long hpNanos, int hpdl, int hpdh, String flags, String connectionId);

    /**
     * Heartbeats of several self-attached entities in one call (the client library batches the
     * beats of one JVM while a call is in flight).
     *
     * @return the names that are not self-attached entities sending heartbeats (their beats are dropped)
     */
    String[] heartbeats(String[] enames);

    /** ham_entity: creates a placeholder entity. */
    String entity(String ename, String flags);

    /** ham_detach_name: stops monitoring the entity; CONDDETACH fires. */
    void detachName(String ename, String flags);

    /** ham_entity_handle: checks the entity exists; null, "" or "/" name the global entity. */
    String entityHandle(String ename, String flags);

    /** ham_condition_handle: checks the condition exists. */
    String conditionHandle(String ename, String cname, String flags);

    /** ham_action_handle: checks the action exists. */
    String actionHandle(String ename, String cname, String aname, String flags);

    /**
     * Opens a pulse channel for process {@code pid} (a live process on this host, normally the
     * caller itself): registers {@code jham:type=Channel,pid=<pid>,chid=<chid>}, whose
     * {@code jham.pulse} notifications carry the pulses notify-pulse actions deliver to
     * {@code (pid, chid)}. The channel closes when its owner exits. ESRCH when {@code pid} does
     * not run.
     *
     * @return the channel id, {@code chid}
     */
    int createChannel(long pid);

    /** The open channels, as {@code pid/chid}. */
    String[] getChannels();

    /**
     * Sends {@code signal} (a number, or a name such as {@code SIGUSR1} or {@code SIGRTMIN+1}) with
     * {@code value} to {@code pid} on this host and emits the {@code jham.signal} notification
     * (what a notify-signal action aimed at this node does). ESRCH when the pid does not exist,
     * EINVAL for a bad signal.
     *
     * @param source who sends it (an action path), shown in the notification
     */
    void signal(long pid, String signal, int code, int value, String source);

    /**
     * ham_verbose: op is VERBOSE_SET_INCR, VERBOSE_SET_DECR, VERBOSE_SET or VERBOSE_GET (name or
     * number); a value of 0 increments or decrements by 1.
     *
     * @return the verbosity after the operation
     */
    int verbose(String op, int value);

    /**
     * ham_stop: stops the Guardian, then the HAM; monitored processes keep running. The reply is
     * sent before the HAM goes away.
     *
     * @param mode {@code "graceful"} (default, running action lists finish within a bound) or
     *             {@code "abrupt"}
     */
    void stop(String mode);
}
