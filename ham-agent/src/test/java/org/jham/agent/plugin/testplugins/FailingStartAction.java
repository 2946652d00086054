package org.jham.agent.plugin.testplugins;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import org.jham.spi.ActionPlugin;
import org.jham.spi.PluginAction;

/** Action type FAILING, priority 15: its @PostConstruct throws, so it is never used nor destroyed. */
@Priority(15)
public class FailingStartAction extends RecordingPlugin implements ActionPlugin {
    @Override
    public String name() {
        return "FAILING";
    }

    @Override
    public PluginAction create(String args) {
        throw new AssertionError("a plugin that failed to start must not be used");
    }

    @PostConstruct
    void started() {
        Calls.record("post " + name());
        throw new IllegalStateException("no backend for FAILING");
    }

    @PreDestroy
    void stopping() {
        Calls.record("pre " + name());
    }
}
