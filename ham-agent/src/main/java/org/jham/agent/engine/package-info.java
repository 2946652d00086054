/**
 * The HAM's engine: the entity → condition → action tree, the guide's naming and persistence
 * rules ({@link org.jham.agent.engine.RearmPolicy}), death handling, and the three dispatch lanes.
 * Free of JMX types; views ({@link org.jham.agent.engine.Views}) and
 * {@link org.jham.agent.engine.EngineListener} are its outputs.
 */
package org.jham.agent.engine;
