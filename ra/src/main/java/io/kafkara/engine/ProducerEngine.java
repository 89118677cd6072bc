package io.kafkara.engine;

import jakarta.resource.spi.work.HintsContext;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkara.engine.kafka.ApplicationPlugins;
import io.kafkara.engine.kafka.EngineAssembly;
import io.kafkara.engine.kafka.KafkaClientFactory;
import io.kafkara.engine.kafka.MaskedSettings;
import io.kafkara.engine.kafka.ProducerPipeline;

/**
 * One producer engine: the seeds' pipeline over kafka-clients internals; its sender loop runs as a container Work.
 * Thread-safe.
 *
 * <pre>{@code
 * ProducerEngine engine = ProducerEngine.create(settings, applicationClassLoader);
 * workManager.startWork(engine.senderWork(), WorkManager.INDEFINITE, executionContextWith(engine.workContext()), listener);
 * engine.send(new ProducerRecord<>("orders", key, value), null);
 * ...
 * engine.close(Duration.ofSeconds(30));
 * }</pre>
 *
 * Records sent before the Work starts wait in the accumulator. If the loop ends while the engine is not closing,
 * every later call fails at once with an {@link EngineStoppedException} naming the client id and the cause.
 */
public final class ProducerEngine {

    private static final Logger LOG = LoggerFactory.getLogger(ProducerEngine.class);

    /** How long close waits for a force-closed loop: it only has to leave its current poll and fail what is left. */
    private static final long FORCED_END_WAIT_MS = 30_000;

    private final ProducerPipeline pipeline;
    private final SenderLoopState loop;
    private final SenderWork work;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    /** Set once the container did not start the loop's Work in time; every later call throws it. */
    private volatile SenderNotStartedException notStarted;
    private final BrokerReachability reachability;
    /** Run once, before the metrics and plug-ins are released: what reads the engine's totals last. */
    private final List<Runnable> beforeRelease = new CopyOnWriteArrayList<>();
    /** Set once the metrics are closed: until then the before-release actions may read them. */
    private volatile boolean metricsClosed;

    private ProducerEngine(ProducerPipeline pipeline, SenderLoopState loop, Time time) {
        this.pipeline = pipeline;
        this.loop = loop;
        this.work = new SenderWork(pipeline, loop);
        this.reachability = new BrokerReachability(pipeline::lastBrokerContactMs, pipeline::requestBrokerContact,
                time::milliseconds, pipeline.maxBlockMs());
    }

    /**
     * Builds an engine. producerConfig holds only what the user set (+ client.id, which the caller always sets);
     * serializer/partitioner/interceptor classes named in it are loaded through classLoader (the calling
     * application's, fallback the adapter's). Validates config: a ConfigException naming the key/value on bad input.
     * Does not start anything.
     */
    public static ProducerEngine create(Map<String, Object> producerConfig, ClassLoader classLoader) {
        return create(producerConfig, classLoader, Time.SYSTEM, null);
    }

    /**
     * As {@link #create(Map, ClassLoader)}, with the clock and the network client injected (for tests and tools).
     *
     * @param clientFactory creates the network client over the engine's metadata; null for Kafka's NetworkClient
     */
    static ProducerEngine create(Map<String, Object> producerConfig, ClassLoader classLoader, Time time,
                                 KafkaClientFactory clientFactory) {
        Objects.requireNonNull(producerConfig, "producerConfig");
        Objects.requireNonNull(time, "time");
        Map<String, Object> settings = new HashMap<>(producerConfig);
        LOG.debug("Creating producer engine with settings {}", MaskedSettings.describe(settings));
        SenderLoopState loop = new SenderLoopState(time);
        ProducerPipeline pipeline = EngineAssembly.assemble(settings, classLoader, time, clientFactory,
                loop::isLoopThread);
        return new ProducerEngine(pipeline, loop, time);
    }

    /** The Kafka client id: in metrics, MBean names, the Work's name and every log line. */
    public String clientId() {
        return pipeline.clientId();
    }

    /** The sender loop as a long-running Work; submit it once. */
    public SenderWork senderWork() {
        return work;
    }

    /**
     * The container accepted {@link #senderWork()}: if it has not started it within max.block.ms from now, the
     * engine gives up at its next call ({@link SenderNotStartedException}) instead of letting callers hang.
     */
    public void workSubmitted() {
        loop.markSubmitted();
    }

    /** The hints to submit {@link #senderWork()} with: long-running, named "kafka-ra-sender-" + client id. */
    public HintsContext workContext() {
        String name = "kafka-ra-sender-" + clientId();
        HintsContext hints = new HintsContext();
        hints.setName(name);
        hints.setDescription("Kafka producer sender loop of client " + clientId());
        hints.setHint(HintsContext.NAME_HINT, name);
        hints.setHint(HintsContext.LONGRUNNING_HINT, Boolean.TRUE);
        return hints;
    }

    /**
     * Sends a record as the Kafka producer does: errors the broker could report complete the returned future and the
     * callback (which may be null); serialization and configuration errors are thrown.
     */
    public <K, V> Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
        return guarded(() -> pipeline.send(record, callback));
    }

    /**
     * As {@link #send(ProducerRecord, Callback)}, through the caller's own plug-ins (serializers, partitioner,
     * interceptors) instead of the engine's: how an application's records use its own classes on a shared engine.
     */
    public <K, V> Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback,
                                              ApplicationPlugins plugins) {
        Objects.requireNonNull(plugins, "plugins");
        return guarded(() -> pipeline.send(record, callback, plugins));
    }

    /**
     * Sends a record; the stage completes when the record is acknowledged or fails, including failures that
     * {@link #send} would throw. Only a closed or stopped engine throws at once.
     */
    <K, V> CompletionStage<RecordMetadata> sendAsync(ProducerRecord<K, V> record) {
        return sendAsync(record, null);
    }

    /** As {@link #sendAsync(ProducerRecord)}, through the caller's plug-ins; null for the engine's own. */
    public <K, V> CompletionStage<RecordMetadata> sendAsync(ProducerRecord<K, V> record, ApplicationPlugins plugins) {
        ensureUsable();
        CompletableFuture<RecordMetadata> stage = new CompletableFuture<>();
        try {
            Callback completion = (metadata, exception) -> {
                if (exception != null) {
                    stage.completeExceptionally(exception);
                } else {
                    stage.complete(metadata);
                }
            };
            if (plugins == null) {
                send(record, completion);
            } else {
                send(record, completion, plugins);
            }
        } catch (RuntimeException e) {
            stage.completeExceptionally(e);
        }
        return stage;
    }

    /** The topic's partitions; waits for metadata up to max.block.ms (TimeoutException naming the topic). */
    public List<PartitionInfo> partitionsFor(String topic) {
        return guarded(() -> pipeline.partitionsFor(topic));
    }

    /** Makes buffered records sendable now and waits until all sent so far completed. Not from a send callback. */
    void flush() {
        if (loop.isLoopThread()) {
            LOG.error("KAFKARA-ENG-007: [clientId={}] flush() called from a send callback; refused, it would "
                    + "deadlock the sender loop", clientId());
            throw new KafkaException("flush() must not be called from a send callback of producer engine "
                    + clientId() + ": it would deadlock the sender loop");
        }
        run(pipeline::flush);
    }

    /**
     * Stops accepting records, lets the loop drain for up to timeout, then forces it (unacknowledged records fail),
     * and releases metrics, serializers, interceptors and partitioner. Idempotent; on an engine closing in the
     * background it gives the loop the timeout to finish, then forces it.
     */
    public void close(Duration timeout) {
        long timeoutMs = timeout.toMillis();
        if (timeoutMs < 0) {
            throw new IllegalArgumentException("The close timeout must not be negative: " + timeout);
        }
        boolean first = closed.compareAndSet(false, true);
        try {
            if (first) {
                LOG.info("[clientId={}] Closing the producer engine, waiting up to {} ms for pending requests",
                        clientId(), timeoutMs);
                loop.markClosing();
                stopLoop(timeoutMs);
            } else if (!loop.hasEnded()) {
                forceAfter(timeoutMs);
            }
        } finally {
            if (first || loop.hasEnded()) {
                releaseResources();
            }
        }
    }

    /**
     * Stops accepting records and lets the sender loop finish what it has on its own Work, a pending commit or abort
     * included (Kafka's Sender completes pending transactional requests before it ends), without waiting for it:
     * for an engine whose transaction outcome is not known yet, which must not be forced. Its resources go when the
     * loop ends; {@link #close(Duration)} (the adapter's stop) still forces it after its timeout.
     */
    public void closeInBackground() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.info("[clientId={}] Closing the producer engine in the background: its sender loop finishes its pending "
                + "requests first", clientId());
        loop.markClosing();
        if (loop.claimUnstarted()) {
            pipeline.abandonLoop();
            releaseResources();
            return;
        }
        // Released by the thread that ends the loop (the container's), or here if it has ended already.
        loop.afterEnd(this::releaseResources);
        pipeline.initiateClose();
    }

    /** Runs {@code action} once the sender loop has ended (at once if it has, or if it never started and is claimed). */
    public void afterLoopEnded(Runnable action) {
        loop.afterEnd(action);
    }

    /** Runs {@code action} once, just before the engine releases its metrics (at its close, or its loop's end). */
    public void beforeRelease(Runnable action) {
        beforeRelease.add(action);
        if (released.get()) {
            beforeRelease.remove(action);
        }
    }

    /** A metric of Kafka's producer-metrics group of this engine, now; NaN once its metrics are released. */
    public double producerMetric(String name) {
        return metricsClosed ? Double.NaN : pipeline.producerMetric(name);
    }

    /**
     * How long this engine has been without an answer from any broker, probing when its last one is not recent
     * (so an idle engine finds out too): 0 while it reaches one. See {@link #maxBlockMs()} for what is too long.
     */
    public long unreachableForMs() {
        return reachability.unreachableForMs();
    }

    /** Whether the engine was closed (its loop may still be finishing). */
    public boolean isClosed() {
        return closed.get();
    }

    /** The engine's max.block.ms. */
    public long maxBlockMs() {
        return pipeline.maxBlockMs();
    }

    private void releaseResources() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        for (Runnable action : beforeRelease) {
            try {
                action.run();
            } catch (RuntimeException | LinkageError e) {
                // A LinkageError: the container removed the adapter's classes before it stopped it (Open Liberty);
                // the engine's own resources are released all the same.
                LOG.debug("[clientId={}] An action before the engine's release failed", clientId(), e);
            }
        }
        metricsClosed = true;
        pipeline.closeResources().ifPresent(failure -> LOG.warn(
                "KAFKARA-ENG-006: [clientId={}] releasing the engine's resources failed: {}", clientId(),
                failure.toString()));
        LOG.debug("[clientId={}] Producer engine closed", clientId());
    }

    /** False once the engine closed, its Work ended unexpectedly, or the container did not start it in time. */
    public boolean isAlive() {
        return !closed.get() && !loop.isClosing() && loop.deathCause() == null && !loop.hasEnded()
                && !startOverdue(loop.unstartedForMs());
    }

    /** Whether a Work that has waited {@code waitingMs} for a thread (-1: started, or never submitted) is too late. */
    private boolean startOverdue(long waitingMs) {
        return waitingMs >= 0 && waitingMs >= pipeline.maxBlockMs();
    }

    /** Obtains the producer id and epoch for transactional.id, fencing older instances; waits up to max.block.ms. */
    public void initTransactions() {
        run(pipeline::initTransactions);
    }

    /** Starts a transaction (client state only); records sent from now on belong to it. */
    public void beginTransaction() {
        run(pipeline::beginTransaction);
    }

    /** Flushes, then moves the transaction to prepared (first phase of a two-phase commit; client state only). */
    public void prepareTransaction() {
        run(pipeline::prepareTransaction);
    }

    /** Flushes the transaction's records and commits it at the coordinator; waits up to max.block.ms. */
    void commitTransaction() {
        commitTransaction(Duration.ofMillis(pipeline.maxBlockMs()));
    }

    /**
     * As {@link #commitTransaction()}, waiting up to {@code timeout}. After Kafka's TimeoutException the commit goes
     * on: only calling this again (which waits for the same request) is allowed, not an abort.
     */
    public void commitTransaction(Duration timeout) {
        run(() -> pipeline.commitTransaction(timeout.toMillis()));
    }

    /** Aborts the transaction at the coordinator, waiting up to {@code timeout}. */
    public void abortTransaction(Duration timeout) {
        run(() -> pipeline.abortTransaction(timeout.toMillis()));
    }

    /** The transactional.id, or null for an engine without one. */
    public String transactionalId() {
        return pipeline.transactionalId();
    }

    /** How many records were sent since {@link #beginTransaction()}: zero means the transaction wrote nothing. */
    public long sendsInTransaction() {
        return pipeline.sendsInTransaction();
    }

    /** The producer id and epoch of the transaction after {@link #prepareTransaction()}; what recovery needs. */
    public ProducerIdentity preparedIdentity() {
        long[] prepared = guarded(pipeline::preparedProducerIdAndEpoch);
        return new ProducerIdentity(prepared[0], (short) prepared[1]);
    }

    /** The assembled pipeline, for tests that step the sender loop by hand. */
    ProducerPipeline pipeline() {
        return pipeline;
    }

    private void stopLoop(long timeoutMs) {
        if (loop.claimUnstarted()) {
            // No container thread ever ran the loop, so nothing can be drained: fail what is buffered.
            if (pipeline.hasIncompleteRecords()) {
                    LOG.warn("KAFKARA-ENG-002: [clientId={}] closed before its sender Work started; records not yet "
                        + "sent are failed", clientId());
            }
            pipeline.abandonLoop();
            return;
        }
        if (loop.isLoopThread()) {
            // Waiting here would wait for ourselves.
            LOG.warn("KAFKARA-ENG-005: [clientId={}] close() called from a send callback; not waiting {} ms, "
                    + "unacknowledged records fail", clientId(), timeoutMs);
            pipeline.forceClose();
            return;
        }
        pipeline.initiateClose();
        forceAfter(timeoutMs);
    }

    private void forceAfter(long timeoutMs) {
        if (loop.awaitEnd(timeoutMs)) {
            return;
        }
        LOG.warn("KAFKARA-ENG-003: [clientId={}] pending requests did not complete within the close timeout of {} ms;"
                + " forcing close, unacknowledged records fail", clientId(), timeoutMs);
        pipeline.forceClose();
        if (!loop.awaitEnd(FORCED_END_WAIT_MS)) {
            LOG.warn("KAFKARA-ENG-004: [clientId={}] the sender loop did not end within {} ms of a forced close; its "
                    + "Work may still hold a container thread", clientId(), FORCED_END_WAIT_MS);
        }
    }

    private void run(Runnable operation) {
        guarded(() -> {
            operation.run();
            return null;
        });
    }

    /**
     * Runs an operation on a usable engine; a failure caused by the loop's death is reported as that death, and one
     * that only waited for a loop the container never started (a metadata or InitProducerId timeout) as that.
     */
    private <T> T guarded(Supplier<T> operation) {
        ensureUsable();
        T result;
        try {
            result = operation.get();
        } catch (KafkaException | IllegalStateException e) {
            Throwable cause = loop.deathCause();
            if (cause != null && !(e instanceof EngineStoppedException)) {
                throw new EngineStoppedException(clientId(), cause);
            }
            giveUpIfTheWorkDidNotStart();
            throw e;
        }
        if (result instanceof Future<?> sent && sent.isDone()) {
            // A send that waited max.block.ms for metadata no loop fetched: say why, on the caller's thread.
            giveUpIfTheWorkDidNotStart();
        }
        return result;
    }

    /**
     * The caller's check, there is no timer: once the submitted Work has waited max.block.ms for a thread, the
     * engine claims its loop (a late start then does nothing), fails what it buffered and refuses every call.
     */
    private void giveUpIfTheWorkDidNotStart() {
        long waiting = loop.unstartedForMs();
        if (!startOverdue(waiting)) {
            return;
        }
        SenderNotStartedException refusal = new SenderNotStartedException(clientId(), waiting, pipeline.maxBlockMs());
        if (loop.claimUnstarted()) {
            notStarted = refusal;
            LOG.error(refusal.getMessage());
            closed.set(true);
            loop.markClosing();
            pipeline.abandonLoop();
            releaseResources();
        }
        if (notStarted != null) {
            throw notStarted;
        }
    }

    private void ensureUsable() {
        Throwable cause = loop.deathCause();
        if (cause != null) {
            throw new EngineStoppedException(clientId(), cause);
        }
        SenderNotStartedException refused = notStarted;
        if (refused != null) {
            throw refused;
        }
        giveUpIfTheWorkDidNotStart();
        if (closed.get() || loop.isClosing()) {
            throw new IllegalStateException("Producer engine " + clientId() + " is closed");
        }
    }
}
