package org.jham.agent.engine;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.jham.Flags;
import org.jham.HamConstants;

/**
 * Renders the {@code .info} text of each level with the field names of the guide's
 * {@code /proc/ham} example; {@code hamctrl cat} prints exactly this. Thread-safe (stateless).
 */
public final class InfoText {
    private InfoText() {
    }

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss:")
            .withZone(ZoneId.systemDefault());

    /** The guide's stamp form, e.g. {@code 2001/08/30 23:04:49:930148650}. */
    public static String stamp(Instant t) {
        return t == null ? "" : STAMP.format(t) + String.format("%09d", t.getNano());
    }

    public static String ham(Views.HamView h) {
        return line("Ham Pid", h.hamPid())
                + line("Guardian Pid", h.guardianPid())
                + line("Ham Failures", h.hamFailures())
                + line("Guardian Failures", h.guardianFailures())
                + line("Num Entities", h.numEntities())
                + line("Num Conditions", h.numConditions())
                + line("Num Actions", h.numActions());
    }

    public static String entity(Views.EntityView e) {
        StringBuilder b = new StringBuilder()
                .append(line("Path", e.path()))
                .append(line("Entity Pid", e.pid()))
                .append(line("Num conditions", e.conditionNames().size()))
                .append(line("Entity type", e.type()))
                .append(line("Entity flags", Flags.format(Flags.Kind.ENTITY, e.flags())))
                .append(line("Enabled", e.enabled() ? "YES" : "NO"));
        if (!e.startLine().isEmpty()) {
            b.append(line("Start Line", e.startLine()));
        }
        if (e.state() != 0) {
            b.append(line("Entity State", e.state()));
        }
        Views.Heartbeat h = e.heartbeat();
        if (h.periodNanos() > 0) {
            b.append(line("HeartBeat Period", h.periodNanos()))
                    .append(line("HB Low Mark", h.lowMark()))
                    .append(line("HB High Mark", h.highMark()))
                    .append(line("Last Heartbeat", h.lastBeat() == null ? "none" : stamp(h.lastBeat())))
                    .append(line("HeartBeat State", h.state()));
        }
        b.append("Stats:\n").append(line("Created", stamp(e.created())));
        if (e.lastDeath() != null) {
            b.append(line("Last Death", stamp(e.lastDeath())));
            b.append(line("Last Exit", e.lastExit()));
        }
        if (e.restarted() != null) {
            b.append(line("Restarted", stamp(e.restarted())));
        }
        return b.append(line("Num Restarts", e.numRestarts())).toString();
    }

    public static String condition(Views.ConditionView c) {
        String filter = c.filter().isEmpty() ? "" : line(c.type() == org.jham.ConditionType.CONDSTATE
                ? "State Filter" : "Raise Filter", c.filter());
        return line("Path", c.path())
                + line("Entity Pid", c.entityPid())
                + line("Num Actions", c.actionNames().size())
                + line("Condition ReArm", onOff(c.flags()))
                + line("Condition type", c.type().name())
                + line("Condition flags", Flags.format(Flags.Kind.CONDITION, c.flags()))
                + line("Enabled", c.enabled() ? "YES" : "NO")
                + filter
                + line("Times Triggered", c.triggerCount());
    }

    public static String action(Views.ActionView a) {
        return line("Path", a.path())
                + line("Entity Pid", a.entityPid())
                + line("Action ReArm", onOff(a.flags()))
                + line(a.spec().detailLabel(), a.spec().detail())
                + line("Action type", a.spec().typeName())
                + line("Action flags", Flags.format(Flags.Kind.ACTION, a.flags()))
                + line("Enabled", a.enabled() ? "YES" : "NO")
                + line("Times Run", a.runCount())
                + line("Times Failed", a.failCount())
                + failList(a);
    }

    private static String failList(Views.ActionView a) {
        if (a.failActions().isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder(line("Num Fail Actions", a.failActions().size()));
        for (Views.FailView f : a.failActions()) {
            b.append(line("Fail Action", failItem(f)));
        }
        return b.toString();
    }

    /** One action-fail item: {@code name : TYPE detail (run n, failed m)}. */
    public static String failItem(Views.FailView f) {
        return f.name() + " : " + f.spec().typeName() + " " + f.spec().detail() + " (run " + f.runCount() + ", failed "
                + f.failCount() + ")";
    }

    /** The guide's ReArm field: ON when HREARMAFTERRESTART is set. */
    public static String onOff(int flags) {
        return (flags & HamConstants.HREARMAFTERRESTART) != 0 ? "ON" : "OFF";
    }

    private static String line(String field, Object value) {
        return field + " : " + value + "\n";
    }
}
