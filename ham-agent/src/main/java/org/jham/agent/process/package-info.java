/**
 * Processes for the HAM: parsing command lines with the guide's quoting rules, launching them
 * (direct exec, no shell), and noticing their deaths (children at once, attached pids by a
 * shared {@code /proc} poll), with exit status and abnormal-death judgement; and signalling a
 * pid with a value ({@code sigqueue}) for ham_action_notify_signal.
 */
package org.jham.agent.process;
