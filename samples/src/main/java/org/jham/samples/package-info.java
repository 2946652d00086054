/** Java ports of the guide's examples, each runnable against a live HAM. */
package org.jham.samples;
