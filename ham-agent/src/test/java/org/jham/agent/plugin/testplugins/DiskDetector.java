package org.jham.agent.plugin.testplugins;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import org.jham.spi.ConditionDetector;

/** Detector disk-space, priority 10: the first to start, the last to stop. */
@Priority(10)
public class DiskDetector extends RecordingPlugin implements ConditionDetector {
    @Override
    public String name() {
        return "disk-space";
    }

    @PostConstruct
    protected void started() {
        Calls.record("post " + name());
    }

    @PreDestroy
    void stopping() {
        Calls.record("pre " + name());
    }
}
