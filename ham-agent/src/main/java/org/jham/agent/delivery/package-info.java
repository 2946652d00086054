/**
 * Where actions reach outside the engine: pulse channels ({@link org.jham.agent.delivery.ChannelRegistry}),
 * the namespace a waitfor watches ({@link org.jham.agent.delivery.NamespaceProbe}), signals, other
 * HAM nodes, and plugin action types, bundled as the engine's
 * {@link org.jham.agent.engine.ActionRuntime} by {@link org.jham.agent.delivery.Deliveries}.
 */
package org.jham.agent.delivery;
