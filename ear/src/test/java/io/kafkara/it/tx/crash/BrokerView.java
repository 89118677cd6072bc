package io.kafkara.it.tx.crash;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What the broker shows of the crash scenarios' transactions, as an operator's tools would see it: committed values
 * (a read_committed consumer), log end and last stable offset of a partition, and the open transactions of the
 * adapter's transactional ids. Partition 0 of one-partition topics throughout.
 */
public final class BrokerView implements AutoCloseable {

    /** The states in which a transaction holds back read_committed readers. */
    static final List<TransactionState> OPEN = List.of(TransactionState.ONGOING, TransactionState.PREPARE_COMMIT,
            TransactionState.PREPARE_ABORT);

    private final String bootstrap;
    private final Admin admin;

    public BrokerView(String bootstrap) {
        this.bootstrap = bootstrap;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    /** The log end offset (high watermark): every record and transaction marker written. */
    public long logEnd(String topic) throws ExecutionException, InterruptedException {
        return offset(topic, IsolationLevel.READ_UNCOMMITTED);
    }

    /** The last stable offset: read_committed readers stop before the first still-open transaction. */
    public long lastStable(String topic) throws ExecutionException, InterruptedException {
        return offset(topic, IsolationLevel.READ_COMMITTED);
    }

    private long offset(String topic, IsolationLevel isolation) throws ExecutionException, InterruptedException {
        TopicPartition partition = new TopicPartition(topic, 0);
        return admin.listOffsets(Map.of(partition, OffsetSpec.latest()), new ListOffsetsOptions(isolation)).all()
                .get().get(partition).offset();
    }

    /**
     * The values a read_committed reader reads once it reached the log end (so no transaction holds it back), at
     * most {@code within}; fails naming what was read and where the reader stopped.
     */
    public List<String> committedToLogEnd(String topic, Duration within) throws ExecutionException, InterruptedException {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + within.toNanos();
            long logEnd = logEnd(topic);
            while (consumer.position(partition) < logEnd) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Within " + within + " a read_committed reader of " + topic
                            + " got to offset " + consumer.position(partition) + " of " + logEnd + " (last stable "
                            + lastStable(topic) + "), reading " + values);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
                logEnd = logEnd(topic);
            }
            return values;
        }
    }

    /** The adapter's transactions (ids starting with one of the prefixes) that are open, by id: their state. */
    Map<String, TransactionState> openTransactions(List<String> prefixes)
            throws ExecutionException, InterruptedException {
        Map<String, TransactionState> open = new TreeMap<>();
        for (TransactionListing listing : admin.listTransactions().all().get()) {
            if (prefixes.stream().anyMatch(listing.transactionalId()::startsWith)
                    && OPEN.contains(listing.state())) {
                open.put(listing.transactionalId(), listing.state());
            }
        }
        return open;
    }

    /** The topic an open transaction wrote to (the scenarios write to one topic per transaction and id). */
    String topicOf(String transactionalId) throws ExecutionException, InterruptedException {
        TransactionDescription description = admin.describeTransactions(List.of(transactionalId)).all().get()
                .get(transactionalId);
        return description.topicPartitions().stream().map(TopicPartition::topic).findFirst()
                .orElseThrow(() -> new AssertionError(transactionalId + " has no partition: " + description));
    }

    /** A setting of broker 0 as it runs: its value and where the value comes from (a default, the file, ...). */
    ConfigEntry brokerSetting(String name) throws ExecutionException, InterruptedException {
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "0");
        return admin.describeConfigs(List.of(broker)).all().get().get(broker).get(name);
    }

    @Override
    public void close() {
        admin.close();
    }
}
