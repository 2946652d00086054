package org.jham.agent.engine;

import org.jham.spi.PluginAction;

/**
 * What actions reach outside the engine: the namespace a waitfor watches, the channels and
 * processes notifications go to, and the plugin action types. Implemented by the HAM's launcher
 * wiring (the engine imports no JMX). Thread-safe: called from lane threads and, for the checks,
 * from callers adding actions.
 */
public interface ActionRuntime {
    /** EINVAL unless {@code path} names an absolute file path, a JMX ObjectName or {@code tcp:host:port}. */
    void checkWaitPath(String path);

    /**
     * Whether {@code path} is present now (the file exists, the MBean is registered, a TCP connect
     * succeeds). Called on the waiting condition's own lane thread; may block up to
     * {@code maxBlockMillis} (a TCP connect), never longer.
     */
    boolean waitPathPresent(String path, long maxBlockMillis);

    /**
     * Delivers the pulse on behalf of the action at {@code actionPath}; a
     * {@link org.jham.HamException} says why it could not.
     */
    void pulse(ActionSpec.NotifyPulse pulse, String actionPath, Views.Fired about);

    /** Sends the signal (and its notification); a {@link org.jham.HamException} says why it could not. */
    void signal(ActionSpec.NotifySignal signal, String actionPath, Views.Fired about);

    /** Builds an action of a plugin type; EINVAL for an unknown type or bad arguments. */
    PluginAction customAction(String type, String args);
}
