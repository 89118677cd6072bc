package io.kafkara.spi;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.resource.ResourceException;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;

import io.kafkara.config.ResolvedSettings;
import io.kafkara.config.TransactionSettings;
import io.kafkara.engine.ProducerEngine;
import io.kafkara.engine.kafka.TwoPhaseCommitProbe;
import io.kafkara.tx.BranchJournal;
import io.kafkara.tx.BranchRecovery;
import io.kafkara.tx.CoordinatorBranchCompleter;
import io.kafkara.tx.KafkaBranchJournal;
import io.kafkara.tx.KafkaXAResource;
import io.kafkara.tx.NoBranchJournal;
import io.kafkara.tx.TransactionalEngineLease;
import io.kafkara.tx.TransactionalIdPool;

/**
 * The transaction machinery one connection definition shares between its managed connections: the node's
 * transactional id pool, the branch journal (XA only; its writer is a non-transactional engine of its own) and
 * branch recovery. Built on first use, so a definition that never runs a transaction starts nothing for it.
 */
final class DefinitionTransactions {

    /** Bound of a journal write's acknowledgement, of the journal's read at start and of one coordinator call. */
    private static final Duration JOURNAL_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaResourceAdapter adapter;
    private final ResolvedSettings settings;
    private final TransactionSettings transactions;
    private final String clusterIdentity;
    private final int transactionTimeoutSeconds;
    private final TwoPhaseCommitDecision twoPhaseCommit;
    private TransactionalIdPool pool;
    private BranchRecovery recovery;

    DefinitionTransactions(KafkaResourceAdapter adapter, ResolvedSettings settings, TransactionSettings transactions) {
        this.adapter = adapter;
        this.settings = settings;
        this.transactions = transactions;
        this.clusterIdentity = String.valueOf(settings.settings().get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
        this.transactionTimeoutSeconds = transactionTimeoutMs() / 1000;
        this.twoPhaseCommit = new TwoPhaseCommitDecision(transactions, transactionTimeoutMs(), this::checkCluster);
    }

    /** Kafka's own default unless the definition sets transaction.timeout.ms. */
    private int transactionTimeoutMs() {
        Object value = settings.settings().get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
        if (value == null) {
            value = ProducerConfig.configDef().defaultValues().get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
        }
        return Integer.parseInt(String.valueOf(value).trim());
    }

    /**
     * Leases a transactional id, starts an engine with it (its sender loop a Work like any engine's) and initializes
     * transactions, which fences an earlier engine of the same id.
     */
    TransactionalEngineLease openLease(ClassLoader applicationLoader) throws ResourceException {
        BranchRecovery branches = recovery();
        boolean twoPhase = twoPhaseCommit.enabled(probeTransactionalId());
        try {
            return TransactionalEngineLease.open(pool, branches, clusterIdentity,
                    id -> startTransactionalEngine(id, applicationLoader, twoPhase), transactionTimeoutSeconds,
                    Time.SYSTEM::milliseconds);
        } catch (IllegalStateException | IllegalArgumentException | KafkaException e) {
            throw new ResourceException("No transactional Kafka engine for this connection definition: "
                    + settings.hideSecrets(e.getMessage()), e);
        }
    }

    /** A resource with no engine for the transaction manager's recovery scans and completions. */
    KafkaXAResource recoveryResource() throws ResourceException {
        return KafkaXAResource.forRecovery(recovery(), clusterIdentity);
    }

    int transactionTimeoutSeconds() {
        return transactionTimeoutSeconds;
    }

    private ProducerEngine startTransactionalEngine(String transactionalId, ClassLoader applicationLoader,
                                                    boolean twoPhase) {
        Map<String, Object> config = settings.producerConfig(adapter.nextClientId(settings.clientIdPrefix()));
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        if (twoPhase) {
            // The broker ignores the timeout of a two-phase producer, and Kafka's config refuses the two together.
            config.remove(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
            config.put(ProducerConfig.TRANSACTION_TWO_PHASE_COMMIT_ENABLE_CONFIG, true);
        }
        try {
            return adapter.engines().launch(config, applicationLoader);
        } catch (ResourceException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** An id of this definition and node that no engine leases: InitProducerId on it aborts nothing of ours. */
    private String probeTransactionalId() {
        String firstSlot = pool.ids().get(0);
        return firstSlot.substring(0, firstSlot.lastIndexOf('-')) + "-2pc-check";
    }

    private TwoPhaseCommitProbe.Verdict checkCluster(String probeTransactionalId, int transactionTimeoutMs) {
        try (TwoPhaseCommitProbe probe = TwoPhaseCommitProbe.open(connectionSettings(), Time.SYSTEM,
                JOURNAL_TIMEOUT.toMillis())) {
            return probe.check(probeTransactionalId, transactionTimeoutMs);
        }
    }

    private synchronized BranchRecovery recovery() throws ResourceException {
        if (recovery == null) {
            try {
                pool = TransactionalIdPool.forThisNode(transactions.idPrefix(), transactions.node(),
                        transactions.poolSize());
            } catch (IllegalArgumentException e) {
                throw new ResourceException(e.getMessage(), e);
            }
            BranchJournal journal = transactions.xa() ? kafkaJournal() : new NoBranchJournal();
            recovery = new BranchRecovery(journal, new CoordinatorBranchCompleter(connectionSettings(),
                    JOURNAL_TIMEOUT), pool::owns);
        }
        return recovery;
    }

    private BranchJournal kafkaJournal() {
        Map<String, Object> config = settings.producerConfig(adapter.nextClientId(settings.clientIdPrefix()
                + "-journal"));
        config.remove(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG);
        config.remove(ProducerConfig.PARTITIONER_CLASS_CONFIG);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        // The writer starts with the first prepare: a connection that only serves recovery scans starts no engine.
        Supplier<ProducerEngine> writer = () -> {
            try {
                return adapter.engines().launch(config, KafkaBranchJournal.class.getClassLoader());
            } catch (ResourceException e) {
                throw new IllegalStateException("The branch journal's writer could not start: " + e.getMessage(), e);
            }
        };
        return KafkaBranchJournal.withWriterOnFirstWrite(writer, transactions.journalTopic(), JOURNAL_TIMEOUT,
                journalReaders());
    }

    /** The journal's readers: the consumer side of the connection settings (address, security) only. */
    private Supplier<Consumer<byte[], byte[]>> journalReaders() {
        Map<String, Object> consumer = new HashMap<>();
        connectionSettings().forEach((key, value) -> {
            if (ConsumerConfig.configNames().contains(key) && !key.endsWith(".serializer")
                    && !key.equals(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG)) {
                consumer.put(key, value);
            }
        });
        consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, adapter.nextClientId(settings.clientIdPrefix() + "-journal-reader"));
        return KafkaBranchJournal.classicConsumers(consumer);
    }

    private Map<String, Object> connectionSettings() {
        return new HashMap<>(settings.settings());
    }
}
