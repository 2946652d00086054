package org.jham.agent.it;

import static org.jham.HamConstants.CONDRAISECLASSANY;
import static org.jham.HamConstants.HACTIONKEEPONFAIL;
import static org.jham.HamConstants.HADDFLAGS;
import static org.jham.HamConstants.HCONDKEEPONEMPTY;
import static org.jham.HamConstants.HCONDNOWAIT;
import static org.jham.HamConstants.HDISABLE;
import static org.jham.HamConstants.HENABLE;
import static org.jham.HamConstants.HENTITYKEEPONDEATH;
import static org.jham.HamConstants.HGETFLAGS;
import static org.jham.HamConstants.HRECURSE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import javax.management.Notification;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.jham.ActionHandle;
import org.jham.Channel;
import org.jham.ConditionHandle;
import org.jham.EntityHandle;
import org.jham.Errno;
import org.jham.Ham;
import org.jham.HamException;
import org.jham.Pulse;
import org.jham.agent.testing.Await;
import org.jham.agent.testing.Child;
import org.jham.agent.testing.Jmxterm;
import org.jham.agent.testing.TestHam;
import org.jham.mbean.ActionMXBean;
import org.jham.mbean.ConditionMXBean;
import org.jham.mbean.EntityMXBean;
import org.jham.mbean.ObjectNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The same operations three ways on one HAM — the Java client library, jmxterm running the MBean
 * operations, and {@code bin/hamctrl} — each on an entity of its own: the three entities must end
 * up alike (every {@code .info} text and attribute), react alike when they publish, and the three
 * ways must refuse bad calls with the same errno and message.
 */
class ThreeWaysIT {
    private static final String JAVA = "viaJava";
    private static final String JMX = "viaJmx";
    private static final String CTL = "viaCtl";
    private static final List<String> WAYS = List.of(JAVA, JMX, CTL);
    private static final int SIGURG = 23;
    private static final int SIGWINCH = 28;

    private TestHam t;
    /** The signal target: a sleep, which ignores SIGWINCH and SIGURG. */
    private long sleeper;
    /** Where the notify-pulse actions deliver: a channel of this JVM. */
    private Channel channel;
    /** A file that exists: the path of a waitfor, which therefore ends at once. */
    private Path marker;
    private final List<CompositeData> signals = new CopyOnWriteArrayList<>();
    private final NotificationListener signalListener = (Notification n, Object h) -> {
        if (ObjectNames.NOTIF_SIGNAL.equals(n.getType())) {
            signals.add((CompositeData) n.getUserData());
        }
    };

    @BeforeEach
    void start() throws Exception {
        t = new TestHam();
        sleeper = t.track(new ProcessBuilder("/bin/sleep", "1000").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start().pid());
        channel = t.connection.channel();
        marker = Files.createFile(t.stateDir.resolve("ready"));
        t.connection.mbeanServer().addNotificationListener(ObjectNames.HAM, signalListener, null, null);
    }

    @AfterEach
    void stop() {
        try {
            channel.close();
        } finally {
            t.close();
        }
    }

    // ------------------------------------------------------------------ the three ways

    /** Returns what HGETFLAGS gave for the entity, the condition alarm and the action alarm/p. */
    private List<String> byJava() {
        EntityHandle e = Ham.entity(JAVA, t.node, 0);
        ConditionHandle st = e.conditionState("st", 1, 2, 0);
        ConditionHandle alarm = e.conditionRaise("alarm", 5, CONDRAISECLASSANY, 7, HCONDKEEPONEMPTY);
        alarm.actionWaitfor("w", null, 100, 0);
        alarm.actionWaitfor("wp", marker.toString(), 5000, 0);
        ActionHandle p = alarm.actionNotifyPulse("p", null, channel.pid(), channel.chid(), 11, 12, 0);
        alarm.actionNotifySignal("s", t.node, sleeper, SIGWINCH, 13, 14, 0);
        alarm.actionHeartbeatHealthy("h", 0);
        ActionHandle mute = alarm.actionLog("mute", "never", 0, 1, 0);
        st.actionLog("note", "state changed", 1, 1, 0);
        p.failExecute("fx", "/bin/true", 0);
        p.failLog("fl", "pulse failed", 0, 1, 0);
        p.failNotifySignal("fs", null, sleeper, SIGURG, 1, 2, 0);
        p.failWaitfor("fw", null, 200, 0);
        p.failNotifyPulse("fp", null, channel.pid(), channel.chid(), 3, 4, 0);
        p.failRemove("fx", 0);
        p.control(HADDFLAGS, HACTIONKEEPONFAIL);
        e.control(HADDFLAGS, HENTITYKEEPONDEATH);
        mute.control(HDISABLE, 0);
        st.control(HDISABLE, HRECURSE);
        st.control(HENABLE, 0);
        List<String> flags = List.of(Integer.toString(e.control(HGETFLAGS, 0)),
                Integer.toString(alarm.control(HGETFLAGS, 0)), Integer.toString(p.control(HGETFLAGS, 0)));
        e.reportState(1, 0);
        e.reportState(2, 0);
        e.raise(5, 6, 7, 0);
        return flags;
    }

    private List<String> byJmxterm() {
        String ent = "bean jham:type=Entity,entity=" + JMX;
        String alarm = "bean jham:type=Condition,entity=" + JMX + ",condition=alarm";
        String st = "bean jham:type=Condition,entity=" + JMX + ",condition=st";
        String p = "bean jham:type=Action,entity=" + JMX + ",condition=alarm,action=p";
        List<Jmxterm.Outcome> r = Jmxterm.run(t.node, List.of(
                "bean jham:type=Ham",
                "run entity " + JMX + " 0",
                ent,
                "run conditionState st 1 2 0",
                "run conditionRaise alarm 5 0 7 HCONDKEEPONEMPTY",
                alarm,
                "run actionWaitfor w null 100 0",
                "run actionWaitfor wp " + Jmxterm.arg(marker.toString()) + " 5000 0",
                "run actionNotifyPulse p null " + channel.pid() + " " + channel.chid() + " 11 12 0",
                "run actionNotifySignal s " + t.node + " " + sleeper + " SIGWINCH 13 14 0",
                "run actionHeartbeatHealthy h 0",
                "run actionLog mute never 0 1 0",
                st,
                "run actionLog note " + Jmxterm.arg("state changed") + " 1 1 0",
                p,
                "run failExecute fx /bin/true 0",
                "run failLog fl " + Jmxterm.arg("pulse failed") + " 0 1 0",
                "run failNotifySignal fs null " + sleeper + " SIGURG 1 2 0",
                "run failWaitfor fw null 200 0",
                "run failNotifyPulse fp null " + channel.pid() + " " + channel.chid() + " 3 4 0",
                "run failRemove fx 0",
                "run control HADDFLAGS HACTIONKEEPONFAIL",
                ent,
                "run control 3 2", // HADDFLAGS HENTITYKEEPONDEATH as numbers
                "bean jham:type=Action,entity=" + JMX + ",condition=alarm,action=mute",
                "run control HDISABLE 0",
                st,
                "run control HDISABLE HRECURSE",
                "run control HENABLE 0",
                ent,
                "run control HGETFLAGS 0",
                alarm,
                "run control HGETFLAGS 0",
                p,
                "run control HGETFLAGS 0",
                ent,
                "run reportState 1 0",
                "run reportState 2 0",
                "run raise 5 6 7 0"));
        assertEquals(27, r.size(), "one outcome per run: " + r);
        for (Jmxterm.Outcome o : r) {
            assertTrue(o.ok(), o.toString());
        }
        return List.of(r.get(21).returned(), r.get(22).returned(), r.get(23).returned());
    }

    private List<String> byHamctrl() {
        String pid = Long.toString(sleeper);
        String ch = Long.toString(channel.pid());
        String chid = Integer.toString(channel.chid());
        List<List<String>> calls = List.of(
                List.of("entity", CTL),
                List.of("condition-state", CTL, "st", "1", "2"),
                List.of("condition-raise", CTL, "alarm", "5", "ANY", "7", "HCONDKEEPONEMPTY"),
                List.of("waitfor", CTL + "/alarm", "w", "100"),
                List.of("waitfor", CTL + "/alarm", "wp", "5000", marker.toString()),
                List.of("pulse", CTL + "/alarm", "p", ch, chid, "11", "12"),
                List.of("signal", CTL + "/alarm", "s", pid, "WINCH", "13", "14", "-to", t.node),
                List.of("healthy", CTL + "/alarm", "h"),
                List.of("logaction", CTL + "/alarm", "mute", "never", "1", "0"),
                List.of("logaction", CTL + "/st", "note", "state changed", "1", "1"),
                List.of("fail", CTL + "/alarm/p", "execute", "fx", "/bin/true"),
                List.of("fail", CTL + "/alarm/p", "log", "fl", "pulse failed"),
                List.of("fail", CTL + "/alarm/p", "signal", "fs", pid, "SIGURG", "1", "2"),
                List.of("fail", CTL + "/alarm/p", "waitfor", "fw", "200"),
                List.of("fail", CTL + "/alarm/p", "pulse", "fp", ch, chid, "3", "4"),
                List.of("fail-rm", CTL + "/alarm/p", "fx"),
                List.of("flags", CTL + "/alarm/p", "add", "HACTIONKEEPONFAIL"),
                List.of("flags", CTL, "add", "HENTITYKEEPONDEATH"),
                List.of("disable", CTL + "/alarm/mute"),
                List.of("disable", CTL + "/st", "-r"),
                List.of("enable", CTL + "/st"));
        for (List<String> c : calls) {
            Child.Result r = hamctrl(c);
            assertEquals(0, r.status(), c + ": " + r.out());
            assertEquals("", r.out(), c + " prints nothing");
        }
        List<String> flags = List.of(ok("control", CTL, "HGETFLAGS"), ok("control", CTL + "/alarm", "HGETFLAGS"),
                ok("control", CTL + "/alarm/p", "HGETFLAGS"));
        // flags PATH prints what HGETFLAGS returns, by name.
        assertEquals("HENTITYKEEPONDEATH", ok("flags", CTL));
        assertEquals("HCONDKEEPONEMPTY", ok("flags", CTL + "/alarm"));
        assertEquals("HACTIONKEEPONFAIL", ok("flags", CTL + "/alarm/p"));
        ok("state", CTL, "1");
        ok("state", CTL, "2");
        ok("raise", CTL, "5", "6", "7");
        return flags;
    }

    private Child.Result hamctrl(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Child.TOP.resolve("bin/hamctrl").toString(), "-node", t.node));
        cmd.addAll(args);
        return Child.run(cmd);
    }

    /** Runs hamctrl, asserts it succeeded, returns its output trimmed. */
    private String ok(String... args) {
        Child.Result r = hamctrl(List.of(args));
        assertEquals(0, r.status(), Arrays.toString(args) + ": " + r.out());
        return r.out().trim();
    }

    // ------------------------------------------------------------------ what the HAM holds

    private EntityMXBean entity(String e) {
        return t.connection.proxy(EntityMXBean.class, ObjectNames.entity(e));
    }

    private ConditionMXBean condition(String e, String c) {
        return t.connection.proxy(ConditionMXBean.class, ObjectNames.condition(e, c));
    }

    private ActionMXBean action(String e, String c, String a) {
        return t.connection.proxy(ActionMXBean.class, ObjectNames.action(e, c, a));
    }

    /**
     * Every .info text and attribute of the entity's subtree, with the entity's name replaced by E
     * and creation stamps blanked: the only things that may differ between the three entities.
     */
    private String subtree(String e) {
        StringBuilder b = new StringBuilder();
        EntityMXBean en = entity(e);
        b.append("== ").append(e).append('\n').append(en.getInfo())
                .append(attrs("state", en.getState(), "flags", en.getFlags(), "enabled", en.isEnabled(),
                        "type", en.getEntityType(), "conditions", List.of(en.getConditionNames())));
        for (String c : en.getConditionNames()) {
            ConditionMXBean cn = condition(e, c);
            b.append("== ").append(e).append('/').append(c).append('\n').append(cn.getInfo())
                    .append(attrs("type", cn.getConditionType(), "flags", cn.getFlags(), "enabled", cn.isEnabled(),
                            "filter", cn.getFilter(), "triggered", cn.getTriggerCount(),
                            "actions", List.of(cn.getActionNames())));
            for (String a : cn.getActionNames()) {
                ActionMXBean an = action(e, c, a);
                b.append("== ").append(e).append('/').append(c).append('/').append(a).append('\n')
                        .append(an.getInfo())
                        .append(attrs("type", an.getActionType(), "detail", an.getDetail(), "flags", an.getFlags(),
                                "enabled", an.isEnabled(), "run", an.getRunCount(), "failed", an.getFailCount(),
                                "fail actions", List.of(an.getFailActions())));
            }
        }
        return normalize(b.toString(), e).replaceAll("(?m)^Created : .*$", "Created : <stamp>");
    }

    private static String attrs(Object... kv) {
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return "attributes " + m + "\n";
    }

    private static String normalize(String text, String ename) {
        return text.replaceAll("\\b" + Pattern.quote(ename) + "\\b", "E");
    }

    private boolean listDone(String e) {
        return action(e, "alarm", "h").getRunCount() == 1 && condition(e, "st").getTriggerCount() == 1;
    }

    // ------------------------------------------------------------------ the tests

    @Test
    void theThreeWaysBuildTheSameTreeAndItReactsTheSame() throws Exception {
        List<String> javaFlags = byJava();
        List<String> jmxFlags = byJmxterm();
        List<String> ctlFlags = byHamctrl();
        // HGETFLAGS: entity HENTITYKEEPONDEATH, condition HCONDKEEPONEMPTY, action HACTIONKEEPONFAIL.
        List<String> expected = List.of("2", "16", "8");
        assertEquals(expected, javaFlags);
        assertEquals(expected, jmxFlags);
        assertEquals(expected, ctlFlags);

        // Each entity's raise ran alarm's list once: both waitfors, the pulse, the signal, healthy.
        Set<String> pulseSources = new TreeSet<>();
        while (pulseSources.size() < 3) {
            Pulse p = channel.receive(Await.DEFAULT);
            assertTrue(p != null, "three pulses; got them from " + pulseSources);
            assertEquals(11, p.code());
            assertEquals(12, p.value());
            pulseSources.add(p.source());
        }
        assertEquals(new TreeSet<>(List.of(JAVA + "/alarm/p", JMX + "/alarm/p", CTL + "/alarm/p")), pulseSources);
        Await.until("three jham.signal notifications", () -> signals.size() >= 3);
        Set<String> signalSources = new TreeSet<>();
        for (CompositeData d : signals) {
            assertEquals(sleeper, d.get("pid"));
            assertEquals(SIGWINCH, d.get("signal"));
            assertEquals(13, d.get("code"));
            assertEquals(14, d.get("value"));
            signalSources.add((String) d.get("source"));
        }
        assertEquals(new TreeSet<>(List.of(JAVA + "/alarm/s", JMX + "/alarm/s", CTL + "/alarm/s")), signalSources);
        assertTrue(ProcessHandle.of(sleeper).map(ProcessHandle::isAlive).orElse(false), "SIGWINCH is ignored by sleep");
        for (String e : WAYS) {
            Await.until(e + "'s lists to finish", () -> listDone(e));
        }

        String java = subtree(JAVA);
        assertEquals(java, subtree(JMX), "jmxterm built what Java built");
        assertEquals(java, subtree(CTL), "hamctrl built what Java built");

        // ... and what they built is what was asked for, not three equal mistakes.
        String tree = java;
        for (String line : List.of(
                "Entity flags : HENTITYKEEPONDEATH", "Entity State : 2", "Entity type : PLACEHOLDER",
                "State Filter : from 1 to 2", "Raise Filter : type 5 class ANY severity 7",
                "Condition flags : HCONDKEEPONEMPTY",
                "Waitfor : 100 ms", "Waitfor : " + marker + " (up to 5000 ms)",
                "Notify Pulse : node local pid " + channel.pid() + " chid " + channel.chid() + " code 11 value 12",
                "Notify Signal : node " + t.node + " pid " + sleeper + " signal 28 code 13 value 14",
                "Action type : HEARTBEAT_HEALTHY", "Action flags : HACTIONKEEPONFAIL",
                "Num Fail Actions : 4",
                "Fail Action : fl : LOG pulse failed (run 0, failed 0)",
                "Fail Action : fs : NOTIFY_SIGNAL node local pid " + sleeper + " signal 23 code 1 value 2 (run 0, failed 0)",
                "Fail Action : fw : WAITFOR 200 ms (run 0, failed 0)",
                "Fail Action : fp : NOTIFY_PULSE node local pid " + channel.pid() + " chid " + channel.chid()
                        + " code 3 value 4 (run 0, failed 0)")) {
            assertTrue(tree.contains(line + "\n"), "missing '" + line + "' in\n" + tree);
        }
        assertFalse(tree.contains("fx"), "the removed fail item is gone:\n" + tree);
        // The waitfors, pulse, signal and healthy ran once; the disabled log did not; the state
        // condition fired (it was re-enabled) but its action stayed disabled (HRECURSE).
        for (String a : List.of("w", "wp", "p", "s", "h")) {
            assertEquals(1, action(JAVA, "alarm", a).getRunCount(), a);
        }
        assertEquals(0, action(JAVA, "alarm", "mute").getRunCount());
        assertEquals(1, condition(JAVA, "st").getTriggerCount());
        assertFalse(action(JAVA, "st", "note").isEnabled());
        assertEquals(0, action(JAVA, "st", "note").getRunCount());
        // hamctrl cat of an action shows its action-fail list.
        String cat = ok("cat", CTL + "/alarm/p");
        assertTrue(cat.contains("Num Fail Actions : 4\nFail Action : fl : LOG pulse failed"), cat);

        // The same refusals three ways, and none of them changes anything.
        refusals();
        assertEquals(java, subtree(JAVA), "refused calls changed nothing");
        assertEquals(java, subtree(JMX), "refused calls changed nothing");
        assertEquals(java, subtree(CTL), "refused calls changed nothing");
    }

    /**
     * One refusal: its errno and how the message starts (entity name written E); the three ways
     * must give the very same message.
     */
    private record Refusal(Errno errno, String message, Executable java, List<String> jmxterm, List<String> hamctrl) {
    }

    private void refusals() {
        List<Refusal> refusals = List.of(
                new Refusal(Errno.EINVAL, "EINVAL: waitfor delay must be > 0 ms, was 0",
                        () -> handle(JAVA).actionWaitfor("w0", null, 0, 0),
                        List.of(alarmBean(JMX), "run actionWaitfor w0 null 0 0"),
                        List.of("waitfor", CTL + "/alarm", "w0", "0")),
                new Refusal(Errno.EINVAL, "EINVAL: control command 99 is not one of HENABLE..HGETFLAGS",
                        () -> Ham.entityHandle(t.node, JAVA, 0).control(99, 0),
                        List.of("bean jham:type=Entity,entity=" + JMX, "run control 99 0"),
                        List.of("control", CTL, "99")),
                new Refusal(Errno.EINVAL, "EINVAL: flags 0x4 are not valid for HENABLE/HDISABLE (only HRECURSE is)",
                        () -> handle(JAVA).control(HDISABLE, HCONDNOWAIT),
                        List.of(alarmBean(JMX), "run control HDISABLE HCONDNOWAIT"),
                        List.of("control", CTL + "/alarm", "HDISABLE", "HCONDNOWAIT")),
                new Refusal(Errno.ENOENT, "ENOENT: no action-fail item 'nope' in E/alarm/p",
                        () -> Ham.actionHandle(t.node, JAVA, "alarm", "p", 0).failRemove("nope", 0),
                        List.of("bean jham:type=Action,entity=" + JMX + ",condition=alarm,action=p", "run failRemove nope 0"),
                        List.of("fail-rm", CTL + "/alarm/p", "nope")),
                new Refusal(Errno.EEXIST, "EEXIST: action 'h' already exists in E/alarm",
                        () -> handle(JAVA).actionHeartbeatHealthy("h", 0),
                        List.of(alarmBean(JMX), "run actionHeartbeatHealthy h 0"),
                        List.of("healthy", CTL + "/alarm", "h")),
                new Refusal(Errno.EINVAL, "EINVAL: no action plugin of type 'NOPE'",
                        () -> handle(JAVA).actionCustom("c", "NOPE", "x", 0),
                        List.of(alarmBean(JMX), "run actionCustom c NOPE x 0"),
                        List.of("custom", CTL + "/alarm", "c", "NOPE", "x")),
                new Refusal(Errno.EINVAL,
                        "EINVAL: '99' is not a signal (a number 1..64, a name such as SIGUSR1, SIGRTMIN+n or SIGRTMAX-n)",
                        () -> handle(JAVA).actionNotifySignal("s9", null, sleeper, 99, 0, 0, 0),
                        List.of(alarmBean(JMX), "run actionNotifySignal s9 null " + sleeper + " 99 0 0 0"),
                        List.of("signal", CTL + "/alarm", "s9", Long.toString(sleeper), "99", "0", "0")),
                new Refusal(Errno.EINVAL, "EINVAL: the global entity publishes nothing: name a real entity",
                        () -> Ham.entityHandle(t.node, null, 0).reportState(1, 0),
                        List.of("bean jham:type=Entity,entity=/", "run reportState 1 0"),
                        List.of("state", "/", "1")));

        List<String> script = new ArrayList<>();
        refusals.forEach(r -> script.addAll(r.jmxterm()));
        List<Jmxterm.Outcome> jmx = Jmxterm.run(t.node, script);
        assertEquals(refusals.size(), jmx.size(), "one outcome per run: " + jmx);
        for (int i = 0; i < refusals.size(); i++) {
            Refusal r = refusals.get(i);
            HamException ex = assertThrows(HamException.class, r.java());
            assertEquals(r.errno(), ex.errno(), ex.getMessage());
            String message = normalize(ex.getMessage(), JAVA);
            assertTrue(message.startsWith(r.message()), message);

            Jmxterm.Outcome o = jmx.get(i);
            assertEquals(r.errno(), o.errno(), o.toString());
            assertEquals(message, normalize(o.message(), JMX), "jmxterm");

            Child.Result c = hamctrl(r.hamctrl());
            assertEquals(1, c.status(), r.hamctrl() + ": " + c.out());
            assertEquals("hamctrl: " + message, normalize(c.out().trim(), CTL), "hamctrl");
        }

        // Bad usage is hamctrl's own: exit status 2 (and the tree is checked unchanged after this).
        assertEquals(2, hamctrl(List.of("waitfor", CTL + "/alarm", "w1", "soon")).status());
        assertEquals(2, hamctrl(List.of("fail", CTL + "/alarm/p", "restart", "fr", "/bin/true")).status());
        assertEquals(2, hamctrl(List.of("enable", CTL, "-x")).status());
    }

    private ConditionHandle handle(String e) {
        return Ham.conditionHandle(t.node, e, "alarm", 0);
    }

    private static String alarmBean(String e) {
        return "bean jham:type=Condition,entity=" + e + ",condition=alarm";
    }
}
