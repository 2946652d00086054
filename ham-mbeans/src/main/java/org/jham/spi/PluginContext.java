package org.jham.spi;

import java.util.List;

/**
 * What the HAM offers its plugins. Thread-safe: any plugin thread may call it.
 */
public interface PluginContext {
    /**
     * A setting for this plugin: the HAM's system property {@code jham.plugin.<plugin name>.<key>},
     * or {@code fallback} when it is not set.
     */
    String setting(String key, String fallback);

    /** Writes a line to the HAM's activity log at {@code verbosity} (1 = always shown by default). */
    void log(int verbosity, String message);

    /** The names of the entities the HAM monitors now (not the global one). */
    List<String> entityNames();

    /**
     * ham_entity_condition_raise on behalf of {@code entity}: fires its (and the global entity's)
     * CONDRAISE conditions that match.
     *
     * @throws org.jham.HamException ENOENT when there is no such entity, EINVAL for the global one
     */
    void raise(String entity, int rtype, int rclass, int rseverity);

    /**
     * ham_entity_condition_state on behalf of {@code entity}: reports its next state.
     *
     * @throws org.jham.HamException ENOENT when there is no such entity, EINVAL for the global one
     */
    void state(String entity, int tostate);
}
