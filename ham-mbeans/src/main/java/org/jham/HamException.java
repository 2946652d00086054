package org.jham;

/**
 * The one exception type of the HAM API: the failure of a {@code ham_*} call, carrying its errno.
 * Unchecked, like errno in C: every call may fail, and most callers let it propagate.
 */
public class HamException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Errno errno;

    public HamException(Errno errno, String detail) {
        super(errno.name() + ": " + detail);
        this.errno = errno;
    }

    public HamException(Errno errno, String detail, Throwable cause) {
        super(errno.name() + ": " + detail, cause);
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }

    /** The message without the errno prefix. */
    public String detail() {
        String m = getMessage();
        String prefix = errno.name() + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    /**
     * Converts this exception to the JDK type that carries its errno across JMX, keeping the
     * errno-prefixed message and no cause (the client may lack the cause's class).
     */
    public RuntimeException toWire() {
        String m = getMessage();
        switch (errno) {
            case EINVAL:
            case ENAMETOOLONG:
                return new IllegalArgumentException(m);
            case ENOENT:
            case ESRCH:
                return new java.util.NoSuchElementException(m);
            case EACCES:
                return new SecurityException(m);
            default:
                return new IllegalStateException(m);
        }
    }

    /**
     * Maps an exception that came back over JMX to a HamException: errno-prefixed messages keep
     * their errno; anything else is EIO.
     */
    public static HamException fromWire(Throwable t) {
        if (t instanceof HamException) {
            return (HamException) t;
        }
        Errno e = Errno.fromMessage(t.getMessage());
        if (e == null) {
            return new HamException(Errno.EIO, String.valueOf(t), t);
        }
        String m = t.getMessage();
        return new HamException(e, m.substring(e.name().length() + 1).trim(), t);
    }
}
