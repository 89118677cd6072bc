package io.kafkara.engine;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.common.utils.Time;

import io.kafkara.engine.kafka.CoordinatorTransaction;
import io.kafkara.engine.kafka.EndTxnAnswer;
import io.kafkara.engine.kafka.OpenTransactionAborter;

/**
 * Ends prepared transactions that no live engine holds, for recovery after a crash. Opens a short-lived connection to
 * the cluster; close it after the recovery pass. Not thread-safe: one recovery pass at a time.
 *
 * <pre>{@code
 * try (PreparedTransactions prepared = PreparedTransactions.open(producerSettings, Duration.ofSeconds(30))) {
 *     EndTxnAnswer answer = prepared.end("orders-node1-3", new ProducerIdentity(4711, (short) 2), true);
 * }
 * }</pre>
 */
public final class PreparedTransactions implements AutoCloseable {

    private final OpenTransactionAborter coordinator;

    private PreparedTransactions(OpenTransactionAborter coordinator) {
        this.coordinator = coordinator;
    }

    /** Connects with the engine's own settings (bootstrap.servers and security); each call is bounded by timeout. */
    public static PreparedTransactions open(Map<String, Object> producerSettings, Duration timeout) {
        return new PreparedTransactions(OpenTransactionAborter.open(producerSettings, Time.SYSTEM,
                timeout.toMillis()));
    }

    /**
     * Sends EndTxn for the transaction and returns the coordinator's final answer (NONE, PRODUCER_FENCED,
     * INVALID_TXN_STATE, INVALID_PRODUCER_ID_MAPPING or another non-retriable error, by what it means). Throws Kafka's
     * TimeoutException when the coordinator stayed unreachable or busy for the whole timeout.
     */
    public EndTxnAnswer end(String transactionalId, ProducerIdentity identity, boolean commit) {
        return coordinator.endTransaction(transactionalId, identity.producerId(), identity.epoch(), commit);
    }

    /**
     * What the coordinator reports about the id now (DescribeTransactions), or null when it does not know it: with
     * transaction version 2 every completion moves the epoch on, so a fenced EndTxn alone does not say whether the
     * transaction was committed or aborted; this does.
     */
    public CoordinatorTransaction describe(String transactionalId) {
        return coordinator.describeTransaction(transactionalId);
    }

    @Override
    public void close() {
        coordinator.close();
    }
}
