package io.kafkara.engine.kafka;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.internals.KafkaProducerMetrics;
import org.apache.kafka.clients.producer.internals.ProducerMetadata;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Time;

/**
 * Waits, up to max.block.ms, until the metadata knows a topic (and the requested partition). The sender loop does
 * the fetching; this side only asks for an update, wakes the loop and waits on the metadata's version.
 */
final class MetadataWaiter {

    /** The cluster view that answered, and how long the caller waited for it. */
    record Answer(Cluster cluster, long waitedMs) {
    }

    private final ProducerMetadata metadata;
    private final Time time;
    private final Runnable wakeSender;
    private final KafkaProducerMetrics producerMetrics;

    MetadataWaiter(ProducerMetadata metadata, Time time, Runnable wakeSender, KafkaProducerMetrics producerMetrics) {
        this.metadata = metadata;
        this.time = time;
        this.wakeSender = wakeSender;
        this.producerMetrics = producerMetrics;
    }

    Answer await(String topic, Integer partition, long nowMs, long maxWaitMs) throws InterruptedException {
        Cluster cluster = metadata.fetch();
        if (cluster.invalidTopics().contains(topic)) {
            throw new InvalidTopicException(topic);
        }
        // Registering the topic (again) keeps it in the producer's metadata and resets its idle expiry.
        metadata.add(topic, nowMs);
        Integer partitionCount = cluster.partitionCountForTopic(topic);
        if (covers(partitionCount, partition)) {
            return new Answer(cluster, 0);
        }
        long startNs = time.nanoseconds();
        long elapsedMs = 0;
        do {
            metadata.add(topic, nowMs + elapsedMs);
            int version = metadata.requestUpdateForTopic(topic);
            wakeSender.run();
            try {
                metadata.awaitUpdate(version, maxWaitMs - elapsedMs);
            } catch (TimeoutException e) {
                throw timeout(topic, partition, partitionCount, maxWaitMs);
            } catch (KafkaException e) {
                if (metadata.isClosed()) {
                    throw new KafkaException("The producer engine closed while waiting for metadata of topic " + topic, e);
                }
                throw e;
            }
            cluster = metadata.fetch();
            elapsedMs = time.milliseconds() - nowMs;
            if (elapsedMs >= maxWaitMs) {
                throw timeout(topic, partition, partitionCount, maxWaitMs);
            }
            metadata.maybeThrowExceptionForTopic(topic);
            partitionCount = cluster.partitionCountForTopic(topic);
        } while (!covers(partitionCount, partition));
        producerMetrics.recordMetadataWait(time.nanoseconds() - startNs);
        return new Answer(cluster, elapsedMs);
    }

    private static boolean covers(Integer partitionCount, Integer partition) {
        return partitionCount != null && (partition == null || partition < partitionCount);
    }

    private TimeoutException timeout(String topic, Integer partition, Integer partitionCount, long maxWaitMs) {
        String message = partitionCount == null
                ? String.format("Topic %s not present in metadata after %d ms (%s). Check that the topic exists and "
                        + "the brokers are reachable.", topic, maxWaitMs, ProducerConfig.MAX_BLOCK_MS_CONFIG)
                : String.format("Partition %d of topic %s with partition count %d is not present in metadata after "
                        + "%d ms (%s).", partition, topic, partitionCount, maxWaitMs, ProducerConfig.MAX_BLOCK_MS_CONFIG);
        Errors error = metadata.getError(topic);
        return error != null ? new TimeoutException(message, error.exception()) : new TimeoutException(message);
    }
}
