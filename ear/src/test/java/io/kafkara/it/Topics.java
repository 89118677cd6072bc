package io.kafkara.it;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Creates topics for tests and benchmarks and returns only once every partition's leader serves requests.
 *
 * <p>Why: Kafka 4.3.1 brokers can accept the second in-flight produce request of an idempotent producer on a
 * partition whose creation they are still applying after rejecting the first one (NOT_LEADER_OR_FOLLOWER); the
 * first then fails with OUT_OF_ORDER_SEQUENCE_NUMBER until delivery.timeout.ms (KAFKA-15591, fixed in later
 * brokers). Producing only after the leader answers a ListOffsets request avoids that window.
 */
public final class Topics {

    private Topics() {
    }

    public static void create(String bootstrapServers, String topic, int partitions) {
        create(bootstrapServers, Map.of(), topic, partitions);
    }

    /** {@code clientProperties}: what the cluster requires of clients besides the address, e.g. SASL settings. */
    public static void create(String bootstrapServers, Map<String, String> clientProperties, String topic, int partitions) {
        create(bootstrapServers, clientProperties, topic, partitions, 1);
    }

    /** With {@code replicas} copies of each partition: what a topic that must survive a broker's loss needs. */
    public static void createReplicated(String bootstrapServers, String topic, int partitions, int replicas) {
        create(bootstrapServers, Map.of(), topic, partitions, replicas);
    }

    private static void create(String bootstrapServers, Map<String, String> clientProperties, String topic,
                               int partitions, int replicas) {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(config)) {
            admin.createTopics(Set.of(new NewTopic(topic, partitions, (short) replicas))).all().get();
            awaitLeaders(admin, topic, partitions);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not create topic " + topic + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + topic, e);
        }
    }

    /**
     * ListOffsets goes to each partition's leader. Right after creation the admin client may not know the topic yet
     * (UnknownTopicOrPartition, which it does not retry), so ask again until every leader answers, for at most 30 s.
     */
    private static void awaitLeaders(Admin admin, String topic, int partitions)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, partitions).boxed()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                admin.listOffsets(latest).all().get();
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }
}
