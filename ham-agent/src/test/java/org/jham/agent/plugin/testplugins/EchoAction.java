package org.jham.agent.plugin.testplugins;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import org.jham.spi.ActionEvent;
import org.jham.spi.ActionPlugin;
import org.jham.spi.PluginAction;

/** Action type ECHO, priority 20. */
@Priority(20)
public class EchoAction extends RecordingPlugin implements ActionPlugin {
    @Override
    public String name() {
        return "ECHO";
    }

    @Override
    public PluginAction create(String args) {
        return new Echo(args);
    }

    @PostConstruct
    void started() {
        Calls.record("post " + name());
    }

    @PreDestroy
    public void stopping() {
        Calls.record("pre " + name());
    }

    /** Records what it is run with. */
    record Echo(String args) implements PluginAction {
        @Override
        public String describe() {
            return "echo " + args;
        }

        @Override
        public void run(ActionEvent event) {
            Calls.record("run echo " + args + " " + event.entity());
        }
    }
}
