package org.jham.agent.plugin.testplugins;

import org.jham.spi.ActionPlugin;
import org.jham.spi.PluginAction;

/** Cannot be instantiated: its constructor throws. */
public class ExplodingConstructorAction implements ActionPlugin {
    public ExplodingConstructorAction() {
        throw new IllegalStateException("boom in the constructor");
    }

    @Override
    public String name() {
        return "EXPLODING";
    }

    @Override
    public PluginAction create(String args) {
        throw new AssertionError("never instantiated");
    }
}
