package org.jham.agent.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.jham.Errno;
import org.jham.HamException;
import org.jham.agent.monitor.MonitorOptions.Beat;
import org.jham.agent.monitor.MonitorOptions.Detector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MonitorOptionsTest {
    @Test
    void theModeIsChosenByEntity() {
        assertTrue(MonitorOptions.isMonitorMode("entity=web"));
        assertTrue(MonitorOptions.isMonitorMode("node=h:1, Entity = web"));
        assertFalse(MonitorOptions.isMonitorMode("port=7770,statedir=/x"));
        assertFalse(MonitorOptions.isMonitorMode(""));
        assertFalse(MonitorOptions.isMonitorMode(null));
    }

    @Test
    void entityAloneMeansNoHeartbeatBothDetectorsNoRestart() {
        MonitorOptions o = MonitorOptions.parse("entity=web");
        assertEquals("web", o.entity());
        assertNull(o.node());
        assertEquals(0, o.hbMillis());
        assertEquals(0, o.hbNanos());
        assertEquals(0, o.low());
        assertEquals(0, o.high());
        assertFalse(o.agentBeats());
        assertFalse(o.restart());
        assertEquals(EnumSet.allOf(Detector.class), o.detect());
        assertEquals(90, o.memoryPercent());
        assertFalse(o.detachOnExit());
    }

    @Test
    void aHeartbeatPeriodIsBeatenByTheAgentWithMarksThreeAndFive() {
        MonitorOptions o = MonitorOptions.parse("entity=web,hb=100");
        assertEquals(100_000_000L, o.hbNanos());
        assertEquals(3, o.low());
        assertEquals(5, o.high());
        assertEquals(Beat.AGENT, o.beat());
        assertTrue(o.agentBeats());
    }

    @Test
    void everyOption() {
        MonitorOptions o = MonitorOptions.parse(" entity=web , node=127.0.0.1:7771,hb=250,low=2,high=9,beat=app,"
                + "restart=yes,detect=memory,memory=80,detach-on-exit=yes,");
        assertEquals("127.0.0.1:7771", o.node());
        assertEquals(250, o.hbMillis());
        assertEquals(2, o.low());
        assertEquals(9, o.high());
        assertEquals(Beat.APP, o.beat());
        assertFalse(o.agentBeats());
        assertTrue(o.restart());
        assertEquals(EnumSet.of(Detector.MEMORY), o.detect());
        assertEquals(80, o.memoryPercent());
        assertTrue(o.detachOnExit());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "low=8     | 8 | 8",
        "high=2    | 2 | 2",
        "low=0     | 0 | 5",
        "high=0    | 0 | 0",
        "low=1,high=1 | 1 | 1"})
    void oneMarkGivenTheOtherFollows(String marks, int low, int high) {
        MonitorOptions o = MonitorOptions.parse("entity=web,hb=100," + marks.trim());
        assertEquals(low, o.low());
        assertEquals(high, o.high());
    }

    @Test
    void detectorsJoinWithPlusOrAreNone() {
        assertEquals(EnumSet.of(Detector.DEADLOCK), MonitorOptions.parse("entity=a,detect=deadlock").detect());
        assertEquals(EnumSet.allOf(Detector.class), MonitorOptions.parse("entity=a,detect=memory+deadlock").detect());
        assertEquals(EnumSet.noneOf(Detector.class), MonitorOptions.parse("entity=a,detect=none").detect());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "''                            | EINVAL: no agent options: entity=NAME is required",
        "hb=100                        | EINVAL: entity=NAME is required",
        "entity=                       | EINVAL: entity=: entity name is empty",
        "entity=a/b                    | EINVAL: entity=a/b: entity name 'a/b' contains '/'",
        "entity=web,web                | EINVAL: agent option 'web' is not key=value",
        "entity=web,entity=db          | EINVAL: entity= is given twice",
        "entity=web,node=              | EINVAL: node= is empty (leave it out for the local HAM)",
        "entity=web,node=h:99999       | EINVAL: node=h:99999: node 'h:99999' is not host[:port]",
        "entity=web,hb=5               | EINVAL: hb=5: below HAMHBEATMIN (10 ms)",
        "entity=web,hb=-1              | EINVAL: hb=-1: out of range 0..86400000",
        "entity=web,hb=fast            | EINVAL: hb=fast: not a number",
        "entity=web,low=3              | EINVAL: low= needs a heartbeat period hb=MS (without one nothing is missed)",
        "entity=web,hb=0,beat=agent    | EINVAL: beat= needs a heartbeat period hb=MS (without one nothing is missed)",
        "entity=web,hb=100,low=6,high=2 | EINVAL: low=6 is above high=2 (the guide: hpdl <= hpdh)",
        "entity=web,hb=100,beat=main   | EINVAL: beat=main: not agent or app",
        "entity=web,restart=sometimes  | EINVAL: restart=sometimes: not yes or no",
        "entity=web,detect=deadlock+cpu | EINVAL: detect=deadlock+cpu: 'cpu' is not deadlock or memory (join them with +, or say none)",
        "entity=web,memory=100         | EINVAL: memory=100: out of range 1..99",
        "entity=web,detect=deadlock,memory=80 | EINVAL: memory=80 needs the memory detector (detect=...+memory)",
        "entity=web,port=7770          | EINVAL: unknown agent option 'port' (known: entity, node, hb, low, high, beat, restart, detect, memory, detach-on-exit)"})
    void badOptionsAreRefusedNamingTheOption(String args, String message) {
        HamException e = assertThrows(HamException.class, () -> MonitorOptions.parse(args));
        assertEquals(message, e.getMessage());
    }

    @Test
    void aTooLongEntityNameIsEnametoolong() {
        HamException e = assertThrows(HamException.class, () -> MonitorOptions.parse("entity=" + "x".repeat(256)));
        assertEquals(Errno.ENAMETOOLONG, e.errno());
        assertTrue(e.getMessage().startsWith("ENAMETOOLONG: entity=xxx"), e.getMessage());
    }
}
