/**
 * A JConsole tab for the HAM tree, stats, control and live events. Built by its own issue; the
 * module exists now so that the build layout tells the architecture.
 */
package org.jham.jconsole;
