package io.kafkara.it.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.kafkara.it.Topics;
import io.kafkara.it.broker.KafkaCluster;
import io.kafkara.it.broker.SharedKafka;

/**
 * The reader against a real broker, written to by plain producers: a committed, an aborted and an open
 * transaction, and an acknowledged record behind the open one. The checker must find exactly the open
 * transaction, the partition it blocks, and the acknowledged record the blocked reader cannot reach.
 */
class CheckerIT {

    private static final String TOPIC = "checker-it";
    private static final String PREFIX = "checker-it-tx-";
    private static final TopicPartition FREE = new TopicPartition(TOPIC, 0);
    private static final TopicPartition BLOCKED = new TopicPartition(TOPIC, 1);
    /** Long enough to read a few records, short enough for the test: a stuck partition takes all of it. */
    private static final Duration BOUND = Duration.ofSeconds(3);

    @Test
    void findsTheOpenTransactionThePartitionItBlocksAndTheRecordBehindIt() throws Exception {
        KafkaCluster kafka = SharedKafka.get();
        Topics.create(kafka.bootstrapServers(), TOPIC, 2);
        History history = new History();

        try (KafkaProducer<String, String> committing = transactional(kafka, "committed");
                KafkaProducer<String, String> aborting = transactional(kafka, "aborted");
                KafkaProducer<String, String> leftOpen = transactional(kafka, "open");
                KafkaProducer<String, String> plain = producer(kafka, Map.of())) {
            committing.beginTransaction();
            committing.send(new ProducerRecord<>(TOPIC, FREE.partition(), "k1", "c1"));
            committing.send(new ProducerRecord<>(TOPIC, FREE.partition(), "k1", "c2"));
            committing.commitTransaction();
            history.transaction("committed", List.of(new KeyValue("k1", "c1"), new KeyValue("k1", "c2")),
                    Outcome.COMMITTED);

            aborting.beginTransaction();
            // Written before the abort: abortTransaction() drops records it has not sent yet.
            aborting.send(new ProducerRecord<>(TOPIC, FREE.partition(), "k2", "a1")).get(30, TimeUnit.SECONDS);
            aborting.abortTransaction();
            history.transaction("aborted", List.of(new KeyValue("k2", "a1")), Outcome.ROLLED_BACK);

            leftOpen.beginTransaction();
            leftOpen.send(new ProducerRecord<>(TOPIC, BLOCKED.partition(), "k3", "o1")).get(30, TimeUnit.SECONDS);
            history.transaction("open", List.of(new KeyValue("k3", "o1")), Outcome.UNKNOWN);

            plain.send(new ProducerRecord<>(TOPIC, BLOCKED.partition(), "k4", "n1")).get(30, TimeUnit.SECONDS);
            history.acknowledged("k4", "n1");

            Observation observation = new KafkaReader(kafka.bootstrapServers(), kafka.clientProperties())
                    .read(List.of(TOPIC), PREFIX, BOUND);
            CheckReport report = Checker.check(history, observation);

            // The aborted record is in the log, and only read_uncommitted shows it.
            assertTrue(observation.readUncommitted().stream().anyMatch(r -> "a1".equals(r.value())),
                    observation.readUncommitted()::toString);
            assertEquals(Map.of(Finding.LOST, 1, Finding.STUCK, 1, Finding.OPEN_TRANSACTION, 1,
                    Finding.IN_DOUBT_ABORTED, 1), nonZero(report), report::toString);
            assertEquals(List.of(BLOCKED + ": its last stable offset stayed below its end (an open transaction "
                    + "blocks it)"), report.examples(Finding.STUCK));
            assertEquals(List.of(PREFIX + "open is still open"), report.examples(Finding.OPEN_TRANSACTION));
            assertTrue(report.examples(Finding.LOST).get(0).contains("n1"), report.examples(Finding.LOST)::toString);
            // The open transaction blocks this topic's partition for its timeout: abort it for whoever reads next.
            leftOpen.abortTransaction();
        }
    }

    private static Map<Finding, Integer> nonZero(CheckReport report) {
        Map<Finding, Integer> counts = new EnumMap<>(Finding.class);
        for (Finding finding : Finding.values()) {
            if (report.count(finding) > 0) {
                counts.put(finding, report.count(finding));
            }
        }
        return counts;
    }

    private static KafkaProducer<String, String> transactional(KafkaCluster kafka, String name) {
        KafkaProducer<String, String> producer = producer(kafka,
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, PREFIX + name));
        producer.initTransactions();
        return producer;
    }

    private static KafkaProducer<String, String> producer(KafkaCluster kafka, Map<String, Object> settings) {
        Map<String, Object> config = new HashMap<>(kafka.clientProperties());
        config.putAll(settings);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }
}
