/** {@code hamctrl}, the command-line control utility, built on the client library. */
package org.jham.agent.cli;
