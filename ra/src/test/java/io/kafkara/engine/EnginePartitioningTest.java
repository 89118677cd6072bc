package io.kafkara.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/** Partition choice: explicit, murmur2 of the key, custom Partitioner, built-in sticky for records without key. */
class EnginePartitioningTest {

    private static int partitionOf(EngineHarness h, ProducerRecord<String, String> record) throws Exception {
        Future<RecordMetadata> sent = h.engine.send(record, null);
        // send produce request and receive the acknowledgement
        h.stepUntil(() -> {
            if (h.producesInFlight() > 0) {
                h.broker.answerOldestProduce(org.apache.kafka.common.protocol.Errors.NONE);
            }
            return sent.isDone();
        }, "the record to be acknowledged");
        return sent.get().partition();
    }

    @Test
    void anExplicitPartitionWinsOverTheKey() throws Exception {
        try (EngineHarness h = new EngineHarness(Map.of())) {
            h.initProducerId();
            assertEquals(2, partitionOf(h, new ProducerRecord<>(EngineHarness.TOPIC, 2, "key", "v")));
        }
    }

    @Test
    void aKeyedRecordGoesToMurmur2OfItsSerializedKey() throws Exception {
        try (EngineHarness h = new EngineHarness(Map.of())) {
            h.initProducerId();
            for (String key : List.of("customer-1", "customer-2", "customer-42")) {
                int expected = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8)))
                        % EngineHarness.PARTITIONS;
                assertEquals(expected, partitionOf(h, new ProducerRecord<>(EngineHarness.TOPIC, key, "v")), key);
            }
        }
    }

    @Test
    void aConfiguredPartitionerDecidesForRecordsWithoutExplicitPartition() throws Exception {
        FixedPartitioner.CALLS.set(0);
        try (EngineHarness h = new EngineHarness(Map.of(ProducerConfig.PARTITIONER_CLASS_CONFIG,
                FixedPartitioner.class.getName()))) {
            h.initProducerId();
            assertEquals(1, partitionOf(h, new ProducerRecord<>(EngineHarness.TOPIC, "customer-42", "v")));
            assertEquals(1, partitionOf(h, new ProducerRecord<>(EngineHarness.TOPIC, "v")));
            assertEquals(2, FixedPartitioner.CALLS.get());
        }
    }

    @Test
    void recordsWithoutKeyStickToOnePartitionChosenByTheAccumulator() throws Exception {
        try (EngineHarness h = new EngineHarness(Map.of(ProducerConfig.LINGER_MS_CONFIG, 60_000))) {
            h.initProducerId();
            List<Integer> partitions = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, "v" + i),
                        (metadata, error) -> partitions.add(metadata.partition()));
            }
            // linger over: send produce request, receive the acknowledgement
            h.time.sleep(60_000);
            h.stepUntil(() -> {
                if (h.producesInFlight() > 0) {
                    h.broker.answerOldestProduce(org.apache.kafka.common.protocol.Errors.NONE);
                }
                return partitions.size() == 5;
            }, "all five records to be acknowledged");

            assertEquals(5, partitions.stream().filter(p -> p.equals(partitions.get(0))).count(),
                    "sticky: one partition for the whole batch, got " + partitions);
            assertTrue(partitions.get(0) >= 0 && partitions.get(0) < EngineHarness.PARTITIONS);
        }
    }
}
