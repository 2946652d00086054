/**
 * Sample plugins: {@link org.jham.samples.plugin.HttpPostAction}, the custom action type
 * {@code HTTP_POST}, which tells a web hook what fired, and
 * {@link org.jham.samples.plugin.DiskSpaceDetector}, the condition detector {@code DISK_SPACE},
 * which raises a condition when a file system is nearly full. {@code mvn package} also packs this
 * package alone as {@code samples/target/samples-<version>-plugin.jar}: drop that jar into the
 * HAM's plugin directory ({@code --plugin-path}, by default {@code <state-dir>/plugins}).
 */
package org.jham.samples.plugin;
