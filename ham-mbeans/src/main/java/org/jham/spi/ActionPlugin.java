package org.jham.spi;

/**
 * A custom action type. Users add actions of this type with
 * {@code ConditionHandle.actionCustom(aname, type, args, flags)} (JMX {@code actionCustom}, hamctrl
 * {@code custom}), or as action-fail items; {@link #create} validates the arguments once, at that
 * moment, and the returned {@link PluginAction} runs each time the condition fires.
 */
public interface ActionPlugin extends HamPlugin {
    /**
     * Validates {@code args} and builds the action.
     *
     * @throws org.jham.HamException EINVAL (naming the bad argument) when {@code args} are unusable
     */
    PluginAction create(String args);
}
