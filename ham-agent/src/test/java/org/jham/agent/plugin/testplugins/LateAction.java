package org.jham.agent.plugin.testplugins;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.jham.spi.ActionEvent;
import org.jham.spi.ActionPlugin;
import org.jham.spi.PluginAction;

/** Action type LATE without a priority: HamPlugin.DEFAULT_PRIORITY. */
public class LateAction extends RecordingPlugin implements ActionPlugin {
    @Override
    public String name() {
        return "LATE";
    }

    @Override
    public PluginAction create(String args) {
        return new PluginAction() {
            @Override
            public String describe() {
                return "late";
            }

            @Override
            public void run(ActionEvent event) {
            }
        };
    }

    @PostConstruct
    public void started() {
        Calls.record("post " + name());
    }

    @PreDestroy
    void stopping() {
        Calls.record("pre " + name());
    }
}
