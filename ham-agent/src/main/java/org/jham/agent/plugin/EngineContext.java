package org.jham.agent.plugin;

import java.util.List;
import org.jham.agent.engine.Engine;
import org.jham.spi.PluginContext;

/**
 * The {@link PluginContext} a running HAM gives each plugin: settings from system properties,
 * the activity log, and raise/state on behalf of entities through the engine (so plugin-detected
 * conditions go through exactly the path of {@code ham_entity_condition_raise}). Thread-safe.
 */
public final class EngineContext implements PluginContext {
    private final String plugin;
    private final Engine engine;

    public EngineContext(String plugin, Engine engine) {
        this.plugin = plugin;
        this.engine = engine;
    }

    @Override
    public String setting(String key, String fallback) {
        return System.getProperty("jham.plugin." + plugin + "." + key, fallback);
    }

    @Override
    public void log(int verbosity, String message) {
        engine.activityLog().log(Math.max(1, verbosity), "plugin " + plugin + ": " + message);
    }

    @Override
    public List<String> entityNames() {
        return engine.entityNames();
    }

    @Override
    public void raise(String entity, int rtype, int rclass, int rseverity) {
        engine.raise(entity, rtype, rclass, rseverity);
    }

    @Override
    public void state(String entity, int tostate) {
        engine.reportState(entity, tostate);
    }
}
