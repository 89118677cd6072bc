package io.kafkara.it.tx.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What read_committed readers of a one-partition topic see of one order. A marker, committed in a transaction of
 * its own after the order's, makes "all there is" checkable: once a read_committed reader sees the marker, the last
 * stable offset is past every record sent before it, so the order's transaction has ended one way or the other.
 */
final class CommittedValues {

    private final String bootstrapServers;
    private final String topic;

    CommittedValues(String bootstrapServers, String topic) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
    }

    /** The order's values once at least {@code count} are visible; fails after {@code within}. */
    List<String> awaitAtLeast(String order, int count, Duration within) {
        return valuesOf(order, readUntil(within, "at least " + count + " records of " + order,
                read -> valuesOf(order, read).size() >= count));
    }

    /**
     * Commits a marker after whatever the order sent, reads until it is visible (at most {@code within}: the order's
     * transaction must end by then) and returns every visible value of the order.
     */
    List<String> afterMarker(String order, Duration within) {
        String marker = "marker-" + UUID.randomUUID();
        commitMarker(marker);
        return valuesOf(order, readUntil(within, "the marker " + marker + " committed after " + order,
                read -> !valuesOf(marker, read).isEmpty()));
    }

    private void commitMarker(String marker) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, marker,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, marker, marker));
            producer.commitTransaction();
        }
    }

    private List<ConsumerRecord<String, String>> readUntil(Duration within, String expectation,
            java.util.function.Predicate<List<ConsumerRecord<String, String>>> done) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<ConsumerRecord<String, String>> read = new ArrayList<>();
            long deadline = System.nanoTime() + within.toNanos();
            while (!done.test(read)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Within " + within + " a read_committed reader of " + topic
                            + " did not see " + expectation + "; it read " + values(read));
                }
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
            return read;
        }
    }

    private static List<String> valuesOf(String key, List<ConsumerRecord<String, String>> records) {
        return records.stream().filter(r -> r.key().equals(key)).map(ConsumerRecord::value).toList();
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
