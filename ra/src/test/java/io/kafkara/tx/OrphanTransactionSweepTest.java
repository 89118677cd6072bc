package io.kafkara.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import io.kafkara.engine.kafka.AbortOutcome;

/**
 * The sweep of a node's transactional ids after a crash: which ids it asks the coordinator about (not those a live
 * engine holds, not those with a journaled branch), that it holds each id leased while it does, and that a failed
 * pass is retried while nothing ever escapes. Transcript of the aborter's calls: {@code open, abort:id, close}.
 */
class OrphanTransactionSweepTest {

    private final TransactionalIdPool pool = new TransactionalIdPool("orders", "node1", 4);
    private final List<String> calls = new ArrayList<>();
    private final Set<String> journaled = Set.of("orders-node1-2");
    private String journaledBeyond;
    private RuntimeException failAt;
    /** What the brokers list as Ongoing beyond the pool's slots; null: the test does not look. */
    private List<String> beyondPool;
    private String failingId;

    /** Records calls; checks that the id it is asked about is held by the sweep (no engine can lease it now). */
    private final class RecordingAborter implements OrphanTransactionSweep.Aborter {
        @Override
        public AbortOutcome abortIfOpen(String transactionalId) {
            calls.add("abort:" + transactionalId + (pool.tryLease(transactionalId) ? " (NOT HELD)" : ""));
            if (transactionalId.equals(failingId)) {
                throw failAt;
            }
            return transactionalId.endsWith("-3") ? AbortOutcome.ABORTED : AbortOutcome.NOT_OPEN;
        }

        @Override
        public List<String> ongoingIds(String pattern) {
            if (beyondPool == null) {
                return List.of();
            }
            calls.add("list:" + pattern);
            return beyondPool;
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }

    private final OrphanTransactionSweep sweep = new OrphanTransactionSweep(pool,
            id -> journaled.contains(id) || id.equals(journaledBeyond), () -> {
        calls.add("open");
        return new RecordingAborter();
    });

    @Test
    void asksAboutEveryIdNoEngineHoldsAndNoBranchNamesEachWhileHoldingIt() {
        String live = pool.lease(id -> false);   // orders-node1-0: a live engine initialized it

        assertTrue(sweep.sweepIfPending());
        assertEquals(List.of("open", "abort:orders-node1-1", "abort:orders-node1-3", "close"), calls);
        assertEquals(1, pool.leasedCount(), "the sweep returned every id it held");
        assertFalse(pool.tryLease(live), "the live engine's lease is untouched");
    }

    @Test
    void everyRecoveryScanSweepsAgainSkippingIdsAnEngineHoldsMeanwhile() {
        assertTrue(sweep.sweepIfPending());
        String forcedClosed = pool.lease(id -> false);
        calls.clear();

        assertTrue(sweep.sweepAgain());
        assertEquals(List.of("open", "abort:orders-node1-1", "abort:orders-node1-3", "close"), calls,
                "a scan looks again: an engine forced closed since may have left a transaction open");
        pool.release(forcedClosed);
        calls.clear();
        assertTrue(sweep.sweepAgain());
        assertEquals(List.of("open", "abort:orders-node1-0", "abort:orders-node1-1", "abort:orders-node1-3",
                "close"), calls, "the id its engine gave back is looked at too");
    }

    @Test
    void openTransactionsOfSlotsThePoolNoLongerHasAreAbortedUnlessJournaled() {
        journaledBeyond = "orders-node1-9";
        beyondPool = List.of("orders-node1-7", "orders-node1-9", "orders-node1-1");

        assertTrue(sweep.sweepIfPending());

        assertEquals(List.of("open", "abort:orders-node1-0", "abort:orders-node1-1", "abort:orders-node1-3",
                "list:^orders-node1-[0-9]+$", "abort:orders-node1-7", "close"), calls,
                "slot 7 of a larger pool before the restart is aborted (no engine can lease it); slot 9 has a "
                + "journaled branch; slot 1 was looked at already");
    }

    @Test
    void runsOnceAPassCompleted() {
        assertTrue(sweep.sweepIfPending());
        calls.clear();

        assertTrue(sweep.sweepIfPending());
        assertEquals(List.of(), calls, "nothing is asked again");
    }

    @Test
    void anUnreachableClusterEndsThePassWhichIsRetriedAtTheNextCall() {
        failingId = "orders-node1-1";
        failAt = new TimeoutException("FindCoordinator did not complete within 30000 ms");

        assertFalse(sweep.sweepIfPending(), "the failure is reported as not done, not thrown");
        assertEquals(List.of("open", "abort:orders-node1-0", "abort:orders-node1-1", "close"), calls,
                "the pass stops at the first failure: one timeout, not one per id");
        assertEquals(0, pool.leasedCount(), "every held id was returned");

        failingId = null;
        calls.clear();
        assertTrue(sweep.sweepIfPending());
        assertEquals(List.of("open", "abort:orders-node1-0", "abort:orders-node1-1", "abort:orders-node1-3",
                "close"), calls);
    }

    @Test
    void anErrorNeverEscapesTheRecoveryPath() {
        OrphanTransactionSweep broken = new OrphanTransactionSweep(pool, journaled::contains, () -> {
            throw new NoClassDefFoundError("org/apache/kafka/clients/NetworkClient");
        });
        failingId = "orders-node1-0";
        failAt = new IllegalStateException("unexpected");

        assertFalse(broken.sweepIfPending());
        assertFalse(sweep.sweepIfPending());
        assertEquals(0, pool.leasedCount());
    }

    @Test
    void anUnreadableJournalProtectsEveryId() {
        // Without the journal a prepared branch cannot be told from an orphan: abort nothing, try again later.
        OrphanTransactionSweep blind = new OrphanTransactionSweep(pool, id -> {
            throw new TimeoutException("Branch journal topic kafka-ra-branches could not be read");
        }, () -> {
            calls.add("open");
            return new RecordingAborter();
        });

        assertFalse(blind.sweepIfPending());
        assertEquals(List.of("open", "close"), calls);
        assertEquals(0, pool.leasedCount());
    }
}
