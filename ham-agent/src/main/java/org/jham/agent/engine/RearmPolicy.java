package org.jham.agent.engine;

import static org.jham.HamConstants.HACTIONKEEPONFAIL;
import static org.jham.HamConstants.HCONDKEEPONEMPTY;
import static org.jham.HamConstants.HENTITYKEEPONDEATH;
import static org.jham.HamConstants.HREARMAFTERRESTART;

/**
 * The guide's persistence rules as pure functions over flag words, so every combination is unit
 * tested: what survives a restart, a failed action, a death without restart, an emptied
 * condition.
 */
public final class RearmPolicy {
    private RearmPolicy() {
    }

    /** What becomes of an entity after it died. */
    public enum EntityFate {
        /** It was restarted: it stays, with its rearmed conditions. */
        KEEP_RESTARTED,
        /** Not restarted, but HENTITYKEEPONDEATH keeps it (dead) with all its conditions. */
        KEEP_DEAD,
        /** Not restarted: removed along with its conditions and actions. */
        REMOVE
    }

    /** A condition survives a restart of its entity only with HREARMAFTERRESTART. */
    public static boolean keepConditionAfterRestart(int conditionFlags) {
        return (conditionFlags & HREARMAFTERRESTART) != 0;
    }

    /** An action survives a restart only if it and its condition are both rearmed. */
    public static boolean keepActionAfterRestart(int conditionFlags, int actionFlags) {
        return keepConditionAfterRestart(conditionFlags) && (actionFlags & HREARMAFTERRESTART) != 0;
    }

    /** A failed action is removed unless HACTIONKEEPONFAIL. */
    public static boolean keepActionAfterFailure(int actionFlags) {
        return (actionFlags & HACTIONKEEPONFAIL) != 0;
    }

    /** A condition whose last action was removed automatically goes too, unless HCONDKEEPONEMPTY. */
    public static boolean keepConditionWhenEmptied(int conditionFlags) {
        return (conditionFlags & HCONDKEEPONEMPTY) != 0;
    }

    public static EntityFate afterDeath(boolean restarted, int entityFlags) {
        if (restarted) {
            return EntityFate.KEEP_RESTARTED;
        }
        return (entityFlags & HENTITYKEEPONDEATH) != 0 ? EntityFate.KEEP_DEAD : EntityFate.REMOVE;
    }
}
