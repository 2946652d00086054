package org.jham.agent.engine;

import static org.jham.HamConstants.HACTIONBREAKONFAIL;
import static org.jham.HamConstants.HACTIONKEEPONFAIL;
import static org.jham.HamConstants.HCONDINDEPENDENT;
import static org.jham.HamConstants.HCONDKEEPONEMPTY;
import static org.jham.HamConstants.HENTITYKEEPONDEATH;
import static org.jham.HamConstants.HREARMAFTERRESTART;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jham.agent.engine.RearmPolicy.EntityFate;
import org.junit.jupiter.api.Test;

/** Every combination of the persistence rules, against the guide's sentences. */
class RearmPolicyTest {

    @Test
    void conditionSurvivesRestartOnlyWhenRearmed() {
        for (int other : new int[] {0, HCONDINDEPENDENT, HCONDKEEPONEMPTY}) {
            assertEquals(false, RearmPolicy.keepConditionAfterRestart(other));
            assertEquals(true, RearmPolicy.keepConditionAfterRestart(other | HREARMAFTERRESTART));
        }
    }

    @Test
    void actionSurvivesRestartOnlyWhenItAndItsConditionAreRearmed() {
        int[] words = {0, HREARMAFTERRESTART};
        for (int c : words) {
            for (int a : words) {
                for (int extra : new int[] {0, HACTIONKEEPONFAIL, HACTIONBREAKONFAIL}) {
                    boolean expected = c == HREARMAFTERRESTART && a == HREARMAFTERRESTART;
                    assertEquals(expected, RearmPolicy.keepActionAfterRestart(c, a | extra),
                            "condition " + c + " action " + (a | extra));
                }
            }
        }
    }

    @Test
    void failedActionIsRemovedUnlessKeepOnFail() {
        assertEquals(false, RearmPolicy.keepActionAfterFailure(0));
        assertEquals(false, RearmPolicy.keepActionAfterFailure(HREARMAFTERRESTART | HACTIONBREAKONFAIL));
        assertEquals(true, RearmPolicy.keepActionAfterFailure(HACTIONKEEPONFAIL));
        assertEquals(true, RearmPolicy.keepActionAfterFailure(HACTIONKEEPONFAIL | HREARMAFTERRESTART));
    }

    @Test
    void emptiedConditionGoesUnlessKeepOnEmpty() {
        assertEquals(false, RearmPolicy.keepConditionWhenEmptied(HREARMAFTERRESTART));
        assertEquals(true, RearmPolicy.keepConditionWhenEmptied(HCONDKEEPONEMPTY));
    }

    @Test
    void entityFateAfterDeath() {
        assertEquals(EntityFate.KEEP_RESTARTED, RearmPolicy.afterDeath(true, 0));
        assertEquals(EntityFate.KEEP_RESTARTED, RearmPolicy.afterDeath(true, HENTITYKEEPONDEATH));
        assertEquals(EntityFate.REMOVE, RearmPolicy.afterDeath(false, 0));
        assertEquals(EntityFate.KEEP_DEAD, RearmPolicy.afterDeath(false, HENTITYKEEPONDEATH));
    }
}
