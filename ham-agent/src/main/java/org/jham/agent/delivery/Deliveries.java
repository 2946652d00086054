package org.jham.agent.delivery;

import org.jham.Errno;
import org.jham.Ham;
import org.jham.HamConnection;
import org.jham.HamException;
import org.jham.HamNode;
import org.jham.agent.engine.ActionRuntime;
import org.jham.agent.engine.ActionSpec;
import org.jham.agent.engine.Views;
import org.jham.mbean.ChannelMXBean;
import org.jham.mbean.ObjectNames;
import org.jham.spi.PluginAction;

/**
 * The engine's {@link ActionRuntime} in a running HAM: pulses go to this HAM's channels, or to
 * another node's through the client library; signals go to local pids through {@link Signals}
 * (with a {@code jham.signal} notice), or to another node's HAM; waitfor paths are probed by
 * {@link NamespaceProbe}; plugin types come from {@link Plugins}. Thread-safe.
 */
public final class Deliveries implements ActionRuntime {
    /** Sends an OS signal carrying {@code value} (sigqueue) to a local pid; ESRCH when it does not exist. */
    public interface Signals {
        void send(long pid, int signum, int value);
    }

    /** Emits the {@code jham.signal} notice of a sent signal. */
    public interface SignalNotices {
        void signalled(long pid, int signum, int code, int value, String source);
    }

    /** Builds plugin actions; EINVAL for an unknown type. */
    public interface Plugins {
        PluginAction create(String type, String args);

        Plugins NONE = (type, args) -> {
            throw new HamException(Errno.EINVAL, "no action plugin of type '" + type + "' (no plugins are loaded)");
        };
    }

    private final java.util.function.Supplier<String> ownAddress;
    private final ChannelRegistry channels;
    private final NamespaceProbe probe;
    private final Signals signals;
    private final SignalNotices notices;
    private final Plugins plugins;

    /**
     * @param ownAddress this HAM's JMXMP address (asked when needed: the connector starts after
     *                   the engine): a notify aimed at it is delivered locally
     */
    public Deliveries(java.util.function.Supplier<String> ownAddress, ChannelRegistry channels, NamespaceProbe probe, Signals signals,
                      SignalNotices notices, Plugins plugins) {
        this.ownAddress = ownAddress;
        this.channels = channels;
        this.probe = probe;
        this.signals = signals;
        this.notices = notices;
        this.plugins = plugins;
    }

    @Override
    public void checkWaitPath(String path) {
        probe.check(path);
    }

    @Override
    public boolean waitPathPresent(String path, long maxBlockMillis) {
        return probe.present(path, maxBlockMillis);
    }

    @Override
    public void pulse(ActionSpec.NotifyPulse p, String actionPath, Views.Fired about) {
        if (isLocal(p.node())) {
            channels.deliver(p.pid(), p.chid(), p.code(), p.value(), actionPath);
            return;
        }
        try (HamConnection c = Ham.connect(p.node())) {
            c.proxy(ChannelMXBean.class, ObjectNames.channel(p.pid(), p.chid())).pulse(p.code(), p.value(), actionPath);
        }
    }

    @Override
    public void signal(ActionSpec.NotifySignal s, String actionPath, Views.Fired about) {
        if (isLocal(s.node())) {
            sendLocal(s.pid(), s.signum(), s.code(), s.value(), actionPath);
            return;
        }
        try (HamConnection c = Ham.connect(s.node())) {
            c.ham().signal(s.pid(), Integer.toString(s.signum()), s.code(), s.value(), actionPath);
        }
    }

    /** Sends a signal to a local pid and emits its notice. */
    public void sendLocal(long pid, int signum, int code, int value, String source) {
        signals.send(pid, signum, value);
        notices.signalled(pid, signum, code, value, source);
    }

    @Override
    public PluginAction customAction(String type, String args) {
        return plugins.create(type, args);
    }

    private boolean isLocal(String node) {
        if (node == null || node.isEmpty()) {
            return true;
        }
        String own = ownAddress.get();
        return own != null && HamNode.of(node).key().equals(HamNode.of(own).key());
    }
}
