package org.jham.agent.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.jham.Errno;
import org.jham.HamException;
import org.jham.agent.process.ProcStat;
import org.jham.agent.process.ProcessWatcher;

/**
 * The pulse channels of this HAM (the JVM analogue of QNX channels): a client opens one for its
 * own process, notify-pulse actions deliver {@code (code, value)} to {@code (pid, chid)}, and the
 * channel closes when its owner exits (watched by pid), so a pulse to a gone receiver fails, as
 * the guide's example relies on. The {@link Listener} (the MBean layer) turns channels into
 * MBeans and pulses into notifications. Thread-safe.
 */
public final class ChannelRegistry {
    /** Told of every change; called outside this registry's lock, never concurrently for one channel's open/close. */
    public interface Listener {
        void opened(Channel channel);

        void closed(Channel channel);

        void pulse(Channel channel, int code, int value, String source);
    }

    /** An open channel. Immutable but for its delivery count. */
    public static final class Channel {
        private final long pid;
        private final int chid;
        private final Instant created;
        private ProcessWatcher.Watch ownerWatch;
        private long delivered;

        Channel(long pid, int chid, Instant created) {
            this.pid = pid;
            this.chid = chid;
            this.created = created;
        }

        public long pid() {
            return pid;
        }

        public int chid() {
            return chid;
        }

        public Instant created() {
            return created;
        }

        public synchronized long delivered() {
            return delivered;
        }

        @Override
        public String toString() {
            return pid + "/" + chid;
        }
    }

    private final ProcessWatcher watcher;
    private final Clock clock;
    private final Map<String, Channel> open = new TreeMap<>();
    private volatile Listener listener;
    private int nextChid = 1;

    public ChannelRegistry(ProcessWatcher watcher, Clock clock) {
        this.watcher = watcher;
        this.clock = clock;
    }

    public void setListener(Listener listener) {
        this.listener = listener;
    }

    /** Opens a channel owned by {@code pid}; ESRCH when it does not run. */
    public Channel open(long pid) {
        if (pid <= 0) {
            throw new HamException(Errno.EINVAL, "channel owner pid must be > 0, was " + pid);
        }
        OptionalLong start = ProcStat.liveStartTime(pid);
        if (start.isEmpty()) {
            throw new HamException(Errno.ESRCH, "no process with pid " + pid + " to own a channel");
        }
        Channel c;
        synchronized (this) {
            c = new Channel(pid, nextChid++, clock.instant());
            open.put(key(pid, c.chid), c);
        }
        Listener l = listener;
        if (l != null) {
            l.opened(c);
        }
        ProcessWatcher.Watch w = watcher.watchPid(pid, start.getAsLong(), status -> closeQuietly(c));
        synchronized (this) {
            c.ownerWatch = w;
        }
        return c;
    }

    /** Closes a channel; ENOENT when there is none. */
    public void close(long pid, int chid) {
        Channel c;
        synchronized (this) {
            c = open.remove(key(pid, chid));
        }
        if (c == null) {
            throw new HamException(Errno.ENOENT, "no channel " + pid + "/" + chid);
        }
        closed(c);
    }

    /**
     * Delivers a pulse: ENOENT when no such channel is open, ESRCH when its owner has exited (the
     * channel is then closed).
     */
    public void deliver(long pid, int chid, int code, int value, String source) {
        Channel c;
        synchronized (this) {
            c = open.get(key(pid, chid));
        }
        if (c == null) {
            throw new HamException(Errno.ENOENT, "no channel " + pid + "/" + chid + " (its owner never opened it, or closed it)");
        }
        if (ProcStat.liveStartTime(pid).isEmpty()) {
            closeQuietly(c);
            throw new HamException(Errno.ESRCH, "the owner of channel " + pid + "/" + chid + " has exited");
        }
        synchronized (c) {
            c.delivered++;
        }
        Listener l = listener;
        if (l != null) {
            l.pulse(c, code, value, source);
        }
    }

    public synchronized List<Channel> list() {
        return new ArrayList<>(open.values());
    }

    public synchronized Channel find(long pid, int chid) {
        return open.get(key(pid, chid));
    }

    private void closeQuietly(Channel c) {
        boolean removed;
        synchronized (this) {
            removed = open.remove(key(c.pid, c.chid), c);
        }
        if (removed) {
            closed(c);
        }
    }

    private void closed(Channel c) {
        ProcessWatcher.Watch w;
        synchronized (this) {
            w = c.ownerWatch;
            c.ownerWatch = null;
        }
        if (w != null) {
            w.cancel();
        }
        Listener l = listener;
        if (l != null) {
            l.closed(c);
        }
    }

    private static String key(long pid, int chid) {
        return String.format("%019d/%010d", pid, chid);
    }
}
