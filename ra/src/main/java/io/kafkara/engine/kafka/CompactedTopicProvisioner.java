package io.kafkara.engine.kafka;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicConfig;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicConfigCollection;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.utils.Time;

/**
 * Makes sure a compacted topic exists, with three requests on a {@link ShortLivedClient} (Kafka's Admin client would
 * start a thread): Metadata for the topic (never auto-created), CreateTopics when it is missing (one partition,
 * cleanup.policy=compact, replication min(3, brokers)), and DescribeConfigs of cleanup.policy when it exists. Brokers
 * forward CreateTopics to the controller, so any broker will do. Retries connection problems and retriable errors
 * within one timeout; refusals (authorization) and other errors are answered, not thrown, so that the caller can
 * say what the operator must do.
 */
public final class CompactedTopicProvisioner implements AutoCloseable {

    /** What {@link #ensure} found or did. */
    public enum Outcome {
        /** Created now, compacted. */
        CREATED,
        /** Existed, cleanup.policy contains compact. */
        COMPACTED,
        /** Existed with another cleanup.policy (the detail names it). */
        NOT_COMPACTED,
        /** Exists, but its configuration could not be read (the detail says why). */
        UNVERIFIED,
        /** Missing and may not be created, or may not even be described (the detail names the error). */
        REFUSED
    }

    /** The outcome and its detail: the policy found, or the broker's error and message. */
    public record Result(Outcome outcome, String detail) {
    }

    static final int MAX_REPLICATION = 3;
    private static final Set<Errors> REFUSALS = Set.of(Errors.TOPIC_AUTHORIZATION_FAILED,
            Errors.CLUSTER_AUTHORIZATION_FAILED, Errors.POLICY_VIOLATION, Errors.INVALID_REPLICATION_FACTOR,
            Errors.INVALID_CONFIG, Errors.INVALID_TOPIC_EXCEPTION);

    private final ShortLivedClient client;
    private final long timeoutMs;

    CompactedTopicProvisioner(ShortLivedClient client, long timeoutMs) {
        this.client = client;
        this.timeoutMs = timeoutMs;
    }

    /** Over a given network client (tests pass Kafka's MockClient). */
    static CompactedTopicProvisioner over(org.apache.kafka.clients.KafkaClient network, List<Node> bootstrap,
                                          Time time, long timeoutMs, long retryBackoffMs) {
        return new CompactedTopicProvisioner(new ShortLivedClient(network, bootstrap, time, retryBackoffMs, () -> { }),
                timeoutMs);
    }

    /** Over a real network client built from an engine's settings (bootstrap.servers and security). */
    public static CompactedTopicProvisioner open(Map<String, Object> producerSettings, Time time, long timeoutMs) {
        return new CompactedTopicProvisioner(ShortLivedClient.open(producerSettings, time, "topic-provisioner"),
                timeoutMs);
    }

    /**
     * Checks or creates the topic. Throws Kafka's {@link TimeoutException}, naming the topic and the last problem,
     * when no broker answered usefully within the timeout.
     */
    public Result ensure(String topic) {
        Time time = client.time();
        long deadline = time.milliseconds() + timeoutMs;
        String lastProblem = "none";
        while (true) {
            long remaining = deadline - time.milliseconds();
            if (remaining <= 0) {
                throw new TimeoutException("Topic " + topic + " could not be checked or created within " + timeoutMs
                        + " ms; last problem: " + lastProblem);
            }
            Node node = client.nextBootstrapNode();
            try {
                MetadataResponse metadata = (MetadataResponse) client.call(node,
                        new MetadataRequest.Builder(List.of(topic), false), remaining);
                Errors error = metadata.errors().getOrDefault(topic, Errors.NONE);
                if (error == Errors.NONE || error == Errors.LEADER_NOT_AVAILABLE) {
                    return describe(node, topic, remaining);
                }
                if (error == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
                    Result created = create(node, topic, metadata.brokers().size(), remaining);
                    if (created != null) {
                        return created;
                    }
                    lastProblem = "CreateTopics was asked to retry";
                } else if (REFUSALS.contains(error)) {
                    return new Result(Outcome.REFUSED, error.name());
                } else {
                    lastProblem = "Metadata answered " + error;
                }
            } catch (IOException e) {
                lastProblem = e.getMessage();
            }
            client.backoff();
        }
    }

    /** The result, or null when the broker asked to retry. */
    private Result create(Node node, String topic, int brokers, long remaining) throws IOException {
        short replication = (short) Math.max(1, Math.min(MAX_REPLICATION, brokers));
        CreatableTopicConfigCollection configs = new CreatableTopicConfigCollection();
        configs.add(new CreatableTopicConfig().setName(TopicConfig.CLEANUP_POLICY_CONFIG)
                .setValue(TopicConfig.CLEANUP_POLICY_COMPACT));
        CreateTopicsRequestData.CreatableTopicCollection topics = new CreateTopicsRequestData.CreatableTopicCollection();
        topics.add(new CreatableTopic().setName(topic).setNumPartitions(1).setReplicationFactor(replication)
                .setConfigs(configs));
        CreateTopicsResponse response = (CreateTopicsResponse) client.call(node, new CreateTopicsRequest.Builder(
                new CreateTopicsRequestData().setTopics(topics).setTimeoutMs((int) Math.min(remaining,
                        Integer.MAX_VALUE))), remaining);
        CreatableTopicResult result = response.data().topics().find(topic);
        Errors error = result == null ? Errors.UNKNOWN_SERVER_ERROR : Errors.forCode(result.errorCode());
        if (error == Errors.NONE) {
            return new Result(Outcome.CREATED, "replication factor " + replication);
        }
        if (error == Errors.TOPIC_ALREADY_EXISTS) {
            return describe(node, topic, remaining);
        }
        if (error.exception() instanceof org.apache.kafka.common.errors.RetriableException) {
            return null;
        }
        String message = result == null || result.errorMessage() == null || result.errorMessage().isBlank() ? ""
                : ": " + result.errorMessage();
        return new Result(Outcome.REFUSED, error.name() + message);
    }

    private Result describe(Node node, String topic, long remaining) throws IOException {
        DescribeConfigsResponse response = (DescribeConfigsResponse) client.call(node, new DescribeConfigsRequest.Builder(
                new DescribeConfigsRequestData().setResources(List.of(new DescribeConfigsRequestData
                        .DescribeConfigsResource().setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName(topic)
                        .setConfigurationKeys(List.of(TopicConfig.CLEANUP_POLICY_CONFIG))))), remaining);
        DescribeConfigsResult result = response.data().results().stream()
                .filter(r -> topic.equals(r.resourceName())).findFirst().orElse(null);
        if (result == null || result.errorCode() != Errors.NONE.code()) {
            return new Result(Outcome.UNVERIFIED, "DescribeConfigs answered "
                    + (result == null ? "nothing for the topic" : Errors.forCode(result.errorCode()).name()));
        }
        String policy = result.configs().stream().filter(c -> TopicConfig.CLEANUP_POLICY_CONFIG.equals(c.name()))
                .map(c -> c.value()).findFirst().orElse(null);
        if (policy == null) {
            return new Result(Outcome.UNVERIFIED, "DescribeConfigs did not return " + TopicConfig.CLEANUP_POLICY_CONFIG);
        }
        boolean compacted = List.of(policy.split(",")).stream().map(String::trim)
                .anyMatch(TopicConfig.CLEANUP_POLICY_COMPACT::equals);
        return new Result(compacted ? Outcome.COMPACTED : Outcome.NOT_COMPACTED, policy);
    }

    @Override
    public void close() {
        client.close();
    }
}
