package io.kafkara.it.faults;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * Who leads a partition and who is in sync, as the cluster says: how a fault scenario proves its fault took effect
 * (the leader changed) and waits until the cluster is whole again (every replica back in sync). Every wait is bounded.
 */
final class PartitionLeadership implements AutoCloseable {

    private static final long POLL_MS = 200;

    private final Admin admin;

    PartitionLeadership(String bootstrapServers) {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
    }

    /** The broker id leading the partition now, or -1 while it has none. */
    int leader(String topic, int partition) throws Exception {
        Node leader = describe(topic, partition).leader();
        return leader == null || leader.isEmpty() ? -1 : leader.id();
    }

    /** Waits until a broker other than {@code former} leads the partition; returns it. */
    int awaitLeaderOtherThan(String topic, int partition, int former, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            int now = leaderOrUnknown(topic, partition);
            if (now >= 0 && now != former) {
                return now;
            }
            if (System.nanoTime() >= deadline) {
                throw new AssertionError("partition " + topic + "-" + partition + " still led by " + former
                        + " (or by none) after " + limit + ": the fault did not take effect");
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MS);
        }
    }

    /** Waits until every partition of the topic has all {@code replicas} in sync again. */
    void awaitFullySynced(String topic, int replicas, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!fullySynced(topic, replicas)) {
            if (System.nanoTime() >= deadline) {
                throw new AssertionError("topic " + topic + " not fully in sync after " + limit + ": "
                        + describeOrFailure(topic));
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MS);
        }
    }

    private boolean fullySynced(String topic, int replicas) {
        try {
            return partitions(topic).stream().allMatch(p -> p.isr().size() == replicas && p.leader() != null);
        } catch (Exception e) {
            return false;
        }
    }

    private int leaderOrUnknown(String topic, int partition) {
        try {
            return leader(topic, partition);
        } catch (Exception e) {
            // Metadata from a broker that is just going away: ask again.
            return -1;
        }
    }

    private String describeOrFailure(String topic) {
        try {
            return partitions(topic).toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private TopicPartitionInfo describe(String topic, int partition) throws Exception {
        return partitions(topic).get(partition);
    }

    private List<TopicPartitionInfo> partitions(String topic) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(15, TimeUnit.SECONDS)
                .get(topic);
        return description.partitions();
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
