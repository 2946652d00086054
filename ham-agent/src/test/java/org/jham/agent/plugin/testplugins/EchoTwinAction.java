package org.jham.agent.plugin.testplugins;

import org.jham.spi.ActionPlugin;
import org.jham.spi.PluginAction;

/** Type "echo": ECHO ignoring case, with a later (default) priority, so EchoAction keeps the type. */
public class EchoTwinAction extends RecordingPlugin implements ActionPlugin {
    @Override
    public String name() {
        return "echo";
    }

    @Override
    public PluginAction create(String args) {
        throw new AssertionError("a duplicate must not be used");
    }
}
