package io.kafkara.it.tx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic as a read_committed consumer would: only records of committed transactions. */
public final class CommittedReader {

    private CommittedReader() {
    }

    /**
     * Reads from the beginning until the records satisfy {@code done}, at most 30 s; returns what was read. For
     * "nothing visible" checks the caller first commits a later marker transaction and waits for it, so the last
     * stable offset is past everything sent before it.
     */
    public static List<ConsumerRecord<String, String>> readUntil(String bootstrapServers, String topic,
                                                                 Predicate<List<ConsumerRecord<String, String>>> done) {
        return readUntil(bootstrapServers, topic, "read_committed", done);
    }

    /**
     * As {@link #readUntil(String, String, Predicate)} with the given isolation level: read_uncommitted also sees the
     * records of aborted transactions, so a test can prove that a transaction it expects to be invisible sent them.
     */
    public static List<ConsumerRecord<String, String>> readUntil(String bootstrapServers, String topic, String isolation,
                                                          Predicate<List<ConsumerRecord<String, String>>> done) {
        return readUntil(bootstrapServers, topic, isolation, Duration.ofSeconds(30), done);
    }

    /** As {@link #readUntil(String, String, String, Predicate)}, for at most {@code within}. */
    public static List<ConsumerRecord<String, String>> readUntil(String bootstrapServers, String topic, String isolation,
                                                                 Duration within,
                                                                 Predicate<List<ConsumerRecord<String, String>>> done) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, String>> read = new ArrayList<>();
            long deadline = System.nanoTime() + within.toNanos();
            while (!done.test(read)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Within " + within.toSeconds() + " s, a " + isolation + " reader of " + topic + " read only "
                            + read);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
            return read;
        }
    }

    /** Every record of the (one-partition) branch journal topic, tombstones included, up to its current end. */
    public static List<ConsumerRecord<byte[], byte[]>> journal(String bootstrapServers, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(partition) < end) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("The branch journal " + topic + " could not be read to offset " + end);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
            return read;
        }
    }
}
