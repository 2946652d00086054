package org.jham.spi;

/**
 * One configured custom action. Immutable and thread-safe: the same action may run in several
 * lanes at once.
 */
public interface PluginAction {
    /** What {@code .info} shows as the action's detail, e.g. the URL it posts to. */
    String describe();

    /**
     * Runs the action in the condition's lane. Returning normally is success; any exception is a
     * failure (its message is logged, the action's fail list runs, and the action is removed
     * unless HACTIONKEEPONFAIL). It should take no longer than a command launch: long waits
     * belong in waitfor actions, which do not hold a thread.
     */
    void run(ActionEvent event) throws Exception;
}
