package io.kafkara.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import io.kafkara.tx.BranchXid;
import io.kafkara.tx.KafkaBranchJournal;
import io.kafkara.tx.PreparedBranch;
import io.kafkara.tx.TxAccess;

/**
 * The journal's writes through a real (non-transactional) engine and sender loop: record and tombstone are produced
 * to the journal topic keyed by the Xid, and each call returns only once the broker acknowledged it.
 */
class EngineBranchJournalWriteTest {

    private static final String TOPIC = "kafka-ra-branches";
    private static final BranchXid X1 = TxAccess.xid(1, "x1".getBytes(StandardCharsets.UTF_8), new byte[] {1});
    private static final PreparedBranch BRANCH = new PreparedBranch(X1, "orders-node1-0",
            new ProducerIdentity(4711, (short) 2), 42);

    @Test
    void recordAndRemoveAreAcknowledgedBeforeTheyReturn() {
        try (EngineHarness h = journalEngine()) {
            List<String> produced = new ArrayList<>();
            h.stepOnWakeup(() -> {
                h.step();
                while (h.producesInFlight() > 0) {
                    h.broker.oldestProduce().batches().forEach((tp, batch) -> batch.forEach(r -> produced.add(
                            describe(tp, r))));
                    h.broker.answerOldestProduce(Errors.NONE);
                }
            }, () -> !h.engine.pipeline().hasIncompleteRecords(), "the journal write to be acknowledged");
            KafkaBranchJournal journal = TxAccess.journal(h.engine, TOPIC, Duration.ofSeconds(5),
                    EngineBranchJournalWriteTest::emptyTopic);

            journal.record(BRANCH);
            assertEquals(List.of(BRANCH), List.copyOf(journal.inDoubt()));
            journal.remove(X1);

            // value: version 1 + id length 2 + "orders-node1-0" 14 + producer id 8 + epoch 2 + prepared time 8
            assertEquals(List.of(TOPIC + "-0 key=" + hex(TxAccess.key(X1)) + " value=35 bytes",
                    TOPIC + "-0 key=" + hex(TxAccess.key(X1)) + " tombstone"), produced);
            assertEquals(List.of(), List.copyOf(journal.inDoubt()));
        }
    }

    @Test
    void aRejectedWriteFailsNamingTheTopic() {
        try (EngineHarness h = journalEngine()) {
            h.stepOnWakeup(() -> {
                h.step();
                while (h.producesInFlight() > 0) {
                    h.broker.answerOldestProduce(Errors.INVALID_RECORD);
                }
            }, () -> !h.engine.pipeline().hasIncompleteRecords(), "the journal write to be rejected");
            KafkaBranchJournal journal = TxAccess.journal(h.engine, TOPIC, Duration.ofSeconds(5),
                    EngineBranchJournalWriteTest::emptyTopic);

            KafkaException e = assertThrows(KafkaException.class, () -> journal.record(BRANCH));
            assertTrue(e.getMessage().contains(TOPIC) && e.getMessage().contains("record"), e.getMessage());
            assertEquals(List.of(), List.copyOf(journal.inDoubt()), "a branch that was not written is not in doubt");
        }
    }

    private static EngineHarness journalEngine() {
        EngineHarness h = new EngineHarness(Map.of(
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()),
                EngineHarness.class.getClassLoader(), false);
        h.broker.createTopics(Map.of(TOPIC, 1));
        h.initProducerId();
        return h;
    }

    /** The journal topic as the reader finds it at start: one partition, nothing in doubt. */
    private static MockConsumer<byte[], byte[]> emptyTopic() {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        Node node = new Node(1, "localhost", 9092);
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, node, new Node[] {node},
                new Node[] {node})));
        consumer.updateBeginningOffsets(Map.of(new TopicPartition(TOPIC, 0), 0L));
        consumer.updateEndOffsets(Map.of(new TopicPartition(TOPIC, 0), 0L));
        return consumer;
    }

    private static String describe(TopicPartition tp, Record record) {
        byte[] key = new byte[record.keySize()];
        record.key().get(key);
        return tp + " key=" + hex(key) + (record.hasValue() ? " value=" + record.valueSize() + " bytes"
                : " tombstone");
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(ByteBuffer.wrap(bytes).array());
    }
}
