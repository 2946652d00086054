package org.jham.agent.monitor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EpisodeTest {
    @Test
    void raisedOnceWhileItLastsAndAgainAfterItEnded() {
        Episode e = new Episode();
        e.observe(false);
        assertFalse(e.began());
        assertFalse(e.due());
        e.observe(true);
        assertTrue(e.began());
        assertTrue(e.due());
        e.raised();
        e.observe(true);
        assertFalse(e.began());
        assertFalse(e.due());
        assertTrue(e.active());
        e.observe(false);
        assertFalse(e.active());
        e.observe(true);
        assertTrue(e.began());
        assertTrue(e.due());
    }

    @Test
    void anUndeliveredRaiseStaysDueAndIsToldOnce() {
        Episode e = new Episode();
        e.observe(true);
        assertTrue(e.began());
        e.observe(true);
        assertFalse(e.began());
        assertTrue(e.due());
    }

    @Test
    void aNewHamHearsOfAnEpisodeStillGoingOn() {
        Episode e = new Episode();
        e.observe(true);
        e.raised();
        e.forgetRaise();
        e.observe(true);
        assertFalse(e.began());
        assertTrue(e.due());
    }
}
