package io.kafkara.tx;

import java.time.Duration;
import java.util.Map;

import io.kafkara.engine.PreparedTransactions;
import io.kafkara.engine.kafka.CoordinatorTransaction;
import io.kafkara.engine.kafka.EndTxnAnswer;

/**
 * Ends each branch over a fresh short-lived connection (FindCoordinator + EndTxn): recovery is rare, and a connection
 * held between passes would be one more thing to keep alive.
 */
public final class CoordinatorBranchCompleter implements BranchCompleter {

    private final Map<String, Object> producerSettings;
    private final Duration timeout;

    /** @param producerSettings the engines' settings: bootstrap.servers and security are what is used */
    public CoordinatorBranchCompleter(Map<String, Object> producerSettings, Duration timeout) {
        this.producerSettings = Map.copyOf(producerSettings);
        this.timeout = timeout;
    }

    @Override
    public EndTxnAnswer end(PreparedBranch branch, boolean commit) {
        try (PreparedTransactions prepared = PreparedTransactions.open(producerSettings, timeout)) {
            return prepared.end(branch.transactionalId(), branch.producer(), commit);
        }
    }

    @Override
    public CoordinatorTransaction describe(PreparedBranch branch) {
        try (PreparedTransactions prepared = PreparedTransactions.open(producerSettings, timeout)) {
            return prepared.describe(branch.transactionalId());
        }
    }
}
