package org.jham.agent.plugin.testplugins;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.jham.spi.HamPlugin;
import org.jham.spi.PluginContext;

/**
 * Records init and its own lifecycle methods; private ones, so the host must make them accessible
 * and, as Jakarta says, call them before the subclass's.
 */
public abstract class RecordingPlugin implements HamPlugin {
    private volatile PluginContext context;

    @Override
    public void init(PluginContext c) {
        context = c;
        Calls.record("init " + name() + " " + c.setting("owner", "?"));
    }

    @PostConstruct
    private void baseStarted() {
        // Reads the context: init must have run before any @PostConstruct.
        Calls.record("base-post " + name() + " " + context.setting("owner", "?"));
    }

    @PreDestroy
    private void baseStopping() {
        Calls.record("base-pre " + name());
    }
}
