package org.jham;

/**
 * The constants of the guide's {@code <ha/ham.h>}, with the numeric values of QNX 6.6 kept for
 * porting fidelity. Flag values overlap across kinds (0x2 is HCONDINDEPENDENT for a condition,
 * HACTIONDONOW for an action, HENTITYKEEPONDEATH for an entity): a flag word is always read in the
 * context of its object. {@link Flags} turns symbolic strings into these values.
 */
public final class HamConstants {
    private HamConstants() {
    }

    // condition types
    public static final int CONDANY = 0;
    public static final int CONDDEATH = 1;
    public static final int CONDDETACH = 2;
    public static final int CONDRESTART = 3;
    public static final int CONDHBEATMISSEDLOW = 4;
    public static final int CONDHBEATMISSEDHIGH = 5;
    public static final int CONDABNORMALDEATH = 6;
    public static final int CONDATTACH = 7;
    public static final int CONDSTATE = 8;
    public static final int CONDRAISE = 9;

    // wildcards for state and raise subscriptions
    public static final int CONDSTATEANY = 0;
    public static final int CONDRAISETYPEANY = 0;
    public static final int CONDRAISECLASSANY = 0;
    public static final int CONDRAISESEVERITYANY = 0;

    // general flag (conditions and actions)
    public static final int HREARMAFTERRESTART = 0x1;

    // condition flags
    public static final int HCONDINDEPENDENT = 0x2;
    public static final int HCONDNOWAIT = 0x4;
    public static final int HCONDOTHER = 0x8;
    /** Keep the condition when its last action goes. */
    public static final int HCONDKEEPONEMPTY = 0x10;

    // state-condition flags
    public static final int HCONDSTATEFROMSET = 0x1000;
    public static final int HCONDSTATETOSET = 0x2000;
    public static final int HCONDSTATEFROMINV = 0x4000;
    public static final int HCONDSTATETOINV = 0x8000;

    // action flags
    public static final int HACTIONDONOW = 0x2;
    public static final int HACTIONBREAKONFAIL = 0x4;
    public static final int HACTIONKEEPONFAIL = 0x8;

    // entity flags
    public static final int HENTITYKEEPONDEATH = 0x2;

    // common flag for control
    public static final int HRECURSE = 0x100000;

    // control commands
    public static final int HENABLE = 1;
    public static final int HDISABLE = 2;
    public static final int HADDFLAGS = 3;
    public static final int HREMOVEFLAGS = 4;
    public static final int HSETFLAGS = 5;
    public static final int HGETFLAGS = 6;

    // verbosity operations
    public static final int VERBOSE_SET_INCR = 1;
    public static final int VERBOSE_SET_DECR = 2;
    public static final int VERBOSE_SET = 3;
    public static final int VERBOSE_GET = 4;

    /**
     * Lowest heartbeat period in nanoseconds. QNX 6.6 uses 1 s, yet the guide's own starvation
     * example beats every 100 ms; jHAM allows 10 ms.
     */
    public static final long HAMHBEATMIN = 10_000_000L;

    /** The {@code _POSIX_PATH_MAX} analogue: the longest combined entity/condition/action path. */
    public static final int HAM_PATH_MAX = 255;

    /** The pid argument of attach meaning "not running: start it from the command line". */
    public static final int PID_START = -1;
}
