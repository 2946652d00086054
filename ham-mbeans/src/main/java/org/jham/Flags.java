package org.jham;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Parses and formats flag words, control commands and verbosity operations. Every value is
 * accepted as a number ({@code "5"}, {@code "0x5"}) or as symbolic names joined by {@code |}
 * ({@code "HREARMAFTERRESTART|HCONDNOWAIT"}), and a flag word is checked against the flags its
 * kind of object allows. Thread-safe (stateless).
 */
public final class Flags {
    private Flags() {
    }

    /** Which object a flag word belongs to; each kind allows its own set of flags. */
    public enum Kind {
        ENTITY(Map.of("HENTITYKEEPONDEATH", HamConstants.HENTITYKEEPONDEATH)),
        CONDITION(ordered(
                "HREARMAFTERRESTART", HamConstants.HREARMAFTERRESTART,
                "HCONDINDEPENDENT", HamConstants.HCONDINDEPENDENT,
                "HCONDNOWAIT", HamConstants.HCONDNOWAIT,
                "HCONDOTHER", HamConstants.HCONDOTHER,
                "HCONDKEEPONEMPTY", HamConstants.HCONDKEEPONEMPTY,
                "HCONDSTATEFROMSET", HamConstants.HCONDSTATEFROMSET,
                "HCONDSTATETOSET", HamConstants.HCONDSTATETOSET,
                "HCONDSTATEFROMINV", HamConstants.HCONDSTATEFROMINV,
                "HCONDSTATETOINV", HamConstants.HCONDSTATETOINV)),
        ACTION(ordered(
                "HREARMAFTERRESTART", HamConstants.HREARMAFTERRESTART,
                "HACTIONDONOW", HamConstants.HACTIONDONOW,
                "HACTIONBREAKONFAIL", HamConstants.HACTIONBREAKONFAIL,
                "HACTIONKEEPONFAIL", HamConstants.HACTIONKEEPONFAIL)),
        /** Calls for which the guide says "there are no flags defined at this time". */
        NONE(Map.of());

        private final Map<String, Integer> names;
        private final int mask;

        Kind(Map<String, Integer> names) {
            this.names = names;
            this.mask = names.values().stream().reduce(0, (a, b) -> a | b);
        }

        /** Every flag bit this kind allows. */
        public int mask() {
            return mask;
        }

        Map<String, Integer> names() {
            return names;
        }
    }

    private static Map<String, Integer> ordered(Object... kv) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Integer) kv[i + 1]);
        }
        return m;
    }

    private static final Map<String, Integer> COMMANDS = ordered(
            "HENABLE", HamConstants.HENABLE, "HDISABLE", HamConstants.HDISABLE,
            "HADDFLAGS", HamConstants.HADDFLAGS, "HREMOVEFLAGS", HamConstants.HREMOVEFLAGS,
            "HSETFLAGS", HamConstants.HSETFLAGS, "HGETFLAGS", HamConstants.HGETFLAGS);

    private static final Map<String, Integer> VERBOSE_OPS = ordered(
            "VERBOSE_SET_INCR", HamConstants.VERBOSE_SET_INCR, "VERBOSE_SET_DECR", HamConstants.VERBOSE_SET_DECR,
            "VERBOSE_SET", HamConstants.VERBOSE_SET, "VERBOSE_GET", HamConstants.VERBOSE_GET);

    /** Parses a flag word of the given kind; bits the kind does not allow are EINVAL. */
    public static int parse(Kind kind, String text) {
        int value = parseWord(text, kind.names(), "flag");
        check(kind, value);
        return value;
    }

    /** Checks a numeric flag word against its kind. */
    public static int check(Kind kind, int value) {
        int bad = value & ~kind.mask();
        if (bad != 0) {
            throw new HamException(Errno.EINVAL, String.format(
                    "flags 0x%x not valid for %s (allowed: %s)", bad, kind.name().toLowerCase(Locale.ROOT),
                    kind.names().isEmpty() ? "none" : String.join("|", kind.names().keySet())));
        }
        return value;
    }

    /**
     * Parses the flags word of a control call on an object of {@code kind}: its flag names,
     * {@code HRECURSE}, or numbers. Which bits the command allows is checked by the HAM.
     */
    public static int parseControl(Kind kind, String text) {
        Map<String, Integer> names = new LinkedHashMap<>(kind.names());
        names.put("HRECURSE", HamConstants.HRECURSE);
        return parseWord(text, names, "flag");
    }

    /** Parses a control command (HENABLE ... HGETFLAGS). */
    public static int parseCommand(String text) {
        int c = parseWord(text, COMMANDS, "control command");
        if (!COMMANDS.containsValue(c)) {
            throw new HamException(Errno.EINVAL, "control command " + c + " is not one of HENABLE..HGETFLAGS");
        }
        return c;
    }

    /** Parses a verbosity operation (VERBOSE_SET_INCR ... VERBOSE_GET). */
    public static int parseVerboseOp(String text) {
        int op = parseWord(text, VERBOSE_OPS, "verbosity operation");
        if (!VERBOSE_OPS.containsValue(op)) {
            throw new HamException(Errno.EINVAL, "verbosity operation " + op + " is not one of VERBOSE_SET_INCR..VERBOSE_GET");
        }
        return op;
    }

    /** Formats a flag word of the given kind as names joined by {@code |}, or {@code "0"}. */
    public static String format(Kind kind, int value) {
        if (value == 0) {
            return "0";
        }
        StringJoiner j = new StringJoiner("|");
        int rest = value;
        for (Map.Entry<String, Integer> e : kind.names().entrySet()) {
            if ((value & e.getValue()) != 0) {
                j.add(e.getKey());
                rest &= ~e.getValue();
            }
        }
        if (rest != 0) {
            j.add(String.format("0x%x", rest));
        }
        return j.toString();
    }

    private static int parseWord(String text, Map<String, Integer> names, String what) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        int value = 0;
        for (String part : text.split("[|,+\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            Integer named = names.get(part.toUpperCase(Locale.ROOT));
            if (named != null) {
                value |= named;
                continue;
            }
            try {
                value |= Integer.decode(part);
            } catch (NumberFormatException e) {
                throw new HamException(Errno.EINVAL, what + " '" + part + "' is unknown"
                        + (names.isEmpty() ? "" : " (known: " + String.join("|", names.keySet()) + ")"));
            }
        }
        return value;
    }
}
