package org.jham;

import org.jham.mbean.ObjectNames;

/**
 * The naming rule of entities, conditions and actions, checked by the client library before any
 * remote call and again by the HAM: a name is not null, not empty and has no {@code /}
 * ({@link Errno#EINVAL}); a name, and the combined path {@code ename/cname/aname}, is at most
 * {@link HamConstants#HAM_PATH_MAX} characters ({@link Errno#ENAMETOOLONG}), the guide's
 * {@code _POSIX_PATH_MAX}. The global entity has no name: its part of a path is empty, so its
 * conditions are {@code /cname}. Thread-safe (stateless).
 */
public final class Names {
    /** Longest name shown whole in an error message; longer ones are cut. */
    private static final int SHOWN = 40;

    private Names() {
    }

    /**
     * Checks one name.
     *
     * @param what what the name names ({@code "entity"}, {@code "condition"}, {@code "action"}),
     *             for the error message
     * @return {@code name}
     * @throws HamException EINVAL when null, empty or containing {@code /}; ENAMETOOLONG when longer
     *                      than {@link HamConstants#HAM_PATH_MAX}
     */
    public static String check(String what, String name) {
        if (name == null) {
            throw new HamException(Errno.EINVAL, what + " name is null");
        }
        if (name.isEmpty()) {
            throw new HamException(Errno.EINVAL, what + " name is empty");
        }
        if (name.indexOf('/') >= 0) {
            throw new HamException(Errno.EINVAL, what + " name '" + shown(name) + "' contains '/'");
        }
        if (name.length() > HamConstants.HAM_PATH_MAX) {
            throw new HamException(Errno.ENAMETOOLONG, what + " name '" + shown(name) + "' has " + name.length()
                    + " characters, more than " + HamConstants.HAM_PATH_MAX);
        }
        return name;
    }

    /**
     * Checks the length of a combined path.
     *
     * @param parts entity, condition and action names, outermost first; a null or empty entity
     *              part is the global entity
     * @return the path, as {@link #path} builds it
     * @throws HamException ENAMETOOLONG when the path is longer than
     *                      {@link HamConstants#HAM_PATH_MAX}
     */
    public static String checkPath(String... parts) {
        String path = path(parts);
        if (path.length() > HamConstants.HAM_PATH_MAX) {
            throw new HamException(Errno.ENAMETOOLONG, "path '" + shown(path) + "' has " + path.length()
                    + " characters, more than " + HamConstants.HAM_PATH_MAX);
        }
        return path;
    }

    /** Joins names with {@code /}; a null part counts as empty (the global entity). */
    public static String path(String... parts) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                b.append('/');
            }
            if (parts[i] != null) {
                b.append(parts[i]);
            }
        }
        return b.toString();
    }

    /**
     * Whether an entity name names the global entity: {@code null} and {@code ""}, as NULL does in
     * the guide, and {@value ObjectNames#GLOBAL_ENTITY}, its name on the wire.
     */
    public static boolean isGlobal(String ename) {
        return ename == null || ename.isEmpty() || ObjectNames.GLOBAL_ENTITY.equals(ename);
    }

    private static String shown(String s) {
        return s.length() <= SHOWN ? s : s.substring(0, SHOWN - 3) + "...";
    }
}
