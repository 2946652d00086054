/**
 * Small plugins for {@code PluginHostTest}: the test packs their class files into jars at run time,
 * with {@code META-INF/services} entries that nothing on the test class path declares, so only a
 * jar on the plugin path makes them visible. They record their lifecycle calls in {@link
 * org.jham.agent.plugin.testplugins.Calls}.
 */
package org.jham.agent.plugin.testplugins;
