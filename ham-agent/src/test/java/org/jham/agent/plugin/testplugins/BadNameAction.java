package org.jham.agent.plugin.testplugins;

import org.jham.spi.ActionPlugin;
import org.jham.spi.PluginAction;

/** A name with a space and a '!': rejected before anything is called. */
public class BadNameAction implements ActionPlugin {
    @Override
    public String name() {
        return "no spaces!";
    }

    @Override
    public PluginAction create(String args) {
        throw new AssertionError("never started");
    }
}
