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
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.LogContext;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;

/**
 * Asks the cluster whether it keeps prepared transactions until the client ends them (two-phase commit mode): sends
 * the request a two-phase engine would send, InitProducerId v6 with {@code enable2Pc=true}, for a transactional id
 * of its own, and reads the answer. On a short-lived client driven on the caller's thread, like
 * {@link PreparedTransactionCompleter}.
 *
 * <p>What a 4.3.1 broker answers: without {@code unstable.api.versions.enable=true} it does not offer v6 at all (the
 * client reports an {@code UnsupportedVersionException} before sending); with it but without
 * {@code transaction.two.phase.commit.enable=true} the coordinator answers {@code TRANSACTIONAL_ID_AUTHORIZATION_FAILED}
 * (the same answer as a missing {@code TWO_PHASE_COMMIT} ACL on the transactional id when an authorizer is on); with
 * both it gives a producer id whose transactions never time out.
 *
 * <p>The probe id must not be one an engine uses: InitProducerId bumps its epoch and aborts its open transaction.
 */
public final class TwoPhaseCommitProbe implements AutoCloseable {

    /** What the cluster answered: whether prepared transactions stay until ended, and why in words. */
    public record Verdict(boolean twoPhaseCommit, String reason) {
    }

    private final KafkaClient client;
    private final List<Node> bootstrap;
    private final Time time;
    private final long timeoutMs;
    private final long retryBackoffMs;
    private final AutoCloseable resources;
    private int nextBootstrap;

    /** Over a given client (tests pass Kafka's MockClient); the bootstrap nodes are asked for the coordinator. */
    public TwoPhaseCommitProbe(KafkaClient client, List<Node> bootstrap, Time time, long timeoutMs,
                               long retryBackoffMs) {
        this(client, bootstrap, time, timeoutMs, retryBackoffMs, () -> { });
    }

    private TwoPhaseCommitProbe(KafkaClient client, List<Node> bootstrap, Time time, long timeoutMs,
                                long retryBackoffMs, AutoCloseable resources) {
        if (bootstrap.isEmpty()) {
            throw new IllegalArgumentException("No bootstrap node to ask about two-phase commit");
        }
        this.client = Objects.requireNonNull(client, "client");
        this.bootstrap = List.copyOf(bootstrap);
        this.time = time;
        this.timeoutMs = timeoutMs;
        this.retryBackoffMs = retryBackoffMs;
        this.resources = resources;
    }

    /** A real network client over the settings' bootstrap.servers and security settings; close it after the check. */
    public static TwoPhaseCommitProbe open(Map<String, Object> producerSettings, Time time, long timeoutMs) {
        Map<String, Object> settings = new HashMap<>(producerSettings);
        // The config class requires serializers; only the connection settings are used.
        settings.putIfAbsent(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        settings.putIfAbsent(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        settings.remove(ProducerConfig.TRANSACTION_TWO_PHASE_COMMIT_ENABLE_CONFIG);
        ProducerConfig config = new ProducerConfig(settings);
        String clientId = config.getString(ProducerConfig.CLIENT_ID_CONFIG) + "-2pc-probe";
        List<Node> nodes = new ArrayList<>();
        for (InetSocketAddress address : ClientUtils.parseAndValidateAddresses(config)) {
            nodes.add(new Node(-1 - nodes.size(), address.getHostString(), address.getPort()));
        }
        Metrics metrics = new Metrics(time);
        try {
            KafkaClient client = ClientUtils.createNetworkClient(config, clientId, metrics, "2pc-probe",
                    new LogContext("[TwoPhaseCommitProbe clientId=" + clientId + "] "), new ApiVersions(), time, 1,
                    config.getInt(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG), null, new ManualMetadataUpdater(nodes),
                    new DefaultHostResolver(), null, null);
            return new TwoPhaseCommitProbe(client, nodes, time, timeoutMs,
                    config.getLong(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), metrics);
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
    }

    /**
     * Sends InitProducerId v6 with enable2Pc for {@code probeTransactionalId} to its coordinator. Throws Kafka's
     * {@link TimeoutException} when the cluster gave no final answer within the timeout, and a {@link KafkaException}
     * for any other refusal (which says nothing about two-phase commit).
     */
    public Verdict check(String probeTransactionalId, int transactionTimeoutMs) {
        long deadline = time.milliseconds() + timeoutMs;
        Node coordinator = null;
        String lastProblem = "none";
        while (time.milliseconds() < deadline) {
            long remaining = deadline - time.milliseconds();
            try {
                if (coordinator == null) {
                    FindCoordinatorResponseData.Coordinator found = findCoordinator(probeTransactionalId, remaining);
                    Errors error = Errors.forCode(found.errorCode());
                    if (error == Errors.NONE) {
                        coordinator = new Node(found.nodeId(), found.host(), found.port());
                        continue;
                    }
                    lastProblem = "FindCoordinator answered " + error;
                } else {
                    Errors error = initProducerId(coordinator, probeTransactionalId, transactionTimeoutMs, remaining);
                    if (error == Errors.NONE) {
                        return new Verdict(true, "the transaction coordinator accepted InitProducerId v6 with "
                                + "enable2Pc=true");
                    }
                    if (error == Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED) {
                        return new Verdict(false, "the transaction coordinator refused enable2Pc "
                                + "(TRANSACTIONAL_ID_AUTHORIZATION_FAILED): the broker runs without "
                                + "transaction.two.phase.commit.enable=true, or an authorizer denies TWO_PHASE_COMMIT "
                                + "on transactional id " + probeTransactionalId);
                    }
                    if (error == Errors.NOT_COORDINATOR || error == Errors.COORDINATOR_NOT_AVAILABLE) {
                        coordinator = null;
                    } else if (!(error.exception() instanceof RetriableException)) {
                        throw new KafkaException("InitProducerId for the two-phase commit check (transactional id "
                                + probeTransactionalId + ") answered " + error + ": " + error.message());
                    }
                    lastProblem = "InitProducerId answered " + error;
                }
            } catch (UnsupportedVersionException e) {
                return new Verdict(false, "the broker does not offer InitProducerId v6, which carries enable2Pc "
                        + "(a 4.3.1 broker offers it only with unstable.api.versions.enable=true)");
            } catch (IOException e) {
                coordinator = null;
                lastProblem = e.getMessage();
            }
            time.sleep(retryBackoffMs);
        }
        throw new TimeoutException("The two-phase commit check (InitProducerId for transactional id "
                + probeTransactionalId + ") got no answer within " + timeoutMs + " ms; last problem: " + lastProblem);
    }

    private FindCoordinatorResponseData.Coordinator findCoordinator(String transactionalId, long remaining)
            throws IOException {
        Node node = bootstrap.get(nextBootstrap++ % bootstrap.size());
        FindCoordinatorRequest.Builder request = new FindCoordinatorRequest.Builder(new FindCoordinatorRequestData()
                .setKeyType(FindCoordinatorRequest.CoordinatorType.TRANSACTION.id())
                .setCoordinatorKeys(List.of(transactionalId)));
        return ((FindCoordinatorResponse) call(node, request, remaining)).coordinators().get(0);
    }

    private Errors initProducerId(Node coordinator, String transactionalId, int transactionTimeoutMs, long remaining)
            throws IOException {
        TwoPhaseInitProducerId request = new TwoPhaseInitProducerId(new InitProducerIdRequestData()
                .setTransactionalId(transactionalId).setTransactionTimeoutMs(transactionTimeoutMs));
        return ((InitProducerIdResponse) call(coordinator, request, remaining)).error();
    }

    private AbstractResponse call(Node node, AbstractRequest.Builder<?> request, long remaining) throws IOException {
        if (!NetworkClientUtils.awaitReady(client, node, time, remaining)) {
            throw new IOException("Node " + node + " was not ready within " + remaining + " ms");
        }
        ClientRequest clientRequest = client.newClientRequest(node.idString(), request, time.milliseconds(), true);
        return NetworkClientUtils.sendAndReceive(client, clientRequest, time).responseBody();
    }

    @Override
    public void close() {
        Utils.closeQuietly(client, "two-phase commit probe network client");
        Utils.closeQuietly(resources, "two-phase commit probe metrics");
    }
}
