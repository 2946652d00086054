package org.jham.agent.plugin.testplugins;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import org.jham.spi.ActionPlugin;
import org.jham.spi.PluginAction;
import org.jham.spi.PluginContext;

/** Action type BADINIT, priority 5: its init throws, so none of its lifecycle methods run. */
@Priority(5)
public class FailingInitAction implements ActionPlugin {
    @Override
    public String name() {
        return "BADINIT";
    }

    @Override
    public void init(PluginContext context) {
        throw new IllegalArgumentException("BADINIT wants a setting it does not get");
    }

    @Override
    public PluginAction create(String args) {
        throw new AssertionError("a plugin that failed to start must not be used");
    }

    @PostConstruct
    void started() {
        Calls.record("post " + name());
    }

    @PreDestroy
    void stopping() {
        Calls.record("pre " + name());
    }
}
