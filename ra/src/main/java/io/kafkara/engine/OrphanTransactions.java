package io.kafkara.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.utils.Time;

import io.kafkara.engine.kafka.AbortOutcome;
import io.kafkara.engine.kafka.TransactionCoordinator;

/**
 * Aborts open Kafka transactions that no producer will ever end: those of a node's transactional ids whose engines
 * died with the server before prepare. Opens a short-lived connection to the cluster; close it after the pass.
 *
 * <pre>{@code
 * try (OrphanTransactions orphans = OrphanTransactions.open(producerSettings, Duration.ofSeconds(30))) {
 *     AbortOutcome outcome = orphans.abortIfOpen("orders-node1-7");
 * }
 * }</pre>
 */
public final class OrphanTransactions implements AutoCloseable {

    private final TransactionCoordinator aborter;

    private OrphanTransactions(TransactionCoordinator aborter) {
        this.aborter = aborter;
    }

    /** Connects with the engine's own settings (bootstrap.servers and security); each call is bounded by timeout. */
    public static OrphanTransactions open(Map<String, Object> producerSettings, Duration timeout) {
        return new OrphanTransactions(TransactionCoordinator.open(producerSettings, Time.SYSTEM, timeout.toMillis()));
    }

    /**
     * Aborts the id's open transaction, if any. Only for an id no live producer uses. Throws Kafka's
     * TimeoutException when the coordinator stayed unreachable, a KafkaException for other refusals.
     */
    public AbortOutcome abortIfOpen(String transactionalId) {
        return aborter.abortIfOpen(transactionalId);
    }

    /**
     * The ids matching the regular expression whose transaction is Ongoing at any broker (empty where the brokers
     * cannot filter by pattern). For ids no pool slot covers any more (a pool made smaller).
     */
    public List<String> ongoingIds(String pattern) {
        return aborter.ongoingTransactionalIds(pattern);
    }

    @Override
    public void close() {
        aborter.close();
    }
}
