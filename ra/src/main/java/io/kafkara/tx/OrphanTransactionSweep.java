package io.kafkara.tx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkara.engine.kafka.AbortOutcome;
import io.kafkara.engine.kafka.TransactionCoordinator;

/**
 * After a crash, aborts the open Kafka transactions of this node's transactional ids that nobody will ever end: a
 * server killed before prepare returned leaves its transactions Ongoing, and read_committed readers of their
 * partitions stuck, until the broker's transaction.timeout.ms. No transaction manager knows them (nothing was
 * prepared), and no journal names them, so they are orphans; presumed abort says they roll back.
 *
 * <p>Each id of the pool is looked at only while this sweep holds it leased, so no engine initializes it meanwhile
 * (an abort at the epoch the coordinator reports would end a live producer's transaction). Skipped: ids a live
 * engine holds (its initTransactions already aborted what was open) and ids with a journaled branch (prepared: the
 * transaction manager decides, through recover()). Slots the pool no longer has (it was made smaller after a crash)
 * are found by listing the brokers' Ongoing transactions of this node's ids; no engine can lease those. Runs until one pass has looked at every id; a pass that fails
 * (broker unreachable, journal unreadable) is logged and tried again at the next call. Never throws.
 */
public final class OrphanTransactionSweep {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanTransactionSweep.class);

    /** One pass's connection to the cluster. */
    public interface Aborter extends AutoCloseable {

        /** Aborts the id's transaction if the coordinator shows it open; throws when it cannot tell. */
        AbortOutcome abortIfOpen(String transactionalId);

        /** The ids matching the regular expression with an Ongoing transaction (empty where none can be listed). */
        List<String> ongoingIds(String pattern);

        @Override
        void close();

        /**
         * A short-lived client with the engines' own settings (bootstrap.servers and security), each call bounded by
         * {@code timeout}; closed after the pass.
         */
        static Aborter open(Map<String, Object> producerSettings, Duration timeout) {
            TransactionCoordinator coordinator = TransactionCoordinator.open(producerSettings, Time.SYSTEM,
                    timeout.toMillis());
            return new Aborter() {
                @Override
                public AbortOutcome abortIfOpen(String transactionalId) {
                    return coordinator.abortIfOpen(transactionalId);
                }

                @Override
                public List<String> ongoingIds(String pattern) {
                    return coordinator.ongoingTransactionalIds(pattern);
                }

                @Override
                public void close() {
                    coordinator.close();
                }
            };
        }
    }

    private final TransactionalIdPool pool;
    private final Predicate<String> inDoubt;
    private final Supplier<Aborter> aborters;
    private boolean done;

    /**
     * @param inDoubt  whether the journal holds a branch of the id ({@link BranchRecovery#hasBranchFor})
     * @param aborters opens a connection for one pass
     */
    OrphanTransactionSweep(TransactionalIdPool pool, Predicate<String> inDoubt, Supplier<Aborter> aborters) {
        this.pool = pool;
        this.inDoubt = inDoubt;
        this.aborters = aborters;
    }

    /** Sweeps unless a pass already completed (a definition's first use); returns whether one has. */
    synchronized boolean sweepIfPending() {
        if (!done) {
            done = sweepQuietly();
        }
        return done;
    }

    /**
     * Sweeps again (each recovery scan): an engine forced closed, or whose loop died, may have left a transaction
     * open since the last pass, and in two-phase commit mode the broker never aborts it. Returns whether the pass
     * completed.
     */
    synchronized boolean sweepAgain() {
        boolean completed = sweepQuietly();
        done |= completed;
        return completed;
    }

    private boolean sweepQuietly() {
        try {
            return sweep();
        } catch (RuntimeException | Error e) {
            // Also an Error: this runs on the transaction manager's recovery thread, which one would kill.
            LOG.warn("KAFKARA-TX-021: the open Kafka transactions of {} left by a crash could not be checked "
                    + "({}); tried again at the next recovery scan. Until then such a transaction blocks "
                    + "read_committed readers of its partitions, at most until transaction.timeout.ms",
                    pool, e.toString());
            return false;
        }
    }

    private boolean sweep() {
        List<String> aborted = new ArrayList<>();
        try (Aborter aborter = aborters.get()) {
            for (String id : pool.ids()) {
                if (!pool.tryLease(id)) {
                    continue;
                }
                try {
                    if (!inDoubt.test(id) && aborter.abortIfOpen(id) == AbortOutcome.ABORTED) {
                        aborted.add(id);
                    }
                } finally {
                    pool.release(id);
                }
            }
            // Slots the pool no longer has (made smaller after a crash): no engine can lease them.
            for (String id : aborter.ongoingIds(pool.idPattern())) {
                if (pool.isOfThisNode(id) && !pool.owns(id) && !inDoubt.test(id)
                        && aborter.abortIfOpen(id) == AbortOutcome.ABORTED) {
                    aborted.add(id);
                }
            }
        }
        if (!aborted.isEmpty()) {
            LOG.warn("KAFKARA-TX-020: aborted the open Kafka transactions of {}: their producers were gone (the "
                    + "server stopped before they prepared) and no transaction manager knows them", aborted);
        }
        return true;
    }
}
