package org.jham.agent.it;

import static org.jham.HamConstants.CONDDEATH;
import static org.jham.HamConstants.CONDRESTART;
import static org.jham.HamConstants.HCONDINDEPENDENT;
import static org.jham.HamConstants.HCONDNOWAIT;
import static org.jham.HamConstants.HENTITYKEEPONDEATH;
import static org.jham.HamConstants.HREARMAFTERRESTART;
import static org.jham.HamConstants.HREMOVEFLAGS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jham.Channel;
import org.jham.ConditionHandle;
import org.jham.EntityHandle;
import org.jham.Ham;
import org.jham.Pulse;
import org.jham.agent.testing.Activity;
import org.jham.agent.testing.Await;
import org.jham.agent.testing.TestHam;
import org.jham.mbean.ActionMXBean;
import org.jham.mbean.ObjectNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The guide's dispatch lanes (chapter 4 "Condition flags"): "all conditions flagged HCONDNOWAIT
 * are executed in FIFO order in a single thread", "all conditions flagged HCONDINDEPENDENT (but
 * not HCONDNOWAIT) are executed each in a separate thread", "all other conditions are executed in
 * FIFO order in one single thread", "within a condition, all actions are also executed in FIFO
 * order", and the bound "(number of HCONDINDEPENDENT conditions) + 2" threads. Pulses to a channel
 * of this JVM show the order in which the lanes ran.
 *
 * <p>Waits that must outlast a step of the test wait for a gate file with a delay far beyond the
 * Await deadline, so what ends them is the test creating the file, never the clock.
 */
class DispatchLanesIT {
    private static final int LONG_DELAY = 60_000;
    private static final String LANE_THREAD = "ham-lane-";

    /** Lane threads of HAMs started before this test's (earlier tests'), which are not counted. */
    private Set<Thread> earlierLanes;
    private TestHam t;
    private Activity activity;
    private Channel ch;
    private Path gate;

    @BeforeEach
    void start() throws Exception {
        earlierLanes = allLaneThreads();
        t = new TestHam();
        activity = new Activity(t);
        ch = t.connection.channel();
        gate = Files.createDirectories(t.stateDir.resolve("it")).resolve("gate");
    }

    @AfterEach
    void stop() {
        try {
            ch.close();
        } finally {
            t.close();
        }
    }

    private static Set<Thread> allLaneThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(th -> th.getName().startsWith(LANE_THREAD) && th.isAlive()).collect(Collectors.toSet());
    }

    /** Live lane threads of this test's HAM (it runs in this JVM). */
    private long laneThreads() {
        return allLaneThreads().stream().filter(th -> !earlierLanes.contains(th)).count();
    }

    private EntityHandle started(String name, int flags) {
        EntityHandle e = Ham.attach(name, t.node, -1, "/bin/sleep 1000", flags);
        t.awaitPid(name, 0);
        return e;
    }

    private ActionMXBean action(String ename, String cname, String aname) {
        return t.connection.proxy(ActionMXBean.class, ObjectNames.action(ename, cname, aname));
    }

    private Pulse next() throws InterruptedException {
        Pulse p = ch.receive(Await.DEFAULT);
        assertNotNull(p, "no pulse within " + Await.DEFAULT);
        return p;
    }

    private void pulse(ConditionHandle c, String aname, int code) {
        c.actionNotifyPulse(aname, null, ch.pid(), ch.chid(), code, 0, HREARMAFTERRESTART);
    }

    private void awaitWaiting(String ename, String cname, String aname) {
        Await.until(ename + "/" + cname + "/" + aname + " waiting",
                () -> action(ename, cname, aname).getRunCount() >= 1);
    }

    @Test
    void theGuidesClientExampleTheIndependentRestartPulseIsNotDelayedByAWaitInTheOtherLane() throws Exception {
        // An OTHER condition of another entity, busy in a long waitfor.
        ConditionHandle blocked = started("lanes-blocker", HENTITYKEEPONDEATH).condition(CONDDEATH, "death", 0);
        blocked.actionWaitfor("hold", gate.toString(), LONG_DELAY, 0);
        pulse(blocked, "late", 6);

        // The guide's inetd: restarted on death, with an independent restart condition holding
        // "notifyrestart_imm", "delay" and "notifyrestart_delayed". Its death condition is
        // independent too, so that its restart is not queued behind the OTHER lane either.
        EntityHandle inetd = started("lanes-inetd", 0);
        inetd.condition(CONDDEATH, "death", HREARMAFTERRESTART | HCONDINDEPENDENT)
                .actionRestart("restart", "/bin/sleep 1000", HREARMAFTERRESTART);
        ConditionHandle restart = inetd.condition(CONDRESTART, "restart", HREARMAFTERRESTART | HCONDINDEPENDENT);
        pulse(restart, "notifyrestart_imm", 4);
        restart.actionWaitfor("delay", null, 3000, HREARMAFTERRESTART);
        pulse(restart, "notifyrestart_delayed", 5);

        // A NOWAIT condition: "aren't delayed in any way by the nature of the actions in other conditions".
        EntityHandle quick = started("lanes-quick", 0);
        pulse(quick.conditionRaise("raised", 0, 0, 0, HCONDNOWAIT), "quick", 7);

        TestHam.kill(t.entity("lanes-blocker").getEntityPid(), "KILL");
        awaitWaiting("lanes-blocker", "death", "hold");

        quick.raise(1, 1, 1, 0);
        assertEquals(7, next().code(), "the NOWAIT pulse arrives while the OTHER lane waits");

        long first = t.entity("lanes-inetd").getEntityPid();
        TestHam.kill(first, "KILL");
        t.awaitPid("lanes-inetd", first);
        Pulse imm = next();
        assertEquals(4, imm.code(), "the immediate restart pulse comes first: " + imm);
        assertEquals("lanes-inetd/restart/notifyrestart_imm", imm.source());
        Pulse delayed = next();
        assertEquals(5, delayed.code(), "then the delayed one, still before the OTHER lane's: " + delayed);
        // The OTHER lane is still inside its waitfor.
        assertEquals(0, action("lanes-blocker", "death", "late").getRunCount());
        long waited = Activity.millis(activity.await("action: lanes-inetd/restart/notifyrestart_delayed NOTIFY_PULSE"))
                - Activity.millis(activity.await("action: lanes-inetd/restart/notifyrestart_imm NOTIFY_PULSE"));
        assertTrue(waited >= 2999, "the delayed pulse went " + waited + " ms after the immediate one");

        Files.createFile(gate);
        Pulse late = next();
        assertEquals(6, late.code());
        assertEquals("lanes-blocker/death/late", late.source());
        assertNull(ch.poll());
    }

    @Test
    void otherConditionsRunInFifoOrderOneAfterTheOther() throws Exception {
        ConditionHandle first = started("lanes-fifo-1", HENTITYKEEPONDEATH).condition(CONDDEATH, "first", 0);
        first.actionWaitfor("hold", gate.toString(), LONG_DELAY, 0);
        pulse(first, "a", 31);
        pulse(started("lanes-fifo-2", HENTITYKEEPONDEATH).condition(CONDDEATH, "second", 0), "b", 32);

        TestHam.kill(t.entity("lanes-fifo-1").getEntityPid(), "KILL");
        awaitWaiting("lanes-fifo-1", "first", "hold");
        TestHam.kill(t.entity("lanes-fifo-2").getEntityPid(), "KILL");
        Await.until("the second condition fired", () -> t.condition("lanes-fifo-2", "second").getTriggerCount() == 1);
        // Queued behind the first condition's waitfor in the one OTHER lane.
        assertNull(ch.poll(), "the second OTHER condition ran while the first one waited");
        assertEquals(0, action("lanes-fifo-2", "second", "b").getRunCount());

        Files.createFile(gate);
        assertEquals(List.of(31, 32), List.of(next().code(), next().code()));
    }

    @Test
    void actionsRunInFifoOrderWithinAConditionInEveryLane() throws Exception {
        EntityHandle e = started("lanes-order", 0);
        int[] flags = {HCONDNOWAIT, HCONDINDEPENDENT, 0};
        for (int lane = 0; lane < flags.length; lane++) {
            ConditionHandle c = e.conditionRaise("c" + lane, 0, 0, 0, flags[lane]);
            for (int i = 1; i <= 5; i++) {
                pulse(c, "p" + i, lane * 10 + i);
            }
        }
        e.raise(1, 1, 1, 0);
        List<Integer> codes = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            codes.add(next().code());
        }
        for (int lane = 0; lane < flags.length; lane++) {
            int base = lane * 10;
            assertEquals(List.of(base + 1, base + 2, base + 3, base + 4, base + 5),
                    codes.stream().filter(c -> c > base && c <= base + 5).toList(), "lane " + lane + " in " + codes);
        }
    }

    @Test
    void laneThreadsStayWithinIndependentConditionsPlusTwoAndEndWithTheirConditions() throws Exception {
        Await.until("the NOWAIT and OTHER lanes of a new HAM", () -> laneThreads() == 2);
        EntityHandle e = started("lanes-threads", 0);
        int independent = 4;
        for (int i = 0; i < independent; i++) {
            ConditionHandle c = e.conditionRaise("ind" + i, 0, 0, 0, HCONDINDEPENDENT);
            c.actionWaitfor("hold", gate.toString(), LONG_DELAY, 0);
            pulse(c, "done", 40 + i);
        }
        // NOWAIT wins over INDEPENDENT: this one adds no thread.
        pulse(e.conditionRaise("both", 0, 0, 0, HCONDINDEPENDENT | HCONDNOWAIT), "done", 50);
        pulse(e.conditionRaise("nowait", 0, 0, 0, HCONDNOWAIT), "done", 51);
        ConditionHandle other = e.conditionRaise("other", 0, 0, 0, 0);
        other.actionWaitfor("hold", gate.toString(), LONG_DELAY, 0);
        pulse(other, "done", 60);
        long bound = independent + 2;

        e.raise(1, 1, 1, 0);
        // Each independent condition waits in a thread of its own, all at the same time.
        for (int i = 0; i < independent; i++) {
            awaitWaiting("lanes-threads", "ind" + i, "hold");
        }
        awaitWaiting("lanes-threads", "other", "hold");
        assertEquals(Set.of(50, 51), Set.of(next().code(), next().code()), "the NOWAIT lane is not held up");
        e.raise(1, 1, 1, 0);
        e.raise(1, 1, 1, 0);
        Await.until("three firings", () -> t.condition("lanes-threads", "other").getTriggerCount() == 3);
        assertTrue(laneThreads() <= bound,
                laneThreads() + " lane threads for " + independent + " independent conditions");

        Files.createFile(gate);
        List<Integer> codes = new ArrayList<>();
        while (codes.size() < 3 * (independent + 1) + 4) {
            codes.add(next().code());
        }
        for (int i = 0; i < independent; i++) {
            int code = 40 + i;
            assertEquals(3, codes.stream().filter(c -> c == code).count(), codes.toString());
        }
        assertTrue(laneThreads() <= bound, laneThreads() + " lane threads");

        // A lane thread ends with its condition, or when the condition stops being independent.
        Ham.conditionHandle(t.node, "lanes-threads", "ind0", 0).remove(0);
        Ham.conditionHandle(t.node, "lanes-threads", "ind1", 0).remove(0);
        Await.until("two lane threads ended", () -> laneThreads() == bound - 2);
        Ham.conditionHandle(t.node, "lanes-threads", "ind2", 0).control(HREMOVEFLAGS, HCONDINDEPENDENT);
        Await.until("a third one ended", () -> laneThreads() == bound - 3);
        Ham.conditionHandle(t.node, "lanes-threads", "ind3", 0).remove(0);
        Await.until("only the NOWAIT and OTHER lanes left", () -> laneThreads() == 2);
    }
}
