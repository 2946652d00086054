package org.jham;

import java.util.Locale;

/** The condition types of the guide, with their {@code <ha/ham.h>} codes. */
public enum ConditionType {
    CONDANY(HamConstants.CONDANY),
    CONDDEATH(HamConstants.CONDDEATH),
    CONDDETACH(HamConstants.CONDDETACH),
    CONDRESTART(HamConstants.CONDRESTART),
    CONDHBEATMISSEDLOW(HamConstants.CONDHBEATMISSEDLOW),
    CONDHBEATMISSEDHIGH(HamConstants.CONDHBEATMISSEDHIGH),
    CONDABNORMALDEATH(HamConstants.CONDABNORMALDEATH),
    CONDATTACH(HamConstants.CONDATTACH),
    CONDSTATE(HamConstants.CONDSTATE),
    CONDRAISE(HamConstants.CONDRAISE);

    private final int code;

    ConditionType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Death conditions are the only ones that may hold a restart action. */
    public boolean isDeath() {
        return this == CONDDEATH || this == CONDABNORMALDEATH;
    }

    /** Whether a condition of this type fires for an event of type {@code event}. */
    public boolean matches(ConditionType event) {
        return this == CONDANY || this == event;
    }

    public static ConditionType ofCode(int code) {
        for (ConditionType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new HamException(Errno.EINVAL, "condition type " + code + " is not one of 0..9");
    }

    /**
     * Parses a type given as a name ({@code "CONDDEATH"}, case-insensitive, the {@code COND} prefix
     * optional) or as a number.
     */
    public static ConditionType parse(String text) {
        if (text == null || text.isBlank()) {
            throw new HamException(Errno.EINVAL, "condition type is empty");
        }
        String t = text.trim();
        if (Character.isDigit(t.charAt(0)) || t.startsWith("-")) {
            try {
                return ofCode(Integer.decode(t));
            } catch (NumberFormatException e) {
                throw new HamException(Errno.EINVAL, "condition type '" + text + "' is not a number or name");
            }
        }
        String u = t.toUpperCase(Locale.ROOT);
        for (ConditionType c : values()) {
            if (c.name().equals(u) || c.name().equals("COND" + u)) {
                return c;
            }
        }
        throw new HamException(Errno.EINVAL, "condition type '" + text + "' is unknown");
    }
}
