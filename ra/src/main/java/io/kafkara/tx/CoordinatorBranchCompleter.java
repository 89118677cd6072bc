package io.kafkara.tx;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.common.utils.Time;

import io.kafkara.engine.kafka.CoordinatorTransaction;
import io.kafkara.engine.kafka.EndTxnAnswer;
import io.kafkara.engine.kafka.TransactionCoordinator;

/**
 * Ends each branch over a fresh short-lived connection (FindCoordinator + EndTxn): recovery is rare, and a connection
 * held between passes would be one more thing to keep alive.
 */
public final class CoordinatorBranchCompleter implements BranchCompleter {

    private final Map<String, Object> producerSettings;
    private final Duration timeout;

    /** @param producerSettings the engines' settings: bootstrap.servers and security are what is used */
    CoordinatorBranchCompleter(Map<String, Object> producerSettings, Duration timeout) {
        this.producerSettings = Map.copyOf(producerSettings);
        this.timeout = timeout;
    }

    @Override
    public EndTxnAnswer end(PreparedBranch branch, boolean commit) {
        try (TransactionCoordinator coordinator = open()) {
            return coordinator.endTransaction(branch.transactionalId(), branch.producer().producerId(),
                    branch.producer().epoch(), commit);
        }
    }

    @Override
    public CoordinatorTransaction describe(PreparedBranch branch) {
        try (TransactionCoordinator coordinator = open()) {
            return coordinator.describeTransaction(branch.transactionalId());
        }
    }

    /** A short-lived connection with the engines' own settings; each call bounded by the timeout. */
    private TransactionCoordinator open() {
        return TransactionCoordinator.open(producerSettings, Time.SYSTEM, timeout.toMillis());
    }
}
