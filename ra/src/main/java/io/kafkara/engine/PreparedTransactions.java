package io.kafkara.engine;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Time;

import io.kafkara.engine.kafka.PreparedTransactionCompleter;

/**
 * Ends prepared transactions that no live engine holds, for recovery after a crash. Opens a short-lived connection to
 * the cluster; close it after the recovery pass. Not thread-safe: one recovery pass at a time.
 *
 * <pre>{@code
 * try (PreparedTransactions prepared = PreparedTransactions.open(producerSettings, Duration.ofSeconds(30))) {
 *     Errors answer = prepared.end("orders-node1-3", new ProducerIdentity(4711, (short) 2), true);
 * }
 * }</pre>
 */
public final class PreparedTransactions implements AutoCloseable {

    private final PreparedTransactionCompleter completer;

    private PreparedTransactions(PreparedTransactionCompleter completer) {
        this.completer = completer;
    }

    /** Connects with the engine's own settings (bootstrap.servers and security); each call is bounded by timeout. */
    public static PreparedTransactions open(Map<String, Object> producerSettings, Duration timeout) {
        return new PreparedTransactions(PreparedTransactionCompleter.open(producerSettings, Time.SYSTEM,
                timeout.toMillis()));
    }

    /** Over a completer built elsewhere (tests: one over Kafka's MockClient). */
    public static PreparedTransactions over(PreparedTransactionCompleter completer) {
        return new PreparedTransactions(completer);
    }

    /**
     * Sends EndTxn for the transaction and returns the coordinator's final answer: NONE, PRODUCER_FENCED,
     * INVALID_TXN_STATE, INVALID_PRODUCER_ID_MAPPING or another non-retriable error. Throws Kafka's
     * TimeoutException when the coordinator stayed unreachable or busy for the whole timeout.
     */
    public Errors end(String transactionalId, ProducerIdentity identity, boolean commit) {
        return completer.endTransaction(transactionalId, identity.producerId(), identity.epoch(), commit);
    }

    @Override
    public void close() {
        completer.close();
    }
}
