package org.jham.agent.plugin.testplugins;

import jakarta.annotation.Priority;
import org.jham.spi.ActionPlugin;
import org.jham.spi.PluginAction;

/**
 * Type ECHO with EchoAction's priority: the exact same order key, so the jar found first (jars of
 * a directory by file name, then the path's order) decides which of the two is used.
 */
@Priority(20)
public class EchoCloneAction extends RecordingPlugin implements ActionPlugin {
    @Override
    public String name() {
        return "ECHO";
    }

    @Override
    public PluginAction create(String args) {
        return new EchoAction.Echo("clone " + args);
    }
}
