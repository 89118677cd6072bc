package io.kafkara.api;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;

/**
 * An application's handle on a pooled Kafka producer. Sends follow Kafka's producer semantics: the key and
 * value are serialized with the serializers configured for the connection factory (the classes as the calling
 * application sees them: its own, if it has classes of those names), and the record is
 * acknowledged according to the factory's {@code acks} (Kafka's default, {@code all}, unless the
 * administrator changed it).
 *
 * <p>A handle is cheap: obtain one per unit of work and close it (try-with-resources). After
 * {@link #close()} every method throws {@link IllegalStateException}.
 *
 * <pre>{@code
 * try (KafkaConnection kafka = factory.getConnection()) {
 *     RecordMetadata written = kafka.send(new ProducerRecord<>("orders", "order-42", json)).get();
 * }
 * }</pre>
 */
public interface KafkaConnection extends AutoCloseable {

    /**
     * Sends a record asynchronously.
     *
     * @return a future completed when the broker acknowledged the record, or failed with the reason
     */
    <K, V> Future<RecordMetadata> send(ProducerRecord<K, V> record);

    /**
     * Sends a record asynchronously and calls {@code callback} once it is acknowledged or has failed.
     * Callbacks run on the adapter's sender work thread: keep them short.
     */
    <K, V> Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback);

    /** Sends a record asynchronously, for applications that compose with {@link CompletionStage}. */
    <K, V> CompletionStage<RecordMetadata> sendAsync(ProducerRecord<K, V> record);

    /**
     * The partitions of a topic, fetching metadata if needed (bounded by {@code max.block.ms}).
     */
    List<PartitionInfo> partitionsFor(String topic);

    /**
     * Blocks until every record sent so far through this connection handle has completed (acknowledged or failed;
     * the send's future and callback tell which). Unlike {@code KafkaProducer.flush()}, it does not wait for the
     * records other callers and applications sent through the same shared producer, and it does not cut
     * {@code linger.ms} short: a record still lingering goes when its batch is due (within {@code linger.ms}, 5 ms
     * by Kafka's default).
     */
    void flush();

    /** Returns the connection to the pool. The producer behind it keeps running. Idempotent. */
    @Override
    void close();
}
