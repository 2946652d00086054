/**
 * Where the HAM's plugins live: {@link org.jham.agent.plugin.PluginHost} finds the
 * {@link org.jham.spi.ActionPlugin}s and {@link org.jham.spi.ConditionDetector}s of the jars on the
 * plugin path ({@code --plugin-path}), orders them by {@link jakarta.annotation.Priority}, runs their
 * Jakarta lifecycle ({@code init}, {@code @PostConstruct}; {@code @PreDestroy} in reverse at the end)
 * and hands the started ones out by name. A plugin that cannot be loaded or started is logged and
 * left out; it never stops the HAM.
 */
package org.jham.agent.plugin;
