package org.jham.agent.engine;

import static org.jham.HamConstants.HCONDSTATEFROMINV;
import static org.jham.HamConstants.HCONDSTATEFROMSET;
import static org.jham.HamConstants.HCONDSTATETOINV;
import static org.jham.HamConstants.HCONDSTATETOSET;

import org.jham.HamConstants;

/**
 * The publish/subscribe filters of CONDSTATE and CONDRAISE conditions, as pure functions so that
 * every combination is table-tested.
 *
 * <p>A state is an int the entity reports; the HAM keeps the current one (0 until the first
 * report). A state spec is either one value, {@link HamConstants#CONDSTATEANY} (0) matching every
 * state, or, with HCONDSTATEFROMSET / HCONDSTATETOSET, a bitmap in which bit {@code n} stands for
 * state {@code n} (so sets cover states 0..31; no other state is ever in a set). HCONDSTATEFROMINV
 * / HCONDSTATETOINV negate what the spec matches ("any state other than these").
 *
 * <p>A raise subscription matches a raised (type, class, severity) when each of its three values
 * is the wildcard (0) or equal to the raised one.
 */
public final class Subscriptions {
    private Subscriptions() {
    }

    /** What a CONDSTATE condition subscribes to. Immutable. */
    public record StateFilter(int from, int to, int flags) {
        public boolean matches(int fromState, int toState) {
            return stateMatches(from, (flags & HCONDSTATEFROMSET) != 0, (flags & HCONDSTATEFROMINV) != 0, fromState)
                    && stateMatches(to, (flags & HCONDSTATETOSET) != 0, (flags & HCONDSTATETOINV) != 0, toState);
        }

        /** The {@code .info} form, e.g. {@code from ANY to 3} or {@code from set 0x6 to not set 0x1}. */
        public String describe() {
            return "from " + spec(from, (flags & HCONDSTATEFROMSET) != 0, (flags & HCONDSTATEFROMINV) != 0)
                    + " to " + spec(to, (flags & HCONDSTATETOSET) != 0, (flags & HCONDSTATETOINV) != 0);
        }
    }

    /** What a CONDRAISE condition subscribes to; 0 in a field is its wildcard. Immutable. */
    public record RaiseFilter(int type, int rclass, int severity) {
        public boolean matches(int raisedType, int raisedClass, int raisedSeverity) {
            return field(type, raisedType) && field(rclass, raisedClass) && field(severity, raisedSeverity);
        }

        public String describe() {
            return "type " + any(type) + " class " + any(rclass) + " severity " + any(severity);
        }
    }

    /** Whether {@code state} is matched by {@code spec} read as a value or a set, maybe inverted. */
    public static boolean stateMatches(int spec, boolean set, boolean invert, int state) {
        boolean in;
        if (set) {
            in = state >= 0 && state < Integer.SIZE && (spec & (1 << state)) != 0;
        } else {
            in = spec == HamConstants.CONDSTATEANY || spec == state;
        }
        return invert != in;
    }

    private static boolean field(int wanted, int raised) {
        return wanted == 0 || wanted == raised;
    }

    private static String spec(int v, boolean set, boolean invert) {
        String s = set ? String.format("set 0x%x", v) : v == HamConstants.CONDSTATEANY ? "ANY" : Integer.toString(v);
        return invert ? "not " + s : s;
    }

    private static String any(int v) {
        return v == 0 ? "ANY" : Integer.toString(v);
    }
}
