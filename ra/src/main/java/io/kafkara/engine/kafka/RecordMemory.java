package io.kafkara.engine.kafka;

import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.internals.BufferPool;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.utils.Time;

/**
 * One connection definition's record buffers: every engine of the definition (its shared engine and each
 * transactional one) allocates its batches from this one pool, so the definition's heap for records is its
 * {@code buffer.memory} however many engines it runs. A full pool makes a send wait up to {@code max.block.ms} and
 * then fail naming the limit, as in one producer.
 *
 * <p>Kafka's accumulator closes its pool when its engine closes; this pool ignores that (the other engines go on
 * allocating) and closes only with {@link #close()}, when the definition's engines are all gone. The pool's wait-time
 * metrics live in a registry of its own, not in the metrics of whichever engine came first.
 *
 * <p>An engine gets it through its settings under {@link #SETTING} (taken out before Kafka reads them).
 */
public final class RecordMemory implements AutoCloseable {

    /** The settings key under which {@link EngineAssembly} finds the definition's memory; never reaches Kafka. */
    public static final String SETTING = "io.kafkara.record.memory";

    private final long totalBytes;
    private final int batchSize;
    private final Metrics metrics;
    private final DefinitionPool pool;
    private volatile boolean closed;

    private RecordMemory(long totalBytes, int batchSize, Time time) {
        this.totalBytes = totalBytes;
        this.batchSize = batchSize;
        this.metrics = new Metrics(time);
        this.pool = new DefinitionPool(totalBytes, batchSize, metrics, time);
    }

    /** The memory for engines of these settings (their buffer.memory and batch.size, Kafka's defaults if unset). */
    public static RecordMemory of(Map<String, Object> settings, Time time) {
        // Kafka resolves the class settings through the context class loader: the caller's may not see Kafka.
        return ContextClassLoader.with(RecordMemory.class.getClassLoader(), () -> {
            Map<String, Object> kafkaSettings = ApplicationPlugins.withoutPluginClasses(settings);
            kafkaSettings.remove(SETTING);
            ProducerConfig config = new ProducerConfig(kafkaSettings);
            return new RecordMemory(config.getLong(ProducerConfig.BUFFER_MEMORY_CONFIG),
                    ProducerSettings.batchSize(config), time);
        });
    }

    /** The memory the settings carry, removed from them; null when they carry none (the engine has its own). */
    static RecordMemory takeFrom(Map<String, Object> settings) {
        Object memory = settings.remove(SETTING);
        if (memory == null || memory instanceof RecordMemory) {
            return (RecordMemory) memory;
        }
        throw new IllegalArgumentException(SETTING + " must be a RecordMemory, not " + memory.getClass().getName());
    }

    /** The pool for an engine of {@code config}, which must have the same buffer.memory and batch.size. */
    BufferPool poolFor(ProducerConfig config) {
        long engineMemory = config.getLong(ProducerConfig.BUFFER_MEMORY_CONFIG);
        int engineBatch = ProducerSettings.batchSize(config);
        if (engineMemory != totalBytes || engineBatch != batchSize) {
            throw new IllegalArgumentException("An engine with buffer.memory=" + engineMemory + " and batch.size="
                    + engineBatch + " cannot share the record memory of buffer.memory=" + totalBytes
                    + " and batch.size=" + batchSize);
        }
        return pool;
    }

    long totalBytes() {
        return totalBytes;
    }

    /** What no engine holds now: free pooled batches and never allocated memory. */
    long availableBytes() {
        return pool.availableMemory();
    }

    @Override
    public String toString() {
        return "record memory of buffer.memory=" + totalBytes + ", batch.size=" + batchSize;
    }

    /** Fails the sends still waiting for memory and refuses new allocations; for the definition's end. */
    /** True once {@link #close()} ran: the adapter stopped, and its next start sets up another memory. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        pool.closeForAll();
        metrics.close();
    }

    /** A BufferPool that one engine's close leaves open for the others. */
    private static final class DefinitionPool extends BufferPool {

        DefinitionPool(long memory, int poolableSize, Metrics metrics, Time time) {
            super(memory, poolableSize, metrics, time, "producer-metrics");
        }

        @Override
        public void close() {
            // One engine closed; the definition's other engines still allocate from this pool.
        }

        void closeForAll() {
            super.close();
        }
    }
}
