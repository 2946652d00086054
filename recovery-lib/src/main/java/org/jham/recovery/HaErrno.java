package org.jham.recovery;

/**
 * The errno values the {@code ha_*} control calls ({@code attach}, {@code detach},
 * {@code connectionCtrl}, {@code dup}) report, as the guide's chapter 7 lists them. I/O
 * operations keep their {@link java.io.IOException} types instead.
 */
public enum HaErrno {
    /**
     * No such open connection, or it is not HA-aware (detach, control, dup, or attach with
     * {@link HaConstants#HAREPLACERECOVERYFN} and no function to replace).
     */
    EBADF,
    /** The connection is HA-aware already and {@link HaConstants#HAREPLACERECOVERYFN} is not set. */
    EEXIST,
    /** An invalid command, flag, mode or argument (e.g. a {@code null} recovery function). */
    EINVAL
}
