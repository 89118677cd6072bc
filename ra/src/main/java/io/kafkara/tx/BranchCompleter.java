package io.kafkara.tx;

import io.kafkara.engine.kafka.CoordinatorTransaction;
import io.kafkara.engine.kafka.EndTxnAnswer;

/**
 * Ends a journaled branch at the transaction coordinator when no live engine holds it (after a crash or a fatal
 * producer error), and asks it what became of a branch. Throws Kafka's exceptions when it could not be reached.
 */
@FunctionalInterface
public interface BranchCompleter {

    /** Sends EndTxn; returns the coordinator's final answer. */
    EndTxnAnswer end(PreparedBranch branch, boolean commit);

    /**
     * What the coordinator reports about the branch's transactional id now; null when it does not know the id. A
     * completer that cannot ask refuses (recovery then keeps the branch in doubt).
     */
    default CoordinatorTransaction describe(PreparedBranch branch) {
        throw new UnsupportedOperationException("This branch completer cannot ask the coordinator about " + branch);
    }
}
