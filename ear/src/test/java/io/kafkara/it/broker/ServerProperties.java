package io.kafkara.it.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The server.properties of each node and the matching storage format options.
 *
 * <p>Every node is combined (broker and controller in one process). One node forms a single-voter
 * dynamic quorum ({@code format --standalone}). Three nodes use a static voter set: each node
 * knows all three controllers up front, so a node that is killed and restarted rejoins without any
 * reconfiguration, and the quorum survives the loss of one node.
 */
final class ServerProperties {

    private ServerProperties() {
    }

    /**
     * Settings that make internal topics and failure detection fit the cluster's size; caller
     * properties override them. Kafka's own defaults are left alone where they already fit.
     */
    static Map<String, String> sizedDefaults(int nodes) {
        Map<String, String> settings = new LinkedHashMap<>();
        // The first consumer group join should not wait 3 s for more members in a test.
        settings.put("group.initial.rebalance.delay.ms", "0");
        if (nodes == 1) {
            // Kafka's defaults (3 replicas, min ISR 2) cannot be met by one broker.
            settings.put("offsets.topic.replication.factor", "1");
            settings.put("transaction.state.log.replication.factor", "1");
            settings.put("transaction.state.log.min.isr", "1");
            settings.put("share.coordinator.state.topic.replication.factor", "1");
            settings.put("share.coordinator.state.topic.min.isr", "1");
        } else {
            // Internal topics already default to 3 replicas and min ISR 2. User topics get the same,
            // so acks=all keeps working while one node is down and fails once two are.
            settings.put("default.replication.factor", "3");
            settings.put("min.insync.replicas", "2");
            // A killed node is fenced (its partitions get new leaders, it leaves every ISR) after
            // the session timeout: 3 s instead of 9 s keeps fault tests short.
            settings.put("broker.heartbeat.interval.ms", "500");
            settings.put("broker.session.timeout.ms", "3000");
        }
        return settings;
    }

    /** {@code clientProtocol}: the security protocol of the client listener, which keeps the name PLAINTEXT. */
    static Map<String, String> forNode(NodeConfig node, List<NodeConfig> cluster, Map<String, String> clusterSettings,
            String clientProtocol) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("node.id", Integer.toString(node.id()));
        settings.put("process.roles", "broker,controller");
        settings.put("listeners", "PLAINTEXT://" + node.brokerEndpoint() + ",CONTROLLER://" + node.controllerEndpoint());
        settings.put("advertised.listeners", "PLAINTEXT://" + node.brokerEndpoint());
        settings.put("controller.listener.names", "CONTROLLER");
        settings.put("listener.security.protocol.map", "PLAINTEXT:" + clientProtocol + ",CONTROLLER:PLAINTEXT");
        settings.put("log.dirs", node.dataDir().toString());
        if (cluster.size() == 1) {
            settings.put("controller.quorum.bootstrap.servers", node.controllerEndpoint());
        } else {
            settings.put("controller.quorum.voters", cluster.stream()
                    .map(n -> n.id() + "@" + n.controllerEndpoint())
                    .collect(Collectors.joining(",")));
        }
        settings.putAll(clusterSettings);
        return settings;
    }

    /** The options after {@code format -t <cluster id> -c <file>} that match {@link #forNode}. */
    static List<String> formatOptions(List<NodeConfig> cluster) {
        return cluster.size() == 1 ? List.of("--standalone") : List.of();
    }

    static void write(NodeConfig node, Map<String, String> settings) throws IOException {
        StringBuilder text = new StringBuilder("# Written by io.kafkara.it.broker.KafkaCluster\n");
        // Backslashes are the only character in our values that the properties format would alter.
        settings.forEach((key, value) -> text.append(key).append('=').append(value.replace("\\", "\\\\")).append('\n'));
        Files.createDirectories(node.dir());
        Files.writeString(node.propertiesFile(), text);
    }
}
