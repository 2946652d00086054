package org.jham.recovery;

import static org.jham.recovery.HaConstants.HAREPLACERECOVERYFN;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The generic core of an HA-aware connection, independent of files and sockets: what a C file
 * descriptor is to the guide's library, for any connection type {@code C} that talks through a
 * replaceable underlying resource {@code T} (a {@code FileChannel}, a {@code SocketChannel}, a
 * JMX connector...). {@link HaFileChannel} and {@link HaSocket} are built on it; any other
 * connection can be.
 *
 * <p>It holds, per copy (a {@link #dup dup} is a new copy): the recovery mechanism
 * {@link #attach attached} to it, if any, and whether the copy is closed. All copies share the
 * underlying resource (as {@code dup}ed descriptors share an open file description), its
 * generation, and the recovery lock; copies that are {@code dup}s of each other also share the
 * recovery mechanism (function, handle, limits, counts), which lives until the last of them
 * detaches or closes.
 *
 * <p>{@link #call Operations} run on the current underlying resource. When one fails and the
 * failure is stale (the predicate given at construction, normally
 * {@link StaleConnections#isStale}), the copy is HA-aware and recovery is enabled and within its
 * limits, the recovery function runs and, if it returns the connection, the operation is retried;
 * otherwise the original failure is thrown. Every other failure propagates unchanged.
 *
 * <p><b>Recover once, not N times.</b> Each successful recovery (and each {@link #reopen}) moves
 * the shared generation on. An operation notes the generation before it starts; when it fails,
 * it takes the recovery lock, and if the generation has moved meanwhile someone else has
 * recovered the connection already: it retries on the new resource without calling the function.
 * So N users that fail on one broken resource cause one recovery.
 *
 * <p>Thread-safe. The recovery function runs on the thread whose operation failed, holding the
 * recovery lock (so it is never run twice at once for the connection); operations it makes on
 * the connection do not recover again. Control calls ({@link #attach}, {@link #detach},
 * {@link #control}, {@link #dup}) never wait for a running recovery.
 *
 * @param <C> the connection type: what the recovery function gets and must return
 * @param <T> the underlying resource type
 */
public final class HaDescriptor<C, T> {

    /** An operation on the underlying resource. */
    @FunctionalInterface
    public interface Operation<T, R, X extends Exception> {
        R apply(T underlying) throws X;
    }

    /**
     * An {@code int}-valued operation on the underlying resource with one argument: the hot
     * reads and writes, which as static method references allocate nothing per call, whatever
     * the JIT inlines (a capturing lambda and a boxed result may not be removed).
     */
    @FunctionalInterface
    public interface IntOperation<T, A, X extends Exception> {
        int apply(T underlying, A argument) throws X;
    }

    /** Opens a new underlying resource (for {@link #reopen}). */
    @FunctionalInterface
    public interface Opener<T> {
        T open() throws IOException;
    }

    /** Closes an underlying resource. */
    @FunctionalInterface
    public interface Closer<T> {
        void close(T underlying) throws IOException;
    }

    /** What every copy shares. {@code current} and {@code generation} change under {@code this}. */
    private static final class Shared<T> {
        final ReentrantLock recoveryLock = new ReentrantLock();
        final Closer<? super T> closer;
        final Predicate<? super Exception> stale;
        volatile T current;
        volatile long generation;
        int openCopies = 1;
        boolean released;

        Shared(T current, Closer<? super T> closer, Predicate<? super Exception> stale) {
            this.current = current;
            this.closer = closer;
            this.stale = stale;
        }
    }

    private final C owner;
    private final Shared<T> shared;
    private volatile Recovery<C> recovery;
    private volatile boolean closed;

    /**
     * A new, open, not yet HA-aware connection.
     *
     * @param owner the connection object this descriptor serves (given to the recovery function)
     * @param underlying the resource it talks through now
     * @param closer closes an underlying resource (when reopened, and when the last copy closes)
     * @param stale which failures start a recovery (normally {@link StaleConnections#isStale})
     */
    public HaDescriptor(C owner, T underlying, Closer<? super T> closer, Predicate<? super Exception> stale) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.shared = new Shared<>(Objects.requireNonNull(underlying, "underlying"), Objects.requireNonNull(closer, "closer"),
                Objects.requireNonNull(stale, "stale"));
    }

    private HaDescriptor(C owner, Shared<T> shared, Recovery<C> recovery) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.shared = shared;
        this.recovery = recovery;
    }

    /** The connection object this descriptor serves. */
    public C owner() {
        return owner;
    }

    /**
     * The underlying resource now. Use {@link #call} for operations that should recover; this is
     * for what needs no recovery (e.g. reading an option).
     *
     * @throws ClosedChannelException if this copy is closed
     */
    public T current() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
        return shared.current;
    }

    /** How many times the underlying resource was recovered or reopened (shared by all copies). */
    public long generation() {
        return shared.generation;
    }

    /**
     * Runs {@code op} on the current underlying resource, recovering and retrying as the class
     * comment says.
     *
     * @return what {@code op} returned
     * @throws ClosedChannelException if this copy is closed
     * @throws X {@code op}'s failure when it is not stale or is not recovered (with the recovery
     *         function's own failure, if any, suppressed in it)
     */
    public <R, X extends Exception> R call(Operation<? super T, ? extends R, X> op) throws IOException, X {
        final Shared<T> s = shared;
        while (true) {
            if (closed) {
                throw new ClosedChannelException();
            }
            long g = s.generation;
            T t = s.current;
            try {
                R r = op.apply(t);
                Recovery<C> rec = recovery;
                if (rec != null) {
                    rec.succeeded();
                }
                return r;
            } catch (Exception e) {
                if (!recover(g, e)) {
                    throw e;
                }
            }
        }
    }

    /**
     * {@link #call(Operation)} for an {@link IntOperation}: runs {@code op} with {@code argument}
     * on the current underlying resource, recovering and retrying as the class comment says.
     */
    public <A, X extends Exception> int callInt(A argument, IntOperation<? super T, ? super A, X> op) throws IOException, X {
        final Shared<T> s = shared;
        while (true) {
            if (closed) {
                throw new ClosedChannelException();
            }
            long g = s.generation;
            T t = s.current;
            try {
                int r = op.apply(t, argument);
                Recovery<C> rec = recovery;
                if (rec != null) {
                    rec.succeeded();
                }
                return r;
            } catch (Exception e) {
                if (!recover(g, e)) {
                    throw e;
                }
            }
        }
    }

    /** True: retry the operation; false: give up, throw {@code failure}. */
    private boolean recover(long g, Exception failure) {
        if (closed || recovery == null || !shared.stale.test(failure)) {
            return false;
        }
        ReentrantLock lock = shared.recoveryLock;
        if (lock.isHeldByCurrentThread()) {
            return false; // an operation of the recovery function itself
        }
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            failure.addSuppressed(ie);
            return false;
        }
        try {
            if (closed) {
                return false;
            }
            if (shared.generation != g) {
                return true; // recovered by another user meanwhile
            }
            Recovery<C> rec = recovery;
            Recovery.Registration<C, ?> r = rec == null ? null : rec.begin();
            if (r == null) {
                return false;
            }
            C result;
            try {
                result = r.run(owner);
            } catch (Exception fe) {
                if (fe instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                if (fe != failure) {
                    failure.addSuppressed(fe);
                }
                return false;
            }
            if (result == null || closed) {
                return false;
            }
            if (result != owner) {
                failure.addSuppressed(new HaException(HaErrno.EBADF, "the recovery function of " + owner
                        + " returned another connection: " + result));
                return false;
            }
            synchronized (shared) {
                shared.generation++;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The guide's {@code ha_reopen} / {@code ha_ReConnectAttach} for any resource: closes the
     * underlying resource of this connection and of all its copies (ignoring a failure to close
     * it: it is normally dead), then opens a new one with {@code opener} and puts it in its
     * place. Normally called by a recovery function; operations blocked on the old resource fail
     * and, once the recovery is over, retry on the new one. Holds the recovery lock, so that
     * operations failing meanwhile wait instead of starting a recovery of their own.
     *
     * <p>Closing first matters: e.g. a FIFO keeps the data a dead reader left unread for as long
     * as a writer holds it open, and a new reader would get it.
     *
     * @throws IOException the opener failed: the connection is left with the closed resource
     *         (operations fail as stale, and a later recovery may try again)
     * @throws ClosedChannelException if this copy is closed (a resource just opened is closed again)
     */
    public void reopen(Opener<? extends T> opener) throws IOException {
        Objects.requireNonNull(opener, "opener");
        ReentrantLock lock = shared.recoveryLock;
        lock.lock();
        try {
            if (closed) {
                throw new ClosedChannelException();
            }
            closeQuietly(shared.current);
            T next = Objects.requireNonNull(opener.open(), "opened resource");
            synchronized (shared) {
                if (!closed && !shared.released) {
                    shared.current = next;
                    shared.generation++;
                    return;
                }
            }
            closeQuietly(next);
            throw new ClosedChannelException();
        } finally {
            lock.unlock();
        }
    }

    private void closeQuietly(T t) {
        try {
            shared.closer.close(t);
        } catch (IOException | RuntimeException e) {
            // A stale resource may fail to close; there is nothing left to do with it.
        }
    }

    /**
     * {@code ha_attach}: makes this copy HA-aware with {@code function} and {@code handle}, or
     * with {@link HaConstants#HAREPLACERECOVERYFN} replaces the function and handle of its
     * recovery mechanism (for every {@code dup} that shares it).
     *
     * @throws HaException EBADF: this copy is closed, or HAREPLACERECOVERYFN and it is not
     *         HA-aware; EEXIST: it is HA-aware and HAREPLACERECOVERYFN is not set; EINVAL: a
     *         {@code null} function or an unknown flag
     */
    public synchronized <H> void attach(RecoveryFunction<C, H> function, H handle, int flags) {
        if (closed) {
            throw new HaException(HaErrno.EBADF, owner + " is closed");
        }
        if (function == null) {
            throw new HaException(HaErrno.EINVAL, "the recovery function is null");
        }
        if ((flags & ~HAREPLACERECOVERYFN) != 0) {
            throw new HaException(HaErrno.EINVAL, String.format("unknown ha_attach flags 0x%x", flags & ~HAREPLACERECOVERYFN));
        }
        Recovery<C> rec = recovery;
        if ((flags & HAREPLACERECOVERYFN) != 0) {
            if (rec == null) {
                throw new HaException(HaErrno.EBADF, owner + " is not HA-aware: no recovery function to replace");
            }
            rec.replace(function, handle);
        } else {
            if (rec != null) {
                throw new HaException(HaErrno.EEXIST, owner + " is HA-aware already (HAREPLACERECOVERYFN replaces its function)");
            }
            recovery = new Recovery<>(function, handle);
        }
    }

    /**
     * {@code ha_detach}: this copy is no longer HA-aware (its {@code dup}s keep their recovery).
     *
     * @throws HaException EBADF: this copy is closed or not HA-aware
     */
    public synchronized void detach() {
        Recovery<C> rec = recovery;
        if (closed || rec == null) {
            throw new HaException(HaErrno.EBADF, owner + (closed ? " is closed" : " is not HA-aware"));
        }
        recovery = null;
        rec.release();
    }

    /**
     * {@code ha_connection_ctrl}: one of the {@code HA_RECOVERY_*} commands of
     * {@link HaConstants}; {@code value} is the limit for {@code HA_RECOVERY_ACOUNT} and
     * {@code HA_RECOVERY_ICOUNT} (negative: none) and ignored by the others. Applies to every
     * {@code dup} that shares the recovery mechanism.
     *
     * @throws HaException EBADF: this copy is closed or not HA-aware; EINVAL: an unknown command
     */
    public void control(int command, int value) {
        Recovery<C> rec = recovery;
        if (closed || rec == null) {
            throw new HaException(HaErrno.EBADF, owner + (closed ? " is closed" : " is not HA-aware"));
        }
        rec.control(command, value);
    }

    /**
     * {@code ha_dup}: a new copy for {@code newOwner}, sharing the underlying resource and this
     * copy's recovery mechanism (reference-counted).
     *
     * @throws HaException EBADF: this copy is closed or not HA-aware
     */
    public synchronized HaDescriptor<C, T> dup(C newOwner) {
        Recovery<C> rec = recovery;
        if (closed || rec == null) {
            throw new HaException(HaErrno.EBADF, owner + (closed ? " is closed" : " is not HA-aware"));
        }
        synchronized (shared) {
            if (shared.released) {
                throw new HaException(HaErrno.EBADF, owner + " is closed");
            }
            shared.openCopies++;
        }
        rec.retain();
        return new HaDescriptor<>(newOwner, shared, rec);
    }

    /** Whether this copy is open. */
    public boolean isOpen() {
        return !closed;
    }

    /** Whether this copy is HA-aware (open, with a recovery function attached). */
    public boolean isHaAware() {
        return !closed && recovery != null;
    }

    /**
     * The recoveries counted against {@code HA_RECOVERY_ACOUNT} (every call of the recovery
     * function since attach or {@code HA_RECOVERY_RESET_ACOUNT}); 0 when not HA-aware.
     */
    public long recoveryCount() {
        Recovery<C> rec = recovery;
        return rec == null ? 0 : rec.total();
    }

    /**
     * {@code ha_close}: detaches this copy if it is HA-aware, then closes it; the underlying
     * resource is closed with the last open copy. Closing a closed copy does nothing.
     *
     * @throws IOException closing the underlying resource failed (the copy is closed anyway)
     */
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            Recovery<C> rec = recovery;
            recovery = null;
            if (rec != null) {
                rec.release();
            }
        }
        T last = null;
        synchronized (shared) {
            if (--shared.openCopies == 0) {
                shared.released = true;
                last = shared.current;
            }
        }
        if (last != null) {
            shared.closer.close(last);
        }
    }
}
