/**
 * The plugin SPI: the guide's "you may add your own action functions" and "add the capability of
 * detecting other conditions". A plugin jar on the HAM's plugin path lists its
 * {@link org.jham.spi.ActionPlugin}s and {@link org.jham.spi.ConditionDetector}s in
 * {@code META-INF/services}; the HAM loads them with {@link java.util.ServiceLoader}, orders them
 * by {@link jakarta.annotation.Priority} (lowest first; none = {@link org.jham.spi.HamPlugin#DEFAULT_PRIORITY}),
 * gives each its {@link org.jham.spi.PluginContext}, then calls its
 * {@link jakarta.annotation.PostConstruct} methods; when the HAM stops it calls their
 * {@link jakarta.annotation.PreDestroy} methods in the reverse order. A plugin whose
 * {@code @PostConstruct} throws is not used (the HAM logs why and goes on without it).
 */
package org.jham.spi;
