package io.kafkara.it.broker;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;

/**
 * Waits, with one deadline, until the cluster reports a set of brokers as registered and unfenced.
 * Asks through given bootstrap servers: after a restart, only the restarted node's own address, so
 * the answer cannot come from peers that still remember the node from before it was killed.
 */
final class ReadinessProbe {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final long PAUSE_MILLIS = 100;

    /** A node's JVM exited while we waited for it; {@link KafkaCluster} may retry on a port race. */
    static final class NodeExitedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final transient KafkaNode node;

        NodeExitedException(KafkaNode node) {
            super("Kafka " + node.describe() + " exited during startup\n" + node.logTail());
            this.node = node;
        }

        KafkaNode node() {
            return node;
        }
    }

    private ReadinessProbe() {
    }

    /** {@code clientProperties}: the security settings the cluster requires of clients, if any. */
    static void awaitBrokers(String bootstrapServers, Map<String, String> clientProperties, Set<Integer> expected,
            Duration timeout, List<KafkaNode> watched) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<Integer> seen = Set.of();
        String lastError = "no answer yet";
        try (Admin admin = Admin.create(config(bootstrapServers, clientProperties))) {
            while (true) {
                for (KafkaNode node : watched) {
                    if (!node.isAlive()) {
                        throw new NodeExitedException(node);
                    }
                }
                try {
                    seen = describe(admin);
                    if (seen.containsAll(expected)) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    lastError = String.valueOf(e.getCause() == null ? e : e.getCause());
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new IllegalStateException(timeoutMessage(bootstrapServers, expected, seen, lastError, timeout, watched));
                }
                // The only sleep of the launcher: a short pause between probes of a bounded loop.
                Thread.sleep(PAUSE_MILLIS);
            }
        }
    }

    private static Set<Integer> describe(Admin admin) throws ExecutionException, TimeoutException, InterruptedException {
        DescribeClusterOptions options = new DescribeClusterOptions().timeoutMs((int) PROBE_TIMEOUT.toMillis());
        Collection<Node> nodes = admin.describeCluster(options).nodes()
                .get(PROBE_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        return nodes.stream().map(Node::id).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Properties config(String bootstrapServers, Map<String, String> clientProperties) {
        Properties config = new Properties();
        config.putAll(clientProperties);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-cluster-readiness");
        // Probe a starting broker often rather than backing off to Kafka's 1 s maximum.
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
        return config;
    }

    private static String timeoutMessage(String bootstrapServers, Set<Integer> expected, Set<Integer> seen,
            String lastError, Duration timeout, List<KafkaNode> watched) {
        StringBuilder message = new StringBuilder("Kafka brokers ").append(expected)
                .append(" were not all registered within ").append(timeout)
                .append(" (asked ").append(bootstrapServers).append("; last saw ").append(seen)
                .append("; last error: ").append(lastError).append(')');
        for (KafkaNode node : watched) {
            message.append('\n').append(node.describe()).append('\n').append(node.logTail());
        }
        return message.toString();
    }
}
