package org.jham.agent.engine;

/**
 * Where the engine writes its state as it changes, so that a HAM started on the same state (the
 * Guardian taking over, or a HAM started again) continues exactly. Called under the engine lock,
 * after each change and before the call that made it returns, with the whole changed entity: the
 * last image of an entity is its state. Implementations must be quick and must not call back
 * into the engine; a failure to write is reported by throwing (the caller gets EIO).
 */
public interface StateLog {
    /** The entity (or the global entity) now looks like this. */
    void entity(Image.Entity image);

    /** The entity is gone. */
    void entityRemoved(String ename);

    /** The HAM-wide state changed. */
    void ham(Image.Ham image);

    /** Keeps nothing (an engine whose state needs not survive it, in unit tests). */
    StateLog NONE = new StateLog() {
        public void entity(Image.Entity image) {
        }

        public void entityRemoved(String ename) {
        }

        public void ham(Image.Ham image) {
        }
    };
}
