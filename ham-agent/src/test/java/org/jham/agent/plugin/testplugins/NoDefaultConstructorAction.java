package org.jham.agent.plugin.testplugins;

import org.jham.spi.ActionPlugin;
import org.jham.spi.PluginAction;

/** Cannot be instantiated by ServiceLoader: no public no-argument constructor. */
public class NoDefaultConstructorAction implements ActionPlugin {
    private final String name;

    public NoDefaultConstructorAction(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public PluginAction create(String args) {
        throw new AssertionError("never instantiated");
    }
}
