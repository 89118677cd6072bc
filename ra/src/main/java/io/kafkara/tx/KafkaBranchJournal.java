package io.kafkara.tx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkara.engine.ProducerEngine;

/**
 * The branch journal in a compacted Kafka topic: one record per prepared branch (key = Xid), written and acknowledged
 * before prepare answers, and a tombstone when the branch completes. Writes go through a non-transactional producer
 * engine with byte-array serializers (acks=all, Kafka's default, makes "acknowledged" mean "replicated").
 *
 * <p>The topic is read once, at the first {@link #inDoubt()} after start (what survived a crash), with a short-lived
 * consumer that reads uncommitted records, assigns partitions itself and joins no group: Kafka's classic consumer
 * starts no thread in that mode. From then on this node's own writes keep the view current; this is exact as long as
 * each node writes only branches of its own transactional ids (the id pool guarantees it).
 */
public final class KafkaBranchJournal implements BranchJournal {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBranchJournal.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Supplier<ProducerEngine> writers;
    private ProducerEngine writer;
    private final String topic;
    private final Duration timeout;
    private final Supplier<Consumer<byte[], byte[]>> readers;
    private Map<BranchXid, PreparedBranch> view;

    /**
     * @param writer  a started, non-transactional engine with ByteArraySerializer for keys and values
     * @param readers a fresh consumer per read (see {@link #classicConsumerSettings(Map)})
     * @param timeout bound of each write's acknowledgement and of the read at start
     */
    KafkaBranchJournal(ProducerEngine writer, String topic, Duration timeout,
                       Supplier<Consumer<byte[], byte[]>> readers) {
        this(topic, timeout, readers, () -> writer);
    }

    private KafkaBranchJournal(String topic, Duration timeout, Supplier<Consumer<byte[], byte[]>> readers,
                               Supplier<ProducerEngine> writers) {
        this.writers = writers;
        this.topic = topic;
        this.timeout = timeout;
        this.readers = readers;
    }

    /**
     * A journal that starts its writer engine at the first write: a node that only recovers (lists and completes
     * branches) never needs one.
     */
    static KafkaBranchJournal withWriterOnFirstWrite(Supplier<ProducerEngine> writers, String topic,
                                                     Duration timeout, Supplier<Consumer<byte[], byte[]>> readers) {
        return new KafkaBranchJournal(topic, timeout, readers, writers);
    }

    /** Consumer settings for reading the journal: the connection settings plus no group, classic protocol. */
    static Map<String, Object> classicConsumerSettings(Map<String, Object> connectionSettings) {
        Map<String, Object> settings = new HashMap<>(connectionSettings);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        settings.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return settings;
    }

    /** A reader factory of classic consumers over the given settings. */
    static Supplier<Consumer<byte[], byte[]>> classicConsumers(Map<String, Object> connectionSettings) {
        Map<String, Object> settings = classicConsumerSettings(connectionSettings);
        return () -> new KafkaConsumer<>(settings);
    }

    // Writes wait for their acknowledgement outside the lock: the connections of a definition prepare and commit in
    // parallel, and one write at a time capped a definition at about 75 two-phase transactions/s (benchmarks.md).
    // Each Xid is written by one connection at a time (record, then remove), so no order between keys matters.

    @Override
    public void record(PreparedBranch branch) {
        awaitAcknowledged(send(BranchRecordCodec.key(branch.xid()), BranchRecordCodec.value(branch)),
                "record " + branch);
        synchronized (this) {
            view.put(branch.xid(), branch);
        }
    }

    @Override
    public void remove(BranchXid xid) {
        awaitAcknowledged(send(BranchRecordCodec.key(xid), null), "remove " + xid);
        synchronized (this) {
            view.remove(xid);
        }
    }

    @Override
    public synchronized Collection<PreparedBranch> inDoubt() {
        loadOnce();
        return new ArrayList<>(view.values());
    }

    /** Loads the view once and hands the record to the writer engine; the acknowledgement is awaited by the caller. */
    private synchronized Future<RecordMetadata> send(byte[] key, byte[] value) {
        loadOnce();
        if (writer == null) {
            writer = writers.get();
        }
        return writer.send(new ProducerRecord<>(topic, key, value), null);
    }

    private void awaitAcknowledged(Future<RecordMetadata> acknowledgement, String what) {
        try {
            acknowledgement.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new KafkaException("Branch journal topic " + topic + ": could not " + what + ": " + e.getCause(),
                    e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException("Branch journal topic " + topic + ": " + what + " was not acknowledged within "
                    + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        }
    }

    /** Reads the whole topic again, for an operator's look at other nodes' branches; this node's view stays. */
    @Override
    public Collection<PreparedBranch> readAgain() {
        return new ArrayList<>(readTopic().values());
    }

    private void loadOnce() {
        if (view != null) {
            return;
        }
        Map<BranchXid, PreparedBranch> read = readTopic();
        LOG.info("Branch journal topic {}: {} prepared branch(es) in doubt at start", topic, read.size());
        view = read;
    }

    private Map<BranchXid, PreparedBranch> readTopic() {
        Map<BranchXid, PreparedBranch> read = new LinkedHashMap<>();
        try (Consumer<byte[], byte[]> consumer = readers.get()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new KafkaException("Branch journal topic " + topic + " does not exist: create it compacted "
                        + "(cleanup.policy=compact) with the replication of the transaction state log");
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            readUntil(consumer, end, read);
        }
        return read;
    }

    private void readUntil(Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end,
                           Map<BranchXid, PreparedBranch> read) {
        // Bounded by polls, each waiting up to POLL for records: the consumer's own clock, no wall-clock reads here.
        long polls = Math.max(1, timeout.toMillis() / POLL.toMillis());
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey(), timeout) < e.getValue())) {
            if (polls-- == 0) {
                throw new TimeoutException("Branch journal topic " + topic + " could not be read to its end "
                        + end + " within " + timeout.toMillis() + " ms");
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                BranchXid xid = BranchXid.decode(record.key());
                if (record.value() == null) {
                    read.remove(xid);
                } else {
                    read.put(xid, BranchRecordCodec.decode(record.key(), record.value()));
                }
            }
        }
    }
}
