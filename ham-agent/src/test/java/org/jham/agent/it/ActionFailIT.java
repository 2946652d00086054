package org.jham.agent.it;

import static org.jham.HamConstants.CONDDEATH;
import static org.jham.HamConstants.HACTIONBREAKONFAIL;
import static org.jham.HamConstants.HACTIONKEEPONFAIL;
import static org.jham.HamConstants.HCONDNOWAIT;
import static org.jham.HamConstants.HENTITYKEEPONDEATH;
import static org.jham.HamConstants.HREARMAFTERRESTART;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jham.ActionHandle;
import org.jham.Channel;
import org.jham.ConditionHandle;
import org.jham.EntityHandle;
import org.jham.Errno;
import org.jham.Ham;
import org.jham.HamException;
import org.jham.Pulse;
import org.jham.agent.testing.Activity;
import org.jham.agent.testing.Await;
import org.jham.agent.testing.SigRecorder;
import org.jham.agent.testing.TestHam;
import org.jham.mbean.ActionMXBean;
import org.jham.mbean.ObjectNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Action-fail lists (chapter 4 "Action Fail actions" and the ham_action_fail_* reference pages):
 * "When an action in a list of actions fails, one can specify an alternate list of actions that
 * will be performed to recover from the failure of the given action." Real failures (a program
 * that does not exist, a path that never appears, a pulse to a closed channel, a signal to a pid
 * that does not exist) on a real HAM.
 */
class ActionFailIT {
    /** A program that cannot be started: its execute fails (ENOENT). */
    private static final String MISSING = "/nonexistent/jham-no-such-program";

    private TestHam t;
    private Activity activity;
    private Path dir;

    @BeforeEach
    void start() throws Exception {
        t = new TestHam();
        activity = new Activity(t);
        dir = Files.createDirectories(t.stateDir.resolve("it"));
    }

    @AfterEach
    void stop() {
        t.close();
    }


    private void kill(String ename) {
        TestHam.kill(t.entity(ename).getEntityPid(), "KILL");
    }



    private static String sh(String script) {
        return "/bin/sh -c \\'" + script + "\\'";
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Asserts the errno and that the action's fail list did not change. */
    private void fails(Errno expected, ActionMXBean a, Executable call) {
        String[] before = a.getFailActions();
        HamException e = assertThrows(HamException.class, call);
        assertEquals(expected, e.errno(), e.getMessage());
        assertArrayEquals(before, a.getFailActions(), "a refused call changed the fail list");
    }

    /** Asserts the lines containing {@code texts} appear, each after the one before. */
    private void assertInOrder(String... texts) {
        List<String> lines = activity.lines();
        int last = -1;
        for (String text : texts) {
            int i = -1;
            for (int k = last + 1; k < lines.size(); k++) {
                if (lines.get(k).contains(text)) {
                    i = k;
                    break;
                }
            }
            assertTrue(i > last, "'" + text + "' not found after line " + last + ":\n" + String.join("\n", lines));
            last = i;
        }
    }

    @Test
    void aFailedActionRunsItsFailListInOrderThenTheRestOfItsList() throws Exception {
        Path recovered = dir.resolve("recovered");
        try (Channel ch = t.connection.channel(); SigRecorder r = new SigRecorder()) {
            ConditionHandle death = t.sleeper("fail-order", HENTITYKEEPONDEATH).condition(CONDDEATH, "death", 0);
            ActionHandle broken = death.actionExecute("broken", MISSING, 0);
            broken.failLog("f1-log", "fail list begins", 0, 1, 0);
            broken.failExecute("f2-exec", sh("echo recovered > " + recovered), 0);
            broken.failWaitfor("f3-wait", null, 1000, 0);
            broken.failNotifyPulse("f4-pulse", null, ch.pid(), ch.chid(), 31, 310, 0);
            broken.failNotifySignal("f5-signal", null, r.pid, 36, 2, 360, 0);
            broken.failLog("f6-log", "fail list ends", 0, 1, 0);
            death.actionLog("next", "the list goes on", 0, 1, 0);

            kill("fail-order");
            activity.await("] the list goes on");

            assertInOrder("action: fail-order/death/broken EXECUTE",
                    "action failed: fail-order/death/broken: ENOENT",
                    "action-fail item: fail-order/death/broken/f1-log LOG",
                    "] fail list begins",
                    "action-fail item: fail-order/death/broken/f2-exec EXECUTE",
                    "action-fail item: fail-order/death/broken/f3-wait WAITFOR",
                    "action-fail item: fail-order/death/broken/f4-pulse NOTIFY_PULSE",
                    "action-fail item: fail-order/death/broken/f5-signal NOTIFY_SIGNAL",
                    "action-fail item: fail-order/death/broken/f6-log LOG",
                    "] fail list ends",
                    "action: fail-order/death/next LOG",
                    "] the list goes on");
            // The waitfor in the fail list delays the items behind it (stamps truncated to the ms).
            String item = "action-fail item: fail-order/death/broken/";
            long waited = Activity.millis(activity.await(item + "f4-pulse NOTIFY_PULSE"))
                    - Activity.millis(activity.await(item + "f3-wait WAITFOR"));
            assertTrue(waited >= 999, "the pulse item ran " + waited + " ms after the waitfor item began");

            // Each item did what it says.
            Await.until("the fail execute ran", () -> read(recovered).equals("recovered\n"));
            Pulse p = ch.receive(Await.DEFAULT);
            assertNotNull(p);
            assertEquals(List.of(31, 310, "fail-order/death/broken/f4-pulse"),
                    List.of(p.code(), p.value(), p.source()));
            r.awaitReceived(36, 360);
            // Without HACTIONKEEPONFAIL the failed action goes, but its fail list ran first.
            assertFalse(t.hasAction("fail-order", "death", "broken"));
            assertTrue(t.hasAction("fail-order", "death", "next"));
        }
    }

    @Test
    void everyKindOfFailingActionRunsItsFailList() throws Exception {
        long nobody = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/kernel/pid_max")).get(0).trim());
        Channel closed = t.connection.channel();
        closed.close();
        ConditionHandle death = t.sleeper("fail-kinds", HENTITYKEEPONDEATH).condition(CONDDEATH, "death", 0);
        death.actionExecute("exec", MISSING, 0).failLog("why", "execute failed", 0, 1, 0);
        death.actionWaitfor("wait", dir.resolve("never").toString(), 200, 0).failLog("why", "waitfor failed", 0, 1, 0);
        death.actionNotifyPulse("pulse", null, closed.pid(), closed.chid(), 1, 1, 0)
                .failLog("why", "pulse failed", 0, 1, 0);
        death.actionNotifySignal("signal", null, nobody, 10, 0, 1, 0).failLog("why", "signal failed", 0, 1, 0);
        death.actionLog("end", "all four failed", 0, 1, 0);

        kill("fail-kinds");
        activity.await("] all four failed");
        assertInOrder("action failed: fail-kinds/death/exec: ENOENT", "] execute failed",
                "action failed: fail-kinds/death/wait: ", "] waitfor failed",
                "action failed: fail-kinds/death/pulse: ENOENT", "] pulse failed",
                "action failed: fail-kinds/death/signal: ESRCH", "] signal failed",
                "] all four failed");
        assertArrayEquals(new String[] {"end"}, t.condition("fail-kinds", "death").getActionNames());
    }

    @Test
    void breakOnFailSkipsTheRestOfTheListAfterTheFailList() {
        EntityHandle e = t.sleeper("fail-break", HENTITYKEEPONDEATH);
        ConditionHandle first = e.condition(CONDDEATH, "first", 0);
        first.actionExecute("broken", MISSING, HACTIONBREAKONFAIL).failLog("why", "recovering", 0, 1, 0);
        first.actionLog("skipped", "never written", 0, 1, 0);
        // An OTHER condition of the same death, queued behind "first" in the same lane: once it
        // ran, "first" is over.
        e.condition(CONDDEATH, "second", 0).actionLog("marker", "second condition ran", 0, 1, 0);

        kill("fail-break");
        activity.await("] second condition ran");
        assertInOrder("action failed: fail-break/first/broken", "] recovering", "] second condition ran");
        assertEquals(0, t.action("fail-break", "first", "skipped").getRunCount());
        assertEquals(-1, activity.indexOf("] never written"));
    }

    @Test
    void keepOnFailKeepsTheActionAndItsFailListRunsAgainOnTheNextFiring() {
        EntityHandle e = t.sleeper("fail-keep", 0);
        ConditionHandle raised = e.conditionRaise("raised", 0, 0, 0, 0);
        raised.actionExecute("kept", MISSING, HACTIONKEEPONFAIL).failLog("again", "kept one failed", 0, 1, 0);
        raised.actionExecute("dropped", MISSING, 0).failLog("once", "dropped one failed", 0, 1, 0);
        raised.actionLog("end", "list over", 0, 1, 0);

        e.raise(1, 1, 1, 0);
        Await.until("first firing over", () -> activity.count("] list over") == 1);
        e.raise(1, 1, 1, 0);
        Await.until("second firing over", () -> activity.count("] list over") == 2);

        assertEquals(2, activity.count("] kept one failed"));
        assertEquals(1, activity.count("] dropped one failed"), "a removed action's fail list never runs again");
        assertFalse(t.hasAction("fail-keep", "raised", "dropped"));
        ActionMXBean kept = t.action("fail-keep", "raised", "kept");
        assertEquals(2, kept.getRunCount());
        assertEquals(2, kept.getFailCount());
        assertArrayEquals(new String[] {"again : LOG kept one failed (run 2, failed 0)"}, kept.getFailActions());
    }

    @Test
    void failRemoveTakesAnItemOutOfTheList() {
        EntityHandle e = t.sleeper("fail-remove", 0);
        ConditionHandle raised = e.conditionRaise("raised", 0, 0, 0, 0);
        ActionHandle broken = raised.actionExecute("broken", MISSING, HACTIONKEEPONFAIL);
        broken.failLog("a", "item a ran", 0, 1, 0);
        broken.failLog("b", "item b ran", 0, 1, 0);
        broken.failLog("c", "item c ran", 0, 1, 0);
        raised.actionLog("end", "list over", 0, 1, 0);

        broken.failRemove("b", 0);
        ActionMXBean a = t.action("fail-remove", "raised", "broken");
        assertEquals(List.of("a : LOG item a ran (run 0, failed 0)", "c : LOG item c ran (run 0, failed 0)"),
                List.of(a.getFailActions()));
        fails(Errno.ENOENT, a, () -> broken.failRemove("b", 0));
        fails(Errno.ENOENT, a, () -> broken.failRemove("never-added", 0));

        e.raise(1, 1, 1, 0);
        activity.await("] list over");
        assertInOrder("] item a ran", "] item c ran", "] list over");
        assertEquals(-1, activity.indexOf("] item b ran"));
        // The name is free again.
        broken.failLog("b", "item b is back", 0, 1, 0);
        assertEquals(3, a.getFailActions().length);
    }

    @Test
    void failListItemsAreCheckedWhenAdded() {
        EntityHandle e = t.sleeper("fail-check", 0);
        ActionHandle a = e.condition(CONDDEATH, "death", 0).actionExecute("a", MISSING, 0);
        ActionMXBean bean = t.action("fail-check", "death", "a");
        a.failLog("dup", "m", 0, 1, 0);
        // "The name provided for the action already exists."
        fails(Errno.EEXIST, bean, () -> a.failLog("dup", "m", 0, 1, 0));
        fails(Errno.EEXIST, bean, () -> a.failExecute("dup", "/bin/true", 0));
        // Names must not contain '/': the library refuses, and so does the HAM itself.
        fails(Errno.EINVAL, bean, () -> a.failLog("x/y", "m", 0, 1, 0));
        fails(Errno.EINVAL, bean, () -> bean.failLog("x/y", "m", 0, 1, ""));
        // The combined path fail-check/death/a/<item> is limited to 255 characters.
        String prefix = "fail-check/death/a/";
        String longest = "n".repeat(255 - prefix.length());
        fails(Errno.ENAMETOOLONG, bean, () -> a.failLog(longest + "n", "m", 0, 1, 0));
        fails(Errno.ENAMETOOLONG, bean, () -> bean.failLog(longest + "n", "m", 0, 1, ""));
        a.failLog(longest, "m", 0, 1, 0);
        a.failRemove(longest, 0);
        // No flags are defined for action-fail items.
        for (int flag : new int[] {HREARMAFTERRESTART, HACTIONKEEPONFAIL, HACTIONBREAKONFAIL, 0x2}) {
            fails(Errno.EINVAL, bean, () -> a.failExecute("f", "/bin/true", flag));
            fails(Errno.EINVAL, bean, () -> a.failWaitfor("f", null, 100, flag));
            fails(Errno.EINVAL, bean, () -> a.failNotifyPulse("f", null, 1, 1, 1, 1, flag));
            fails(Errno.EINVAL, bean, () -> a.failNotifySignal("f", null, 1, 10, 1, 1, flag));
            fails(Errno.EINVAL, bean, () -> a.failLog("f", "m", 0, 1, flag));
            fails(Errno.EINVAL, bean, () -> a.failRemove("dup", flag));
        }
        fails(Errno.EINVAL, bean, () -> a.failWaitfor("f", null, 0, 0));
        fails(Errno.EINVAL, bean, () -> a.failWaitfor("f", "relative/path", 100, 0));
        fails(Errno.EINVAL, bean, () -> a.failExecute("f", "relative/program", 0));
        // No waitfor in an HCONDNOWAIT condition, in its fail lists either.
        ActionHandle quick = e.condition(CONDDEATH, "quick", HCONDNOWAIT).actionExecute("q", MISSING, 0);
        ActionMXBean quickBean = t.action("fail-check", "quick", "q");
        fails(Errno.EINVAL, quickBean, () -> quick.failWaitfor("w", null, 100, 0));
        fails(Errno.EINVAL, quickBean, () -> quick.failWaitfor("w", dir.resolve("x").toString(), 100, 0));
        quick.failLog("l", "m", 0, 1, 0);
        assertEquals(1, quickBean.getFailActions().length);
        assertArrayEquals(new String[] {"dup : LOG m (run 0, failed 0)"}, bean.getFailActions());
    }

    @Test
    void failActionsAttributeAndInfoShowTheItemsWithTheirCounts() throws Exception {
        long self = ProcessHandle.current().pid();
        String never = dir.resolve("never").toString();
        EntityHandle e = t.sleeper("fail-info", 0);
        ConditionHandle raised = e.conditionRaise("raised", 0, 0, 0, 0);
        ActionHandle a = raised.actionExecute("broken", MISSING, HACTIONKEEPONFAIL);
        a.failExecute("exec", MISSING + " --flag", 0);
        a.failWaitfor("wait", never, 150, 0);
        a.failWaitfor("pause", null, 100, 0);
        a.failNotifyPulse("pulse", null, self, 999_999, 3, 4, 0);
        a.failNotifySignal("signal", null, self, 28, 5, 6, 0);
        a.failLog("log", "fail list done", 1, 1, 0);

        List<String> expected = List.of(
                "exec : EXECUTE " + MISSING + " --flag",
                "wait : WAITFOR " + never + " (up to 200 ms)",
                "pause : WAITFOR 100 ms",
                "pulse : NOTIFY_PULSE node local pid " + self + " chid 999999 code 3 value 4",
                "signal : NOTIFY_SIGNAL node local pid " + self + " signal 28 code 5 value 6",
                "log : LOG fail list done");
        ActionMXBean bean = t.action("fail-info", "raised", "broken");
        assertEquals(expected.stream().map(s -> s + " (run 0, failed 0)").toList(), List.of(bean.getFailActions()));
        String info = a.info();
        assertTrue(info.contains("Num Fail Actions : 6\n"), info);
        int at = -1;
        for (String item : expected) {
            int i = info.indexOf("Fail Action : " + item + " (run 0, failed 0)\n");
            assertTrue(i > at, "'" + item + "' in order in\n" + info);
            at = i;
        }

        // SIGWINCH (28) to this JVM is ignored by default: that item succeeds.
        e.raise(1, 1, 1, 0);
        activity.await("fail-info/raised/broken/log: fail list done");
        // A failed item is logged and counted, and the list goes on.
        assertInOrder("action-fail item failed: fail-info/raised/broken/exec: ENOENT",
                "action-fail item failed: fail-info/raised/broken/wait: '" + never + "' did not appear within 200 ms",
                "action-fail item failed: fail-info/raised/broken/pulse: ENOENT",
                "fail-info/raised/broken/log: fail list done");
        assertEquals(List.of(
                        "exec : EXECUTE " + MISSING + " --flag (run 1, failed 1)",
                        "wait : WAITFOR " + never + " (up to 200 ms) (run 1, failed 1)",
                        "pause : WAITFOR 100 ms (run 1, failed 0)",
                        "pulse : NOTIFY_PULSE node local pid " + self + " chid 999999 code 3 value 4 (run 1, failed 1)",
                        "signal : NOTIFY_SIGNAL node local pid " + self + " signal 28 code 5 value 6 (run 1, failed 0)",
                        "log : LOG fail list done (run 1, failed 0)"),
                List.of(bean.getFailActions()));
        // Items failing never count as the action failing again.
        assertEquals(1, bean.getFailCount());
        assertTrue(a.info().contains("Fail Action : log : LOG fail list done (run 1, failed 0)\n"), a.info());
    }
}
