package io.kafkara.it.check;

import org.apache.kafka.common.TopicPartition;

/** A record as a consumer read it; {@code key} and {@code value} may be null for records no scenario wrote. */
public record ObservedRecord(TopicPartition partition, long offset, String key, String value) {

    @Override
    public String toString() {
        return value + " at " + partition + "@" + offset;
    }
}
