/**
 * A sample plugin: {@link org.jham.samples.plugin.HttpPostAction}, the custom action type
 * {@code HTTP_POST}, which tells a web hook what fired. {@code mvn package} also packs this
 * package alone as {@code samples/target/samples-<version>-plugin.jar}: drop that jar into the
 * HAM's plugin directory ({@code --plugin-path}, by default {@code <state-dir>/plugins}).
 */
package org.jham.samples.plugin;
