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
import org.apache.kafka.clients.ClientResponse;
import org.apache.kafka.clients.ClientUtils;
import org.apache.kafka.clients.DefaultHostResolver;
import org.apache.kafka.clients.KafkaClient;
import org.apache.kafka.clients.ManualMetadataUpdater;
import org.apache.kafka.clients.NetworkClientUtils;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.LogContext;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a prepared transaction that no live engine holds (its engine crashed or was closed): FindCoordinator for the
 * transactional id, then EndTxn(transactionalId, producerId, epoch, committed) with transaction version 2, on a
 * short-lived client driven synchronously on the caller's thread. No TransactionManager, no sender loop, no thread.
 *
 * <p>Retries what the coordinator asks to retry (CONCURRENT_TRANSACTIONS, COORDINATOR_LOAD_IN_PROGRESS), looks the
 * coordinator up again on NOT_COORDINATOR / COORDINATOR_NOT_AVAILABLE or a lost connection, all within one timeout.
 * Every other answer is final and returned as is: NONE (done, also for a repeated request, which the coordinator
 * treats as a retry), PRODUCER_FENCED (the coordinator moved the epoch on: it aborted the transaction, for example
 * after transaction.timeout.ms), INVALID_TXN_STATE (the transaction already ended the other way), or
 * INVALID_PRODUCER_ID_MAPPING (the coordinator no longer knows this producer id). The caller decides what they mean.
 */
public final class PreparedTransactionCompleter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PreparedTransactionCompleter.class);

    private final KafkaClient client;
    private final List<Node> bootstrap;
    private final Time time;
    private final long timeoutMs;
    private final long retryBackoffMs;
    private final AutoCloseable resources;
    private int nextBootstrap;

    /**
     * Over a given client (tests pass Kafka's MockClient); the bootstrap nodes are asked for the coordinator in turn.
     */
    public PreparedTransactionCompleter(KafkaClient client, List<Node> bootstrap, Time time, long timeoutMs,
                                        long retryBackoffMs) {
        this(client, bootstrap, time, timeoutMs, retryBackoffMs, () -> { });
    }

    private PreparedTransactionCompleter(KafkaClient client, List<Node> bootstrap, Time time, long timeoutMs,
                                         long retryBackoffMs, AutoCloseable resources) {
        if (bootstrap.isEmpty()) {
            throw new IllegalArgumentException("No bootstrap node to find the transaction coordinator with");
        }
        this.client = Objects.requireNonNull(client, "client");
        this.bootstrap = List.copyOf(bootstrap);
        this.time = time;
        this.timeoutMs = timeoutMs;
        this.retryBackoffMs = retryBackoffMs;
        this.resources = resources;
    }

    /**
     * Opens a real network client over the producer settings' bootstrap.servers and security settings. The caller
     * closes it after use: it is meant to live for one recovery pass.
     *
     * @param timeoutMs bound of each {@link #endTransaction} call, retries included
     */
    public static PreparedTransactionCompleter open(Map<String, Object> producerSettings, Time time, long timeoutMs) {
        Map<String, Object> settings = new HashMap<>(producerSettings);
        // Only the connection settings matter here; the serializers are required by the config class, not used.
        settings.putIfAbsent(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        settings.putIfAbsent(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        ProducerConfig config = new ProducerConfig(settings);
        String clientId = config.getString(ProducerConfig.CLIENT_ID_CONFIG) + "-txn-completer";
        List<Node> nodes = bootstrapNodes(ClientUtils.parseAndValidateAddresses(config));
        Metrics metrics = new Metrics(time);
        try {
            KafkaClient client = ClientUtils.createNetworkClient(config, clientId, metrics, "txn-completer",
                    new LogContext("[TransactionCompleter clientId=" + clientId + "] "), new ApiVersions(), time, 1,
                    config.getInt(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG), null, new ManualMetadataUpdater(nodes),
                    new DefaultHostResolver(), null, null);
            return new PreparedTransactionCompleter(client, nodes, time, timeoutMs,
                    config.getLong(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), metrics);
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
    }

    /**
     * Ends the transaction; returns the coordinator's final answer (see the class comment). Throws a
     * {@link TimeoutException} naming the transactional id and the last problem when the coordinator could not be
     * reached or kept asking to retry for the whole timeout, and a {@link KafkaException} for authentication errors.
     */
    public Errors endTransaction(String transactionalId, long producerId, short epoch, boolean commit) {
        long deadline = time.milliseconds() + timeoutMs;
        Node coordinator = null;
        String lastProblem = "none";
        while (true) {
            long remaining = deadline - time.milliseconds();
            if (remaining <= 0) {
                throw new TimeoutException(String.format("EndTxn(%s) for transactional id %s (producerId=%d, "
                        + "epoch=%d) did not complete within %d ms; last problem: %s", commit ? "commit" : "abort",
                        transactionalId, producerId, epoch, timeoutMs, lastProblem));
            }
            try {
                if (coordinator == null) {
                    FindCoordinatorResponseData.Coordinator found = findCoordinator(transactionalId, remaining);
                    Errors error = Errors.forCode(found.errorCode());
                    if (error != Errors.NONE) {
                        lastProblem = "FindCoordinator answered " + error;
                        backoff();
                        continue;
                    }
                    coordinator = new Node(found.nodeId(), found.host(), found.port());
                }
                Errors error = endTxn(coordinator, transactionalId, producerId, epoch, commit, remaining);
                if (error == Errors.NOT_COORDINATOR || error == Errors.COORDINATOR_NOT_AVAILABLE) {
                    coordinator = null;
                } else if (error != Errors.CONCURRENT_TRANSACTIONS && error != Errors.COORDINATOR_LOAD_IN_PROGRESS) {
                    LOG.debug("EndTxn({}) for transactional id {} (producerId={}, epoch={}) answered {}",
                            commit ? "commit" : "abort", transactionalId, producerId, epoch, error);
                    return error;
                }
                lastProblem = "EndTxn answered " + error;
            } catch (IOException e) {
                coordinator = null;
                lastProblem = e.getMessage();
            }
            backoff();
        }
    }

    /** Asks the next bootstrap node for the transaction coordinator of the id (also used by OpenTransactionAborter). */
    FindCoordinatorResponseData.Coordinator findCoordinator(String transactionalId, long remaining)
            throws IOException {
        Node node = bootstrap.get(nextBootstrap++ % bootstrap.size());
        FindCoordinatorRequest.Builder request = new FindCoordinatorRequest.Builder(new FindCoordinatorRequestData()
                .setKeyType(FindCoordinatorRequest.CoordinatorType.TRANSACTION.id())
                .setCoordinatorKeys(List.of(transactionalId)));
        FindCoordinatorResponse response = (FindCoordinatorResponse) call(node, request, remaining);
        return response.coordinators().get(0);
    }

    private Errors endTxn(Node coordinator, String transactionalId, long producerId, short epoch, boolean commit,
                          long remaining) throws IOException {
        EndTxnRequest.Builder request = new EndTxnRequest.Builder(new EndTxnRequestData()
                .setTransactionalId(transactionalId).setProducerId(producerId).setProducerEpoch(epoch)
                .setCommitted(commit), true);
        return ((EndTxnResponse) call(coordinator, request, remaining)).error();
    }

    /** Sends one request and waits for its answer, within {@code remaining} ms to connect. */
    org.apache.kafka.common.requests.AbstractResponse call(Node node, AbstractRequest.Builder<?> request,
                                                           long remaining) throws IOException {
        if (!NetworkClientUtils.awaitReady(client, node, time, remaining)) {
            throw new IOException("Node " + node + " was not ready within " + remaining + " ms");
        }
        ClientRequest clientRequest = client.newClientRequest(node.idString(), request, time.milliseconds(), true);
        ClientResponse response = NetworkClientUtils.sendAndReceive(client, clientRequest, time);
        return response.responseBody();
    }

    void backoff() {
        // The injected clock waits: Time.SYSTEM sleeps on the caller's thread, a test's MockTime just moves on.
        time.sleep(retryBackoffMs);
    }

    private static List<Node> bootstrapNodes(List<InetSocketAddress> addresses) {
        List<Node> nodes = new ArrayList<>();
        int id = -1;
        for (InetSocketAddress address : addresses) {
            nodes.add(new Node(id--, address.getHostString(), address.getPort()));
        }
        return nodes;
    }

    @Override
    public void close() {
        Utils.closeQuietly(client, "transaction completer network client");
        Utils.closeQuietly(resources, "transaction completer metrics");
    }
}
