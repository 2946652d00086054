package org.jham.agent.plugin.testplugins;

import jakarta.annotation.PostConstruct;
import org.jham.spi.ActionPlugin;
import org.jham.spi.PluginAction;
import org.jham.spi.PluginContext;

/** A @PostConstruct method that takes an argument: Jakarta says such a class is not put into service. */
public class BadLifecycleAction implements ActionPlugin {
    @Override
    public String name() {
        return "BADLIFECYCLE";
    }

    @Override
    public void init(PluginContext context) {
        Calls.record("init " + name());
    }

    @Override
    public PluginAction create(String args) {
        throw new AssertionError("never started");
    }

    @PostConstruct
    void started(String what) {
        Calls.record("post " + name() + " " + what);
    }
}
