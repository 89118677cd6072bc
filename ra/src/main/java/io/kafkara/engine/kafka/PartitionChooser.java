package io.kafkara.engine.kafka;

import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.Cluster;

/**
 * Chooses a record's partition in the producer's order of precedence: the record's own partition, the configured
 * {@link Partitioner}, murmur2 of the serialized key, else "unknown" (-1) so that the accumulator's built-in
 * sticky/adaptive partitioner picks one when it appends.
 */
final class PartitionChooser {

    private final Partitioner partitioner;
    private final boolean ignoreKeys;

    PartitionChooser(Partitioner partitioner, boolean ignoreKeys) {
        this.partitioner = partitioner;
        this.ignoreKeys = ignoreKeys;
    }

    /** Whether a partitioner class was configured (the built-in partitioning applies otherwise). */
    boolean isCustom() {
        return partitioner != null;
    }

    int choose(ProducerRecord<?, ?> record, byte[] serializedKey, byte[] serializedValue, Cluster cluster) {
        if (record.partition() != null) {
            return record.partition();
        }
        if (partitioner != null) {
            int chosen = partitioner.partition(record.topic(), record.key(), serializedKey, record.value(),
                    serializedValue, cluster);
            if (chosen < 0) {
                throw new IllegalArgumentException(String.format("The %s %s chose partition %d for topic %s; "
                        + "a partition number must be non-negative.", ProducerConfig.PARTITIONER_CLASS_CONFIG,
                        partitioner.getClass().getName(), chosen, record.topic()));
            }
            return chosen;
        }
        if (serializedKey != null && !ignoreKeys) {
            return BuiltInPartitioner.partitionForKey(serializedKey, cluster.partitionsForTopic(record.topic()).size());
        }
        return RecordMetadata.UNKNOWN_PARTITION;
    }
}
