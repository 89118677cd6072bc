package io.kafkara.engine;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;

/** A custom partitioner (configured by class name) that always answers partition 1 and counts its calls. */
public class FixedPartitioner implements Partitioner {

    static final AtomicInteger CALLS = new AtomicInteger();

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        CALLS.incrementAndGet();
        return 1;
    }

    @Override
    public void close() {
        // Nothing to release.
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // Nothing to configure.
    }
}
