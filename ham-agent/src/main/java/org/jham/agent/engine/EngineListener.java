package org.jham.agent.engine;

/**
 * What the engine tells its views (the MBean layer). The structural callbacks run under the
 * engine lock, in tree order, so MBeans are registered and unregistered in the same order as the
 * tree changes; they must be quick and must not call back into the engine. {@link #fired} runs
 * after the change has committed, outside the lock.
 */
public interface EngineListener {
    void entityAdded(String ename);

    void entityRemoved(String ename);

    void conditionAdded(String ename, String cname);

    void conditionRemoved(String ename, String cname);

    void actionAdded(String ename, String cname, String aname);

    void actionRemoved(String ename, String cname, String aname);

    void fired(Views.Fired fired);

    /** A self-attached entity's heartbeat arrived, its {@code count}th (any thread; must be quick). */
    default void heartbeat(String ename, long count) {
    }

    /** A listener that ignores everything (an engine without JMX, in unit tests). */
    EngineListener NONE = new EngineListener() {
        public void entityAdded(String ename) {
        }

        public void entityRemoved(String ename) {
        }

        public void conditionAdded(String ename, String cname) {
        }

        public void conditionRemoved(String ename, String cname) {
        }

        public void actionAdded(String ename, String cname, String aname) {
        }

        public void actionRemoved(String ename, String cname, String aname) {
        }

        public void fired(Views.Fired fired) {
        }
    };
}
