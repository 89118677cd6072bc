package io.kafkara.engine.kafka;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.KafkaClient;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.internals.KafkaProducerMetrics;
import org.apache.kafka.clients.producer.internals.ProducerMetadata;
import org.apache.kafka.clients.producer.internals.RecordAccumulator;
import org.apache.kafka.clients.producer.internals.Sender;
import org.apache.kafka.clients.producer.internals.TransactionManager;
import org.apache.kafka.clients.producer.internals.TransactionalRequestResult;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.telemetry.internals.ClientTelemetryReporter;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.common.utils.ProducerIdAndEpoch;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;

/**
 * The assembled producer: the send path on the application side, the {@link Sender} loop on the container side, and
 * everything they share. It has no thread of its own; whoever owns the loop calls {@link #runSenderLoop()}. Built by
 * {@link EngineAssembly}; this is the only door through which the engine reaches kafka-clients internals.
 */
public final class ProducerPipeline {

    /** Everything an assembled pipeline holds, in the order it was built. */
    record Parts(String clientId, Time time, Metrics metrics,
                 KafkaProducerMetrics producerMetrics, ApplicationPlugins defaults,
                 Optional<ClientTelemetryReporter> telemetry,
                 ProducerMetadata metadata, RecordAccumulator accumulator, TransactionManager transactionManager,
                 KafkaClient client, Sender sender, RecordSendPath sendPath, MetadataWaiter metadataWaiter,
                 long maxBlockMs) {
    }

    static final String JMX_PREFIX = "kafka.producer";
    /** The group of Kafka's producer-wide metrics. */
    static final String PRODUCER_METRICS_GROUP = "producer-metrics";

    private final Parts p;
    /** Records handed to the accumulator since the transaction began: zero means a read-only branch. */
    private final AtomicLong sendsInTransaction = new AtomicLong();

    ProducerPipeline(Parts parts) {
        this.p = parts;
    }

    public String clientId() {
        return p.clientId();
    }

    /** The configured max.block.ms: the bound of every blocking call on the application side. */
    public long maxBlockMs() {
        return p.maxBlockMs();
    }

    /** Whether transactional.id is set, so that the transaction operations apply. */
    boolean isTransactional() {
        return p.transactionManager() != null && p.transactionManager().isTransactional();
    }

    /** Sends with the engine's own plug-ins. */
    public <K, V> Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
        return send(record, callback, p.defaults());
    }

    /** Sends with the caller's plug-ins (serializers, partitioner, interceptors). */
    public <K, V> Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback,
                                              ApplicationPlugins plugins) {
        Future<RecordMetadata> future = p.sendPath().send(record, callback, plugins);
        // Counted even when the future already failed: the failure put the transaction into an abortable state.
        sendsInTransaction.incrementAndGet();
        return future;
    }

    public List<PartitionInfo> partitionsFor(String topic) {
        Objects.requireNonNull(topic, "topic");
        try {
            return p.metadataWaiter().await(topic, null, p.time().milliseconds(), p.maxBlockMs())
                    .cluster().partitionsForTopic(topic);
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        }
    }

    /** Makes every buffered record sendable now and waits until each has completed (acknowledged or failed). */
    public void flush() {
        long startNs = p.time().nanoseconds();
        p.accumulator().beginFlush();
        p.sender().wakeup();
        try {
            p.accumulator().awaitFlushCompletion();
        } catch (InterruptedException e) {
            throw new InterruptException("Flush interrupted.", e);
        } finally {
            p.producerMetrics().recordFlush(p.time().nanoseconds() - startNs);
        }
    }

    /** Runs the sender loop on the calling thread until the pipeline is closed; then drains or aborts. */
    public void runSenderLoop() {
        p.sender().run();
    }

    /** Stops accepting records and lets the loop drain what is buffered and in flight, then end. */
    public void initiateClose() {
        p.telemetry().ifPresent(ClientTelemetryReporter::initiateClose);
        p.sender().initiateClose();
    }

    /** Tells the loop to end at once, failing everything not yet acknowledged. */
    public void forceClose() {
        p.sender().forceClose();
    }

    /**
     * Cleans up after a loop that will never run again (it died, or never started): fails every incomplete record and
     * pending transactional request and closes the network client.
     */
    public void abandonLoop() {
        p.sender().forceClose();
        // A force-closed Sender skips its loops and runs only its shutdown: it fails pending transactional requests
        // and incomplete batches and closes the network client, which is exactly the clean-up needed here.
        p.sender().run();
        // Wakes application threads waiting for metadata, so they fail now rather than after max.block.ms.
        p.metadata().close();
    }

    /** Whether some record was sent and has not completed yet. */
    public boolean hasIncompleteRecords() {
        return p.accumulator().hasIncomplete();
    }

    public void initTransactions() {
        requireTransactional();
        long startNs = p.time().nanoseconds();
        TransactionalRequestResult result = p.transactionManager().initializeTransactions(false);
        await(result, "InitProducerId: the transaction coordinator did not answer");
        p.producerMetrics().recordInit(p.time().nanoseconds() - startNs);
        p.transactionManager().maybeUpdateTransactionV2Enabled(true);
    }

    public void beginTransaction() {
        requireTransactional();
        long startNs = p.time().nanoseconds();
        p.transactionManager().beginTransaction();
        sendsInTransaction.set(0);
        p.producerMetrics().recordBeginTxn(p.time().nanoseconds() - startNs);
    }

    /** First phase of a two-phase commit: every record of the transaction is acknowledged, then the state moves. */
    public void prepareTransaction() {
        requireTransactional();
        long startNs = p.time().nanoseconds();
        flush();
        p.transactionManager().prepareTransaction();
        p.producerMetrics().recordPrepareTxn(p.time().nanoseconds() - startNs);
    }

    /** How many records were sent since the current transaction began; meaningful only inside a transaction. */
    public long sendsInTransaction() {
        return sendsInTransaction.get();
    }

    /** The transactional.id, or null for a non-transactional engine. */
    public String transactionalId() {
        return isTransactional() ? p.transactionManager().transactionalId() : null;
    }

    /**
     * The producer id and epoch of the prepared transaction, as {@code long[]{producerId, epoch}}: what must be
     * journaled so that another process can end the transaction after a crash.
     */
    public long[] preparedProducerIdAndEpoch() {
        requireTransactional();
        ProducerIdAndEpoch prepared = p.transactionManager().preparedTransactionState();
        if (prepared == null || !p.transactionManager().isPrepared() || !prepared.isValid()) {
            throw new IllegalStateException("Producer engine " + p.clientId() + " has no prepared transaction");
        }
        return new long[] {prepared.producerId, prepared.epoch};
    }

    /**
     * Commits, waiting up to {@code timeoutMs}. Kafka's rule after a TimeoutException: the commit goes on and must be
     * retried (calling this again waits for the same request); an abort is refused.
     */
    public void commitTransaction(long timeoutMs) {
        requireTransactional();
        long startNs = p.time().nanoseconds();
        await(p.transactionManager().beginCommit(), timeoutMs,
                "EndTxn(commit): the records may not all be acknowledged yet");
        p.producerMetrics().recordCommitTxn(p.time().nanoseconds() - startNs);
    }

    /** Aborts, waiting up to {@code timeoutMs}; after a TimeoutException only the abort may be retried. */
    public void abortTransaction(long timeoutMs) {
        requireTransactional();
        long startNs = p.time().nanoseconds();
        await(p.transactionManager().beginAbort(), timeoutMs,
                "EndTxn(abort): the transaction coordinator did not answer");
        p.producerMetrics().recordAbortTxn(p.time().nanoseconds() - startNs);
    }

    /**
     * Releases what the loop does not own: interceptors, serializers, partitioner, metrics and their MBeans. Returns
     * the first failure, if any, so that the caller decides how loud to be.
     */
    public Optional<Throwable> closeResources() {
        AtomicReference<Throwable> first = new AtomicReference<>();
        Utils.closeQuietly(p.defaults(), "producer plug-ins", first);
        Utils.closeQuietly(p.producerMetrics(), "producer metrics wrapper", first);
        Utils.closeQuietly(p.metrics(), "producer metrics", first);
        p.telemetry().ifPresent(reporter -> Utils.closeQuietly(reporter, "producer telemetry reporter", first));
        AppInfoParser.unregisterAppInfo(JMX_PREFIX, p.clientId(), p.metrics());
        return Optional.ofNullable(first.get());
    }

    /**
     * The value now of one metric of Kafka's producer-metrics group (this client id's, as Kafka's metric config
     * tags every name with it): a direct lookup. NaN when it has none or it is not a number.
     */
    public double producerMetric(String name) {
        Metric metric = p.metrics().metric(p.metrics().metricName(name, PRODUCER_METRICS_GROUP));
        return metric != null && metric.metricValue() instanceof Number number ? number.doubleValue() : Double.NaN;
    }

    /** When the engine last had an answer to a metadata request from a broker (0: never). */
    public long lastBrokerContactMs() {
        return p.metadata().lastSuccessfulUpdate();
    }

    /**
     * Asks the loop to fetch metadata now, from the least loaded broker, connecting if it must: how an idle engine
     * finds out whether any broker is reachable. The answer moves {@link #lastBrokerContactMs()}.
     */
    public void requestBrokerContact() {
        p.metadata().requestUpdate(false);
        p.sender().wakeup();
    }

    /** The sender loop's stepping handle, for tests that drive the loop by hand. */
    Sender sender() {
        return p.sender();
    }

    ProducerMetadata metadata() {
        return p.metadata();
    }

    TransactionManager transactionManager() {
        return p.transactionManager();
    }

    private void await(TransactionalRequestResult result, String reason) {
        await(result, p.maxBlockMs(), reason);
    }

    private void await(TransactionalRequestResult result, long timeoutMs, String reason) {
        p.sender().wakeup();
        result.await(timeoutMs, TimeUnit.MILLISECONDS, reason);
    }

    private void requireTransactional() {
        if (!isTransactional()) {
            throw new IllegalStateException("Producer engine " + p.clientId() + " has no "
                    + ProducerConfig.TRANSACTIONAL_ID_CONFIG + ": set it to use transactions");
        }
    }

    /** Closes the pieces of a half-built pipeline after a failed assembly. */
    static KafkaException closeAfterFailure(List<AutoCloseable> built, Throwable failure) {
        AtomicReference<Throwable> ignored = new AtomicReference<>();
        for (int i = built.size() - 1; i >= 0; i--) {
            Utils.closeQuietly(built.get(i), "partially built producer engine", ignored);
        }
        return failure instanceof KafkaException ke ? ke : new KafkaException("Failed to build the producer engine", failure);
    }
}
