package io.kafkara.it;

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
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(config)) {
            admin.createTopics(Set.of(new NewTopic(topic, partitions, (short) 1))).all().get();
            // ListOffsets goes to each partition's leader and is retried by the admin client until it is served.
            Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, partitions).boxed()
                    .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
            admin.listOffsets(latest).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not create topic " + topic + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + topic, e);
        }
    }
}
