package io.kafkara.engine.kafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.ApiVersions;
import org.apache.kafka.clients.ClientRequest;
import org.apache.kafka.clients.ClientResponse;
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
 * A network client for a few administrative requests, driven synchronously on the caller's thread (no sender loop, no
 * thread, unlike Kafka's Admin client): built from an engine's settings (bootstrap.servers and security), it talks to
 * the bootstrap nodes it was given and to nodes their answers name. Close it after use.
 */
final class ShortLivedClient implements AutoCloseable {

    private final KafkaClient client;
    private final List<Node> bootstrap;
    private final Time time;
    private final long retryBackoffMs;
    private final AutoCloseable resources;
    private int nextBootstrap;

    ShortLivedClient(KafkaClient client, List<Node> bootstrap, Time time, long retryBackoffMs, AutoCloseable resources) {
        if (bootstrap.isEmpty()) {
            throw new IllegalArgumentException("No bootstrap node to send requests to");
        }
        this.client = client;
        this.bootstrap = List.copyOf(bootstrap);
        this.time = time;
        this.retryBackoffMs = retryBackoffMs;
        this.resources = resources;
    }

    /** Opens a real network client; {@code purpose} names it in the client id and its log lines. */
    static ShortLivedClient open(Map<String, Object> producerSettings, Time time, String purpose) {
        Map<String, Object> settings = new HashMap<>(producerSettings);
        // The config class requires serializers; a client for administrative requests uses none.
        settings.putIfAbsent(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        settings.putIfAbsent(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        // Only the connection settings matter; ProducerConfig refuses this one next to transaction.timeout.ms.
        settings.remove(ProducerConfig.TRANSACTION_TWO_PHASE_COMMIT_ENABLE_CONFIG);
        ProducerConfig config = new ProducerConfig(settings);
        String clientId = config.getString(ProducerConfig.CLIENT_ID_CONFIG) + "-" + purpose;
        List<Node> nodes = new ArrayList<>();
        int id = -1;
        for (InetSocketAddress address : ClientUtils.parseAndValidateAddresses(config)) {
            nodes.add(new Node(id--, address.getHostString(), address.getPort()));
        }
        Metrics metrics = new Metrics(time);
        try {
            KafkaClient client = ClientUtils.createNetworkClient(config, clientId, metrics, purpose,
                    new LogContext("[" + purpose + " clientId=" + clientId + "] "), new ApiVersions(), time, 1,
                    config.getInt(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG), null, new ManualMetadataUpdater(nodes),
                    new DefaultHostResolver(), null, null);
            return new ShortLivedClient(client, nodes, time, config.getLong(ProducerConfig.RETRY_BACKOFF_MS_CONFIG),
                    metrics);
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
    }

    /** The next bootstrap node, in turn: a node that does not answer is not asked twice in a row. */
    Node nextBootstrapNode() {
        return bootstrap.get(nextBootstrap++ % bootstrap.size());
    }

    /** Asks the next bootstrap node where the transactional id's coordinator is; the caller reads the error. */
    FindCoordinatorResponseData.Coordinator findTransactionCoordinator(String transactionalId, long remainingMs)
            throws IOException {
        FindCoordinatorRequest.Builder request = new FindCoordinatorRequest.Builder(new FindCoordinatorRequestData()
                .setKeyType(FindCoordinatorRequest.CoordinatorType.TRANSACTION.id())
                .setCoordinatorKeys(List.of(transactionalId)));
        return ((FindCoordinatorResponse) call(nextBootstrapNode(), request, remainingMs)).coordinators().get(0);
    }

    /** Sends one request and waits for its answer, at most {@code remainingMs} for the connection. */
    AbstractResponse call(Node node, AbstractRequest.Builder<?> request, long remainingMs) throws IOException {
        if (!NetworkClientUtils.awaitReady(client, node, time, remainingMs)) {
            throw new IOException("Node " + node + " was not ready within " + remainingMs + " ms");
        }
        ClientRequest clientRequest = client.newClientRequest(node.idString(), request, time.milliseconds(), true);
        ClientResponse response = NetworkClientUtils.sendAndReceive(client, clientRequest, time);
        return response.responseBody();
    }

    /** Waits retry.backoff.ms on the injected clock (a test's MockTime just moves on). */
    void backoff() {
        time.sleep(retryBackoffMs);
    }

    Time time() {
        return time;
    }

    @Override
    public void close() {
        Utils.closeQuietly(client, "short-lived network client");
        Utils.closeQuietly(resources, "short-lived client metrics");
    }
}
