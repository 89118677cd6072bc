package io.kafkara.engine.kafka;

import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.internals.ProducerInterceptors;
import org.apache.kafka.clients.producer.internals.RecordAccumulator;
import org.apache.kafka.clients.producer.internals.TransactionManager;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.record.internal.AbstractRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application-thread half of the producer: interceptors, serializers, partition choice (the caller's
 * {@link ApplicationPlugins}), metadata wait, size checks, then the append to the accumulator; it wakes the sender
 * loop when a batch became sendable. Errors the broker could also have reported (ApiException) complete the record's
 * future and callback; others are thrown.
 */
final class RecordSendPath {

    private static final Logger LOG = LoggerFactory.getLogger(RecordSendPath.class);

    /** The collaborators of the send path, as assembled for one engine. */
    record Parts(String clientId, Time time, RecordSizeLimits sizeLimits, MetadataWaiter metadataWaiter, RecordAccumulator accumulator,
                 TransactionManager transactionManager, Compression compression, long maxBlockMs, Sensor errors,
                 Runnable wakeSender) {
    }

    private final Parts p;
    /**
     * The topic name last found legal, compared by identity: an application sends to one constant string nearly
     * always, so the check runs once per topic string rather than per record. A plain field: a stale read only checks
     * again, and a String is safely published.
     */
    private String lastLegalTopic;

    RecordSendPath(Parts parts) {
        this.p = parts;
    }

    @SuppressWarnings("unchecked")
    <K, V> Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback, ApplicationPlugins plugins) {
        // A throwing interceptor is logged by ProducerInterceptors and the chain goes on with the previous record.
        ProducerRecord<Object, Object> intercepted = plugins.interceptors()
                .onSend((ProducerRecord<Object, Object>) record);
        return append(intercepted, callback, plugins);
    }

    private Future<RecordMetadata> append(ProducerRecord<Object, Object> record, Callback callback,
                                          ApplicationPlugins plugins) {
        ProducerInterceptors<Object, Object> interceptors = plugins.interceptors();
        EngineAppendCallbacks<Object, Object> callbacks = new EngineAppendCallbacks<>(callback, interceptors, record);
        try {
            String topic = record.topic();
            if (topic != lastLegalTopic) {
                TopicNameRule.check(topic);
                lastLegalTopic = topic;
            }
            long nowMs = p.time().milliseconds();
            MetadataWaiter.Answer metadata = p.metadataWaiter().await(record.topic(), record.partition(), nowMs,
                    p.maxBlockMs());
            nowMs += metadata.waitedMs();
            plugins.announce(metadata.cluster().clusterResource());
            long remainingWaitMs = Math.max(0, p.maxBlockMs() - metadata.waitedMs());
            byte[] key = serialize(plugins.keySerializer(), record, record.key(), ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
            byte[] value = serialize(plugins.valueSerializer(), record, record.value(),
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
            int partition = plugins.partitions().choose(record, key, value, metadata.cluster());
            Header[] headers = readOnly(record.headers()).toArray();
            int size = AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE,
                    p.compression().type(), key, value, headers);
            p.sizeLimits().check(record.topic(), size);
            long timestamp = record.timestamp() == null ? nowMs : record.timestamp();
            RecordAccumulator.RecordAppendResult result = p.accumulator().append(record.topic(), partition, timestamp,
                    key, value, headers, callbacks, remainingWaitMs, nowMs, metadata.cluster());
            // Only now is the partition known (the built-in partitioner may have chosen it during the append); the
            // sender will not drain a transactional batch before its partition was added to the transaction.
            if (p.transactionManager() != null) {
                p.transactionManager().maybeAddPartition(callbacks.topicPartition());
            }
            if (result.batchIsFull || result.newBatchCreated) {
                p.wakeSender().run();
            }
            return result.future;
        } catch (ApiException e) {
            LOG.debug("[clientId={}] Send to topic {} failed: {}", p.clientId(), record.topic(), e.toString());
            if (callback != null) {
                callback.onCompletion(callbacks.unknownMetadata(), e);
            }
            p.errors().record();
            interceptors.onSendError(record, callbacks.topicPartition(), e);
            if (p.transactionManager() != null) {
                p.transactionManager().maybeTransitionToErrorState(e);
            }
            return new FailedSendFuture(e);
        } catch (InterruptedException e) {
            p.errors().record();
            interceptors.onSendError(record, callbacks.topicPartition(), e);
            // InterruptException restores the thread's interrupt flag.
            throw new InterruptException(e);
        } catch (KafkaException e) {
            p.errors().record();
            interceptors.onSendError(record, callbacks.topicPartition(), e);
            throw e;
        } catch (RuntimeException e) {
            interceptors.onSendError(record, callbacks.topicPartition(), e);
            throw e;
        }
    }

    private static byte[] serialize(Serializer<Object> serializer, ProducerRecord<Object, Object> record, Object data,
                                    String setting) {
        try {
            return serializer.serialize(record.topic(), record.headers(), data);
        } catch (RuntimeException e) {
            String type = data == null ? "null" : data.getClass().getName();
            throw new SerializationException(String.format("Could not serialize the %s (%s) of a record for topic %s "
                    + "with %s = %s: %s", setting.startsWith("key") ? "key" : "value", type, record.topic(), setting,
                    serializer.getClass().getName(), e.getMessage()), e);
        }
    }

    /** Headers become read-only once the record is handed over: the batch keeps them until completion. */
    private static Headers readOnly(Headers headers) {
        if (headers instanceof RecordHeaders recordHeaders) {
            recordHeaders.setReadOnly();
        }
        return headers;
    }
}
