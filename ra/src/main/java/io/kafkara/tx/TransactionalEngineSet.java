package io.kafkara.tx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The transactional engines of one connection definition: a managed connection borrows one when a transaction
 * begins on it and gives it back when the transaction completes (a prepared branch keeps its engine until commit or
 * rollback). So the definition runs as many engines, sender threads and network clients as it has concurrent
 * transactions, not as many as its pool has connections; the transactional id pool bounds them (an engine holds its
 * id while it is open, idle or borrowed).
 *
 * <p>The most recently returned engine is lent first, so under a steady load the same few engines serve and the
 * others stay idle. Engines idle for longer than the idle time close, except a floor of the most recent ones; there
 * is no timer thread: the set looks when an engine is borrowed or given back. Thread-safe; an engine is opened and
 * closed outside the set's lock (opening waits for the coordinator).
 *
 * @param <E> the engine type (a {@link TransactionalEngineLease}; a fake in tests)
 */
public final class TransactionalEngineSet<E extends TransactionalEngineSet.Member> {

    /** How many idle engines stay open however long they are idle: a quiet definition begins its next one at once. */
    public static final int IDLE_FLOOR = 2;
    /** How long an idle engine beyond the floor stays open. */
    public static final long IDLE_CLOSE_MS = 60_000;

    /** What the set needs of an engine. */
    public interface Member {
        /** The transaction state: only an {@link TxState#IDLE} engine goes back to the idle ones. */
        TxState state();

        /** False once the engine failed, died or was closed: the set closes it instead of lending it. */
        boolean isUsable();

        /** Closes an engine given back unusable or in another state than IDLE, within its close bound. */
        void close();

        /** Closes an idle engine without waiting on the caller's thread: its id returns once its loop ended. */
        void closeIdle();
    }

    private record Idle<E>(E engine, long sinceMs) {
    }

    private final Supplier<E> opener;
    private final LongSupplier clockMs;
    private final int floor;
    private final long idleCloseMs;
    /** Most recently returned first. */
    private final Deque<Idle<E>> idle = new ArrayDeque<>();
    private int borrowed;

    /**
     * @param opener opens (starts and initializes) a new engine; throws when none can be opened (no free id, the
     *               work manager refused, the coordinator did not answer), with the message the caller sees
     */
    TransactionalEngineSet(Supplier<E> opener, LongSupplier clockMs) {
        this(opener, clockMs, IDLE_FLOOR, IDLE_CLOSE_MS);
    }

    TransactionalEngineSet(Supplier<E> opener, LongSupplier clockMs, int floor, long idleCloseMs) {
        this.opener = opener;
        this.clockMs = clockMs;
        this.floor = floor;
        this.idleCloseMs = idleCloseMs;
    }

    /** An idle engine (the most recently returned usable one), else a new one. */
    E borrow() {
        List<E> toClose = new ArrayList<>();
        E lent = null;
        synchronized (this) {
            while (lent == null && !idle.isEmpty()) {
                E candidate = idle.pollFirst().engine();
                if (candidate.isUsable() && candidate.state() == TxState.IDLE) {
                    lent = candidate;
                } else {
                    toClose.add(candidate);
                }
            }
            expired(toClose);
            borrowed++;
        }
        closeEach(toClose);
        if (lent != null) {
            return lent;
        }
        try {
            return opener.get();
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                borrowed--;
            }
            throw e;
        }
    }

    /**
     * Takes back an engine whose transaction completed: an idle, usable one waits for the next borrower, any other
     * (failed, unresolved, dead) is closed.
     */
    void giveBack(E engine) {
        List<E> toClose = new ArrayList<>();
        boolean keep = engine.isUsable() && engine.state() == TxState.IDLE;
        synchronized (this) {
            borrowed--;
            if (keep) {
                idle.addFirst(new Idle<>(engine, clockMs.getAsLong()));
            }
            expired(toClose);
        }
        if (!keep) {
            engine.close();
        }
        closeEach(toClose);
    }

    /** An engine whose connection was destroyed with it borrowed: closed, never lent again. */
    void discard(E engine) {
        synchronized (this) {
            borrowed--;
        }
        engine.close();
    }

    /**
     * Closes every idle engine, floor included: when the work manager has no thread for a new engine, idle ones give
     * theirs back (their loops end on their own Works).
     */
    void closeAllIdle() {
        List<E> toClose = new ArrayList<>();
        synchronized (this) {
            idle.forEach(waiting -> toClose.add(waiting.engine()));
            idle.clear();
        }
        closeEach(toClose);
    }

    /** Engines lent and not given back. */
    synchronized int borrowedCount() {
        return borrowed;
    }

    /** Engines open and waiting for a borrower. */
    synchronized int idleCount() {
        return idle.size();
    }

    /** Idle engines beyond the floor that waited longer than the idle time: oldest last in the deque. */
    private void expired(List<E> toClose) {
        long now = clockMs.getAsLong();
        int kept = 0;
        for (Iterator<Idle<E>> it = idle.iterator(); it.hasNext(); ) {
            Idle<E> waiting = it.next();
            if (kept < floor || now - waiting.sinceMs() < idleCloseMs) {
                kept++;
                continue;
            }
            it.remove();
            toClose.add(waiting.engine());
        }
    }

    private static <E extends Member> void closeEach(List<E> engines) {
        for (E engine : engines) {
            if (engine.state() == TxState.IDLE) {
                engine.closeIdle();
            } else {
                engine.close();
            }
        }
    }
}
