package io.kafkara.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.kafkara.engine.ProducerIdentity;

/** Reading the journal topic at start: the last record per Xid wins, a tombstone ends a branch; and the codec. */
class KafkaBranchJournalReadTest {

    private static final String TOPIC = "kafka-ra-branches";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    @Test
    void theCodecRoundTrips() {
        PreparedBranch branch = branch("x1", "orders-node1-7", 4711, (short) 32767);
        assertEquals(branch, BranchRecordCodec.decode(BranchRecordCodec.key(branch.xid()),
                BranchRecordCodec.value(branch)));
        assertEquals(XaTranscript.xid("x1"), BranchXid.decode(XaTranscript.xid("x1").encode()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BranchXid.decode(new byte[] {0, 0, 0, 1, 5, 1}));
        assertTrue(e.getMessage().contains("Not an encoded Xid"), e.getMessage());
    }

    @Test
    void readsEveryPartitionToItsEndAndKeepsTheBranchesWithoutATombstone() {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        consumer.updatePartitions(TOPIC, List.of(info(0), info(1)));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.updateEndOffsets(Map.of(P0, 2L, P1, 1L));
        PreparedBranch x1 = branch("x1", "orders-node1-0", 1, (short) 0);
        PreparedBranch x2 = branch("x2", "orders-node1-1", 2, (short) 5);
        // Records arrive once the journal has assigned the partitions and sought to the beginning.
        consumer.schedulePollTask(() -> {
            consumer.addRecord(record(P0, 0, x1.xid(), BranchRecordCodec.value(x1)));
            consumer.addRecord(record(P0, 1, x1.xid(), null));
            consumer.addRecord(record(P1, 0, x2.xid(), BranchRecordCodec.value(x2)));
        });
        KafkaBranchJournal journal = new KafkaBranchJournal(null, TOPIC, Duration.ofSeconds(1), () -> consumer);

        assertEquals(List.of(x2), List.copyOf(journal.inDoubt()));
        assertTrue(consumer.closed(), "the reader is short-lived");
        assertEquals(List.of(x2), List.copyOf(journal.inDoubt()), "read once; later calls serve the view");
    }

    @Test
    void aMissingTopicFailsNamingIt() {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        KafkaBranchJournal journal = new KafkaBranchJournal(null, TOPIC, Duration.ofSeconds(1), () -> consumer);
        KafkaException e = assertThrows(KafkaException.class, journal::inDoubt);
        assertTrue(e.getMessage().contains(TOPIC) && e.getMessage().contains("cleanup.policy=compact"),
                e.getMessage());
    }

    @Test
    void readerSettingsJoinNoGroupAndReadUncommitted() {
        Map<String, Object> settings = KafkaBranchJournal.classicConsumerSettings(Map.of("bootstrap.servers", "b:9092",
                ConsumerConfig.GROUP_ID_CONFIG, "app"));
        assertEquals("classic", settings.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG));
        assertEquals("read_uncommitted", settings.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
        assertTrue(!settings.containsKey(ConsumerConfig.GROUP_ID_CONFIG));
    }

    private static PreparedBranch branch(String x, String transactionalId, long pid, short epoch) {
        return new PreparedBranch(XaTranscript.xid(x), transactionalId, new ProducerIdentity(pid, epoch), 42);
    }

    private static ConsumerRecord<byte[], byte[]> record(TopicPartition tp, long offset, BranchXid xid, byte[] value) {
        return new ConsumerRecord<>(tp.topic(), tp.partition(), offset, BranchRecordCodec.key(xid), value);
    }

    private static PartitionInfo info(int partition) {
        Node node = new Node(1, "localhost", 9092);
        return new PartitionInfo(TOPIC, partition, node, new Node[] {node}, new Node[] {node});
    }
}
