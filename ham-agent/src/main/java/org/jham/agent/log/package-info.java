/**
 * The HAM's activity log: the verbosity-filtered stream of what the HAM does (attaches, deaths,
 * restarts, {@code ham_action_log} messages), stamped per the {@code ham} utility's {@code -t}
 * option and written to stderr or a file ({@code -f}) through a Log4j 2 context of its own, so a
 * host application's logging configuration never sees it, nor it that configuration.
 */
package org.jham.agent.log;
