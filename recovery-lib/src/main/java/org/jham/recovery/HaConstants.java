package org.jham.recovery;

/**
 * The constants of the guide's client recovery library, with the values of QNX 6.6's
 * {@code <ha/types.h>} (kept for porting fidelity; the guide itself gives names only).
 */
public final class HaConstants {
    private HaConstants() {
    }

    /** {@code ha_attach} flag: replace the recovery function of a connection that already has one. */
    public static final int HAREPLACERECOVERYFN = 0x0001;

    /** {@code ha_connection_ctrl}: the most recoveries in total; negative = no limit (the default). */
    public static final int HA_RECOVERY_ACOUNT = 0x0001;
    /** {@code ha_connection_ctrl}: the most recoveries for one failure; negative = no limit (the default). */
    public static final int HA_RECOVERY_ICOUNT = 0x0002;
    /** {@code ha_connection_ctrl}: suspend recovery; the connection behaves like a plain one. */
    public static final int HA_RECOVERY_SUSPEND = 0x0003;
    /** {@code ha_connection_ctrl}: enable recovery again; limits and counts are unaffected. */
    public static final int HA_RECOVERY_ENABLE = 0x0004;
    /** {@code ha_connection_ctrl}: set the count that {@link #HA_RECOVERY_ICOUNT} limits to zero. */
    public static final int HA_RECOVERY_RESET_ICOUNT = 0x0005;
    /** {@code ha_connection_ctrl}: set the count that {@link #HA_RECOVERY_ACOUNT} limits to zero. */
    public static final int HA_RECOVERY_RESET_ACOUNT = 0x0006;

    /** The name of a {@code ha_connection_ctrl} command, or {@code null} for an unknown one. */
    public static String commandName(int command) {
        switch (command) {
            case HA_RECOVERY_ACOUNT:
                return "HA_RECOVERY_ACOUNT";
            case HA_RECOVERY_ICOUNT:
                return "HA_RECOVERY_ICOUNT";
            case HA_RECOVERY_SUSPEND:
                return "HA_RECOVERY_SUSPEND";
            case HA_RECOVERY_ENABLE:
                return "HA_RECOVERY_ENABLE";
            case HA_RECOVERY_RESET_ICOUNT:
                return "HA_RECOVERY_RESET_ICOUNT";
            case HA_RECOVERY_RESET_ACOUNT:
                return "HA_RECOVERY_RESET_ACOUNT";
            default:
                return null;
        }
    }
}
