package org.jham.agent.jmx;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.jham.agent.delivery.ChannelRegistry;
import org.jham.agent.engine.Engine;
import org.jham.agent.engine.EngineListener;
import org.jham.agent.engine.Views;
import org.jham.mbean.ObjectNames;

/**
 * Mirrors the engine's tree as MBeans: registers a bean for each entity, condition and action as
 * it appears, unregisters it as it goes, remembers every name it registered and unregisters them
 * all on {@link #close()} (collecting failures), so a HAM stopped inside a host JVM leaves nothing
 * behind. Thread-safe: structural callbacks arrive under the engine lock, in tree order.
 */
public final class MBeanRegistry implements EngineListener, ChannelRegistry.Listener, AutoCloseable {
    private final MBeanServer server;
    private final Set<ObjectName> registered = new LinkedHashSet<>();
    private volatile Engine engine;
    private volatile HamBean hamBean;
    private final java.util.Map<ObjectName, ChannelBean> channelBeans = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, EntityBean> entityBeans = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile ChannelRegistry channels;
    /**
     * Sends notifications in order on one thread of its own: building and queuing a JMX
     * notification costs far more than queuing a restart, and must never delay recovery.
     */
    private final ExecutorService notifier = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ham-notify");
        t.setDaemon(true);
        return t;
    });

    public MBeanRegistry(MBeanServer server) {
        this.server = server;
    }

    /** The engine (created after this registry, which it reports to): its tree's MBeans can now appear. */
    public void setEngine(Engine engine) {
        this.engine = engine;
    }

    /** Binds the engine, the Ham MBean and the channels: the HAM is whole. */
    public void bind(Engine engine, HamBean hamBean, ChannelRegistry channels) {
        this.engine = engine;
        this.channels = channels;
        this.hamBean = hamBean;
        register(ObjectNames.HAM, hamBean);
        entityAdded(ObjectNames.GLOBAL_ENTITY);
        engine.activityLog().addListener(line -> notifier.execute(() -> hamBean.activity(line)));
    }

    @Override
    public void entityAdded(String ename) {
        EntityBean b = new EntityBean(requireEngine(), ename);
        entityBeans.put(ename, b);
        register(ObjectNames.entity(ename), b);
    }

    @Override
    public void entityRemoved(String ename) {
        entityBeans.remove(ename);
        unregister(ObjectNames.entity(ename));
    }

    @Override
    public void heartbeat(String ename, long count) {
        EntityBean b = entityBeans.get(ename);
        if (b != null) {
            long when = System.currentTimeMillis();
            notifier.execute(() -> b.heartbeatArrived(count, when));
        }
    }

    @Override
    public void conditionAdded(String ename, String cname) {
        register(ObjectNames.condition(ename, cname), new ConditionBean(requireEngine(), ename, cname));
    }

    @Override
    public void conditionRemoved(String ename, String cname) {
        unregister(ObjectNames.condition(ename, cname));
    }

    @Override
    public void actionAdded(String ename, String cname, String aname) {
        register(ObjectNames.action(ename, cname, aname), new ActionBean(requireEngine(), ename, cname, aname));
    }

    @Override
    public void actionRemoved(String ename, String cname, String aname) {
        unregister(ObjectNames.action(ename, cname, aname));
    }

    @Override
    public void fired(Views.Fired fired) {
        HamBean h = hamBean;
        if (h != null) {
            notifier.execute(() -> h.conditionFired(fired));
        }
    }

    @Override
    public void opened(ChannelRegistry.Channel channel) {
        ChannelBean b = new ChannelBean(channels, channel);
        ObjectName n = ObjectNames.channel(channel.pid(), channel.chid());
        channelBeans.put(n, b);
        register(n, b);
    }

    @Override
    public void closed(ChannelRegistry.Channel channel) {
        ObjectName n = ObjectNames.channel(channel.pid(), channel.chid());
        channelBeans.remove(n);
        unregister(n);
    }

    @Override
    public void pulse(ChannelRegistry.Channel channel, int code, int value, String source) {
        ChannelBean b = channelBeans.get(ObjectNames.channel(channel.pid(), channel.chid()));
        if (b != null) {
            long deliveredAt = System.currentTimeMillis();
            notifier.execute(() -> b.emit(code, value, source, deliveredAt));
        }
    }

    /** Emits the jham.signal notice of a signal a notify-signal action sent (on the notification thread). */
    public void signalled(long pid, int signum, int code, int value, String source) {
        HamBean h = hamBean;
        if (h != null) {
            notifier.execute(() -> h.signalled(pid, signum, code, value, source));
        }
    }

    /** The engine is constructed with this registry as listener, so the first callback may precede bind. */
    private Engine requireEngine() {
        Engine e = engine;
        if (e == null) {
            throw new IllegalStateException("MBeanRegistry used before bind()");
        }
        return e;
    }

    private synchronized void register(ObjectName name, Object bean) {
        try {
            if (server.isRegistered(name)) {
                // A bean left by an earlier HAM in this JVM (agent re-install): ours replaces it.
                server.unregisterMBean(name);
            }
            server.registerMBean(bean, name);
            registered.add(name);
        } catch (InstanceAlreadyExistsException | InstanceNotFoundException e) {
            throw new IllegalStateException("cannot register " + name + ": " + e, e);
        } catch (JMException e) {
            throw new IllegalStateException("cannot register " + name + ": " + e, e);
        }
    }

    private synchronized void unregister(ObjectName name) {
        registered.remove(name);
        try {
            server.unregisterMBean(name);
        } catch (InstanceNotFoundException e) {
            // Already gone: nothing to undo.
        } catch (JMException e) {
            throw new IllegalStateException("cannot unregister " + name + ": " + e, e);
        }
    }

    /** Unregisters every bean this registry registered; reports all failures together. */
    @Override
    public synchronized void close() {
        notifier.shutdown();
        List<String> failures = new ArrayList<>();
        List<ObjectName> names = new ArrayList<>(registered);
        java.util.Collections.reverse(names);
        for (ObjectName n : names) {
            try {
                if (server.isRegistered(n)) {
                    server.unregisterMBean(n);
                }
            } catch (JMException e) {
                failures.add(n + ": " + e);
            }
        }
        registered.clear();
        if (!failures.isEmpty()) {
            throw new IllegalStateException("could not unregister " + failures);
        }
    }
}
