package org.jham;

import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.ObjectName;

/**
 * What every handle holds: where its object is (node and names) and whether the handle was freed.
 * Thread-safe: immutable but for the freed flag.
 */
final class HandleCore {
    final HamNode node;
    /** Null for the global entity. */
    final String ename;
    final String cname;
    final String aname;
    private final AtomicBoolean freed = new AtomicBoolean();

    HandleCore(HamNode node, String ename, String cname, String aname) {
        this.node = node;
        this.ename = ename;
        this.cname = cname;
        this.aname = aname;
    }

    /** EINVAL once the handle was freed. */
    void checkLive() {
        if (freed.get()) {
            throw freedError();
        }
    }

    void free() {
        if (!freed.compareAndSet(false, true)) {
            throw freedError();
        }
    }

    boolean isFreed() {
        return freed.get();
    }

    private HamException freedError() {
        return new HamException(Errno.EINVAL, "handle to " + describe() + " was freed");
    }

    /** A proxy for the handle's object over the node's open connection; EBADF when none is open. */
    <T> T remote(Class<T> iface, ObjectName name) {
        return HamConnection.require(node).proxy(iface, name);
    }

    String path() {
        if (aname != null) {
            return Names.path(ename, cname, aname);
        }
        if (cname != null) {
            return Names.path(ename, cname);
        }
        return ename == null ? "/" : ename;
    }

    String describe() {
        String what;
        if (aname != null) {
            what = "action '" + path() + "'";
        } else if (cname != null) {
            what = "condition '" + path() + "'";
        } else {
            what = ename == null ? "the global entity" : "entity '" + ename + "'";
        }
        return what + " on " + node.key();
    }
}
