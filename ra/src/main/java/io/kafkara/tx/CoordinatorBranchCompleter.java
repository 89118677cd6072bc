package io.kafkara.tx;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.common.utils.Time;

import io.kafkara.engine.kafka.CoordinatorTransaction;
import io.kafkara.engine.kafka.EndTxnAnswer;
import io.kafkara.engine.kafka.OpenTransactionAborter;

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
        try (OpenTransactionAborter coordinator = open()) {
            return coordinator.endTransaction(branch.transactionalId(), branch.producer().producerId(),
                    branch.producer().epoch(), commit);
        }
    }

    @Override
    public CoordinatorTransaction describe(PreparedBranch branch) {
        try (OpenTransactionAborter coordinator = open()) {
            return coordinator.describeTransaction(branch.transactionalId());
        }
    }

    /** A short-lived connection with the engines' own settings; each call bounded by the timeout. */
    private OpenTransactionAborter open() {
        return OpenTransactionAborter.open(producerSettings, Time.SYSTEM, timeout.toMillis());
    }
}
