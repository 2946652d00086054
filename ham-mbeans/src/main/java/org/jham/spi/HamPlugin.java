package org.jham.spi;

/**
 * What every plugin has: a name (unique per kind on a HAM) and the context the HAM hands it
 * before its {@code @PostConstruct} methods run. Implementations need a public no-argument
 * constructor (ServiceLoader) and must be thread-safe: the HAM calls them from its lane threads.
 */
public interface HamPlugin {
    /** The order of plugins without {@link jakarta.annotation.Priority}. */
    int DEFAULT_PRIORITY = 1000;

    /**
     * The plugin's name: for an action plugin, the action type users name when they add an action
     * (e.g. {@code HTTP_POST}); letters, digits, '_' and '-' only.
     */
    String name();

    /** Called once, before the {@code @PostConstruct} methods; the default ignores the context. */
    default void init(PluginContext context) {
    }
}
