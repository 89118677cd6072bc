package io.kafkara.it.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads what the {@link Checker} needs from Kafka: every partition of the given topics, from the beginning to the
 * end offset (high watermark) it had when the read began, once with a read_uncommitted and once with a
 * read_committed consumer, and the transactions still open among the adapter's transactional ids. Call it once
 * the scenario's producers have stopped.
 *
 * <pre>{@code
 * Observation observation = new KafkaReader(SharedKafka.get().bootstrapServers())
 *         .read(List.of(topic), "orders-tx-", Duration.ofSeconds(30));
 * }</pre>
 *
 * <p>A read_committed consumer stops at the last stable offset (LSO), below the first record of a transaction
 * still open. A partition is {@code stuck} when its LSO is still below that end offset when the bound has passed:
 * for the whole bound an open transaction blocked it. Every read is bounded; a read_uncommitted consumer that
 * cannot reach the end within the bound, or a read_committed one that could but did not, means the bound is too
 * short for the data, and fails the read rather than report an anomaly the system did not have.
 */
public final class KafkaReader {

    /** The transaction states of a transaction not yet complete; a two-phase-commit prepared one is ONGOING. */
    public static final Set<TransactionState> OPEN = Set.of(TransactionState.ONGOING,
            TransactionState.PREPARE_COMMIT, TransactionState.PREPARE_ABORT, TransactionState.PREPARE_EPOCH_FENCE);
    /** Short polls, so that a read ends soon after its bound. */
    private static final Duration POLL = Duration.ofMillis(100);
    /** For each metadata request (partitions, offsets, transactions), besides the bound on reading. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, Object> clientConfig = new HashMap<>();

    public KafkaReader(String bootstrapServers) {
        this(bootstrapServers, Map.of());
    }

    /** {@code clientProperties}: what the cluster requires of clients besides the address, e.g. SASL settings. */
    public KafkaReader(String bootstrapServers, Map<String, String> clientProperties) {
        clientConfig.putAll(clientProperties);
        clientConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    }

    /**
     * Reads {@code topics} within {@code bound} (more only for the metadata requests) and lists the open
     * transactions whose transactional id starts with {@code transactionalIdPrefix}.
     */
    public Observation read(Collection<String> topics, String transactionalIdPrefix, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        Observation.Builder observation = Observation.builder();
        Map<TopicPartition, Long> ends = readUncommitted(topics, observation, deadline);
        readCommitted(ends, observation, deadline);
        openTransactions(transactionalIdPrefix).forEach(observation::openTransaction);
        return observation.build();
    }

    private Map<TopicPartition, Long> readUncommitted(Collection<String> topics, Observation.Builder observation,
            long deadline) {
        try (KafkaConsumer<String, String> consumer = consumer("read_uncommitted")) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                for (PartitionInfo info : consumer.partitionsFor(topic, REQUEST_TIMEOUT)) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
            }
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, REQUEST_TIMEOUT);
            Map<TopicPartition, Long> unread = readUntil(consumer, ends, observation::readUncommitted, deadline);
            if (!unread.isEmpty()) {
                throw new IllegalStateException("A read_uncommitted consumer did not reach the end offsets " + ends
                        + " within the bound; positions reached: " + unread + ". Give the read a longer bound.");
            }
            return ends;
        }
    }

    private void readCommitted(Map<TopicPartition, Long> ends, Observation.Builder observation, long deadline) {
        try (KafkaConsumer<String, String> consumer = consumer("read_committed")) {
            Map<TopicPartition, Long> unread = readUntil(consumer, ends, observation::readCommitted, deadline);
            if (unread.isEmpty()) {
                return;
            }
            // A read_committed consumer's end offsets are the last stable offsets.
            Map<TopicPartition, Long> stable = consumer.endOffsets(unread.keySet(), REQUEST_TIMEOUT);
            for (TopicPartition partition : unread.keySet()) {
                if (stable.get(partition) < ends.get(partition)) {
                    observation.stuck(partition);
                } else {
                    throw new IllegalStateException("A read_committed consumer did not reach the end offset "
                            + ends.get(partition) + " of " + partition + " within the bound, though nothing blocks "
                            + "it (last stable offset " + stable.get(partition) + ", position "
                            + unread.get(partition) + "). Give the read a longer bound.");
                }
            }
        }
    }

    /** Polls from the beginning until each partition's position reaches its end; returns those that did not. */
    private static Map<TopicPartition, Long> readUntil(KafkaConsumer<String, String> consumer,
            Map<TopicPartition, Long> ends, Consumer<ObservedRecord> sink, long deadline) {
        consumer.assign(ends.keySet());
        consumer.seekToBeginning(ends.keySet());
        Map<TopicPartition, Long> unread = positionsShort(consumer, ends);
        while (!unread.isEmpty() && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                sink.accept(new ObservedRecord(new TopicPartition(record.topic(), record.partition()),
                        record.offset(), record.key(), record.value()));
            }
            unread = positionsShort(consumer, ends);
        }
        return unread;
    }

    /** The positions of the partitions whose position is still below their end. */
    private static Map<TopicPartition, Long> positionsShort(KafkaConsumer<String, String> consumer,
            Map<TopicPartition, Long> ends) {
        Map<TopicPartition, Long> unread = new HashMap<>();
        ends.forEach((partition, end) -> {
            long position = consumer.position(partition, REQUEST_TIMEOUT);
            if (position < end) {
                unread.put(partition, position);
            }
        });
        return unread;
    }

    private List<String> openTransactions(String transactionalIdPrefix) {
        try (Admin admin = Admin.create(clientConfig)) {
            Collection<TransactionListing> open = admin.listTransactions(new ListTransactionsOptions()
                    .filterStates(OPEN).timeoutMs((int) REQUEST_TIMEOUT.toMillis())).all().get();
            return open.stream().map(TransactionListing::transactionalId)
                    .filter(id -> id.startsWith(transactionalIdPrefix)).sorted().collect(Collectors.toList());
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not list the open transactions: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while listing the open transactions", e);
        }
    }

    private KafkaConsumer<String, String> consumer(String isolationLevel) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "kafkara-checker-" + isolationLevel);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }
}
