package org.jham.recovery;

/**
 * The failure of a {@code ha_*} control call, carrying its errno; the message starts with the
 * errno name, like every jHAM error ({@code "EEXIST: connection ... is HA-aware already"}).
 * Unchecked, like errno in C. Thread-safe (immutable).
 */
public class HaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final HaErrno errno;

    public HaException(HaErrno errno, String detail) {
        super(errno.name() + ": " + detail);
        this.errno = errno;
    }

    public HaErrno errno() {
        return errno;
    }

    /** The message without the errno prefix. */
    public String detail() {
        return getMessage().substring(errno.name().length() + 2);
    }
}
