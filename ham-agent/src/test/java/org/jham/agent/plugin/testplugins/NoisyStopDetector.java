package org.jham.agent.plugin.testplugins;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.jham.spi.ConditionDetector;

/**
 * Detector noisy, default priority (after LATE: ties go by name, and "LATE" sorts before
 * "noisy"); its @PreDestroy throws, which must not keep the others from stopping.
 */
public class NoisyStopDetector extends RecordingPlugin implements ConditionDetector {
    @Override
    public String name() {
        return "noisy";
    }

    @PostConstruct
    void started() {
        Calls.record("post " + name());
    }

    @PreDestroy
    void stopping() {
        Calls.record("pre " + name());
        throw new IllegalStateException("noisy cannot stop cleanly");
    }
}
