package io.kafkara.engine.kafka;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.utils.Time;

/**
 * Reads the brokers' {@code transaction.max.timeout.ms}, the longest transaction timeout a producer may ask for:
 * Metadata from a bootstrap node names the brokers, then DescribeConfigs for one broker's own configuration goes to
 * that broker (as Kafka's Admin client does it), on a short-lived client driven on the caller's thread.
 */
public final class BrokerTransactionLimit implements AutoCloseable {

    /** The broker setting, as Kafka names it. */
    public static final String MAX_TIMEOUT_CONFIG = "transaction.max.timeout.ms";

    private final ShortLivedClient client;
    private final long timeoutMs;

    BrokerTransactionLimit(ShortLivedClient client, long timeoutMs) {
        this.client = client;
        this.timeoutMs = timeoutMs;
    }

    /** A real network client over the settings' bootstrap.servers and security; close it after the read. */
    public static BrokerTransactionLimit open(Map<String, Object> producerSettings, Time time, long timeoutMs) {
        return new BrokerTransactionLimit(ShortLivedClient.open(producerSettings, time, "broker-limits"), timeoutMs);
    }

    /**
     * The value of {@value #MAX_TIMEOUT_CONFIG} of a broker of the cluster. Throws Kafka's TimeoutException when no
     * broker answered in time, a KafkaException when the answer is a refusal (for example an authorizer that denies
     * DESCRIBE_CONFIGS on the cluster).
     */
    public long maxTransactionTimeoutMs() {
        Time time = client.time();
        long deadline = time.milliseconds() + timeoutMs;
        String lastProblem = "none";
        while (time.milliseconds() < deadline) {
            try {
                Node broker = anyBroker(deadline - time.milliseconds());
                return describe(broker, deadline - time.milliseconds());
            } catch (IOException e) {
                lastProblem = e.getMessage();
            }
            client.backoff();
        }
        throw new TimeoutException("Could not read " + MAX_TIMEOUT_CONFIG + " from the brokers within " + timeoutMs
                + " ms; last problem: " + lastProblem);
    }

    private Node anyBroker(long remainingMs) throws IOException {
        MetadataResponse metadata = (MetadataResponse) client.call(client.nextBootstrapNode(),
                new MetadataRequest.Builder(List.of(), false), remainingMs);
        List<MetadataResponseData.MetadataResponseBroker> brokers = List.copyOf(metadata.data().brokers());
        if (brokers.isEmpty()) {
            throw new IOException("the Metadata answer names no broker");
        }
        MetadataResponseData.MetadataResponseBroker broker = brokers.get(0);
        return new Node(broker.nodeId(), broker.host(), broker.port());
    }

    private long describe(Node broker, long remainingMs) throws IOException {
        DescribeConfigsRequest.Builder request = new DescribeConfigsRequest.Builder(new DescribeConfigsRequestData()
                .setResources(List.of(new DescribeConfigsRequestData.DescribeConfigsResource()
                        .setResourceType(ConfigResource.Type.BROKER.id())
                        .setResourceName(broker.idString())
                        .setConfigurationKeys(List.of(MAX_TIMEOUT_CONFIG)))));
        DescribeConfigsResponse response = (DescribeConfigsResponse) client.call(broker, request, remainingMs);
        DescribeConfigsResponseData.DescribeConfigsResult result = response.data().results().get(0);
        Errors error = Errors.forCode(result.errorCode());
        if (error != Errors.NONE) {
            throw new KafkaException("DescribeConfigs of broker " + broker.idString() + " answered " + error + ": "
                    + result.errorMessage());
        }
        return result.configs().stream().filter(config -> config.name().equals(MAX_TIMEOUT_CONFIG)).findFirst()
                .map(config -> Long.parseLong(config.value()))
                .orElseThrow(() -> new KafkaException("DescribeConfigs of broker " + broker.idString()
                        + " did not report " + MAX_TIMEOUT_CONFIG));
    }

    @Override
    public void close() {
        client.close();
    }
}
