package io.kafkara.engine.kafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.clients.ApiVersions;
import org.apache.kafka.clients.ClientRequest;
import org.apache.kafka.clients.ClientUtils;
import org.apache.kafka.clients.DefaultHostResolver;
import org.apache.kafka.clients.KafkaClient;
import org.apache.kafka.clients.ManualMetadataUpdater;
import org.apache.kafka.clients.NetworkClientUtils;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.LogContext;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;

/**
 * A short-lived network client over the bootstrap nodes, driven synchronously on the caller's thread (no sender
 * loop, no thread): finds the transaction coordinator of a transactional id and sends it one request at a time.
 * NetworkClient discovers each node's API versions first, so a request whose versions a node does not offer fails
 * with an {@code UnsupportedVersionException} before it is sent.
 */
final class CoordinatorConnection implements AutoCloseable {

    private final KafkaClient client;
    private final List<Node> bootstrap;
    private final Time time;
    private final long retryBackoffMs;
    private final AutoCloseable resources;
    private int nextBootstrap;

    /** Over a given client (tests pass Kafka's MockClient); the bootstrap nodes are asked in turn. */
    CoordinatorConnection(KafkaClient client, List<Node> bootstrap, Time time, long retryBackoffMs,
                          AutoCloseable resources) {
        if (bootstrap.isEmpty()) {
            throw new IllegalArgumentException("No bootstrap node to find the transaction coordinator with");
        }
        this.client = Objects.requireNonNull(client, "client");
        this.bootstrap = List.copyOf(bootstrap);
        this.time = time;
        this.retryBackoffMs = retryBackoffMs;
        this.resources = resources;
    }

    /**
     * A real network client over the producer settings' bootstrap.servers and security settings.
     *
     * @param purpose names the client in its id ({@code <client.id>-<purpose>}), metrics and log lines
     */
    static CoordinatorConnection open(Map<String, Object> producerSettings, Time time, String purpose) {
        Map<String, Object> settings = new HashMap<>(producerSettings);
        // Only the connection settings matter here; the config class requires serializers.
        settings.putIfAbsent(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        settings.putIfAbsent(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        settings.remove(ProducerConfig.TRANSACTION_TWO_PHASE_COMMIT_ENABLE_CONFIG);
        ProducerConfig config = new ProducerConfig(settings);
        String clientId = config.getString(ProducerConfig.CLIENT_ID_CONFIG) + "-" + purpose;
        List<Node> nodes = new ArrayList<>();
        for (InetSocketAddress address : ClientUtils.parseAndValidateAddresses(config)) {
            nodes.add(new Node(-1 - nodes.size(), address.getHostString(), address.getPort()));
        }
        Metrics metrics = new Metrics(time);
        try {
            KafkaClient client = ClientUtils.createNetworkClient(config, clientId, metrics, purpose,
                    new LogContext("[" + purpose + " clientId=" + clientId + "] "), new ApiVersions(), time, 1,
                    config.getInt(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG), null, new ManualMetadataUpdater(nodes),
                    new DefaultHostResolver(), null, null);
            return new CoordinatorConnection(client, nodes, time, config.getLong(ProducerConfig.RETRY_BACKOFF_MS_CONFIG),
                    metrics);
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
    }

    Time time() {
        return time;
    }

    /** Asks the next bootstrap node where the transactional id's coordinator is; the caller reads the error. */
    FindCoordinatorResponseData.Coordinator findTransactionCoordinator(String transactionalId, long remainingMs)
            throws IOException {
        Node node = bootstrap.get(nextBootstrap++ % bootstrap.size());
        FindCoordinatorRequest.Builder request = new FindCoordinatorRequest.Builder(new FindCoordinatorRequestData()
                .setKeyType(FindCoordinatorRequest.CoordinatorType.TRANSACTION.id())
                .setCoordinatorKeys(List.of(transactionalId)));
        return ((FindCoordinatorResponse) call(node, request, remainingMs)).coordinators().get(0);
    }

    /** Connects if needed, sends the request and waits for its answer; IOException when the node is unreachable. */
    AbstractResponse call(Node node, AbstractRequest.Builder<?> request, long remainingMs) throws IOException {
        if (!NetworkClientUtils.awaitReady(client, node, time, remainingMs)) {
            throw new IOException("Node " + node + " was not ready within " + remainingMs + " ms");
        }
        ClientRequest clientRequest = client.newClientRequest(node.idString(), request, time.milliseconds(), true);
        return NetworkClientUtils.sendAndReceive(client, clientRequest, time).responseBody();
    }

    /** Waits retry.backoff.ms on the injected clock (Time.SYSTEM waits on the caller's thread, MockTime moves on). */
    void backoff() {
        time.sleep(retryBackoffMs);
    }

    @Override
    public void close() {
        Utils.closeQuietly(client, "coordinator network client");
        Utils.closeQuietly(resources, "coordinator client metrics");
    }
}
