package io.kafkara.engine.kafka;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.internals.ProducerInterceptors;
import org.apache.kafka.clients.producer.internals.RecordAccumulator;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * What the accumulator calls back for one record: it learns the partition the built-in partitioner picked, and on
 * completion tells the interceptors first and the application's callback second (Kafka's order). It keeps only the
 * record's topic, partition and headers, not the record, so a batch does not pin the application's objects.
 */
final class EngineAppendCallbacks<K, V> implements RecordAccumulator.AppendCallbacks {

    private final Callback userCallback;
    private final ProducerInterceptors<K, V> interceptors;
    private final String topic;
    private final Integer requestedPartition;
    private final Headers headers;
    private volatile int partition = RecordMetadata.UNKNOWN_PARTITION;

    EngineAppendCallbacks(Callback userCallback, ProducerInterceptors<K, V> interceptors, ProducerRecord<K, V> record) {
        this.userCallback = userCallback;
        this.interceptors = interceptors;
        this.topic = record.topic();
        this.requestedPartition = record.partition();
        this.headers = record.headers();
    }

    @Override
    public void setPartition(int partition) {
        this.partition = partition;
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception exception) {
        RecordMetadata known = metadata != null ? metadata : unknownMetadata();
        interceptors.onAcknowledgement(known, exception, headers);
        if (userCallback != null) {
            userCallback.onCompletion(known, exception);
        }
    }

    /** The partition chosen so far: the accumulator's choice, else the record's own, else unknown (-1). */
    TopicPartition topicPartition() {
        if (partition != RecordMetadata.UNKNOWN_PARTITION) {
            return new TopicPartition(topic, partition);
        }
        return new TopicPartition(topic, requestedPartition != null ? requestedPartition : RecordMetadata.UNKNOWN_PARTITION);
    }

    /** Metadata for a failure that happened before the record had an offset. */
    RecordMetadata unknownMetadata() {
        return new RecordMetadata(topicPartition(), -1, -1, RecordBatch.NO_TIMESTAMP, -1, -1);
    }
}
