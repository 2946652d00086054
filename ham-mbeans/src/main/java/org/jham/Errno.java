package org.jham;

/**
 * The errno values the HAM API reports, with the JDK exception type that carries each one across
 * JMX (so that JConsole and jmxterm, which lack our jar, can show them). The message of such an
 * exception always starts with the errno name and a colon, e.g.
 * {@code "EEXIST: entity 'inetd' already exists"}.
 */
public enum Errno {
    /** Couldn't connect to the HAM. */
    EBADF(IllegalStateException.class),
    /** The name already exists at its level. */
    EEXIST(IllegalStateException.class),
    /** Invalid name, handle, flag, type, command or argument. */
    EINVAL(IllegalArgumentException.class),
    /** A name, or the combined entity/condition/action path, is too long. */
    ENAMETOOLONG(IllegalArgumentException.class),
    /** No such entity, condition, action, channel or handle. */
    ENOENT(java.util.NoSuchElementException.class),
    /** Not enough memory or other resources. */
    ENOMEM(IllegalStateException.class),
    /** The caller is not allowed to do this. */
    EACCES(SecurityException.class),
    /** No such process. */
    ESRCH(java.util.NoSuchElementException.class),
    /** The object is busy (e.g. the HAM is stopping). */
    EBUSY(IllegalStateException.class),
    /** A failure the HAM met while servicing the request (e.g. spawn failed). */
    EIO(IllegalStateException.class);

    private final Class<? extends RuntimeException> wireType;

    Errno(Class<? extends RuntimeException> wireType) {
        this.wireType = wireType;
    }

    /** The JDK exception type used for this errno across JMX. */
    public Class<? extends RuntimeException> wireType() {
        return wireType;
    }

    /**
     * Reads the errno from a message of the form {@code "ENOENT: ..."}.
     *
     * @return the errno, or {@code null} when the message does not start with one
     */
    public static Errno fromMessage(String message) {
        if (message == null) {
            return null;
        }
        int colon = message.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String head = message.substring(0, colon);
        for (Errno e : values()) {
            if (e.name().equals(head)) {
                return e;
            }
        }
        return null;
    }
}
