package io.kafkara.engine.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.ClientRequest;
import org.apache.kafka.clients.ClientResponse;
import org.apache.kafka.clients.MockClient;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestTestUtils;
import org.apache.kafka.common.utils.MockTime;
import org.junit.jupiter.api.Test;

import io.kafkara.engine.kafka.CompactedTopicProvisioner.Outcome;
import io.kafkara.engine.kafka.CompactedTopicProvisioner.Result;

/**
 * The branch journal topic made sure of without Admin's thread: Metadata, then CreateTopics (compacted) or
 * DescribeConfigs, over Kafka's MockClient and MockTime. Every request is recorded; one nobody scripted fails.
 */
class CompactedTopicProvisionerTest {

    private static final String TOPIC = "branches";
    private static final long TIMEOUT_MS = 1_000;
    private static final long BACKOFF_MS = 100;

    private final MockTime time = new MockTime(0, 1_000_000, 0);
    private final Node bootstrap = new Node(-1, "localhost", 9092);
    private final List<String> requests = new ArrayList<>();
    private final MockClient client = new MockClient(time, List.of(bootstrap)) {
        @Override
        public void send(ClientRequest request, long now) {
            requests.add(describe(request.requestBuilder().build()));
            if (futureResponses().isEmpty()) {
                throw new AssertionError("unexpected request, no answer scripted: " + requests.get(requests.size() - 1));
            }
            super.send(request, now);
        }

        @Override
        public List<ClientResponse> poll(long timeoutMs, long now) {
            if (requests.size() > 100) {
                throw new AssertionError("more than 100 requests: " + requests);
            }
            return super.poll(timeoutMs, now);
        }
    };
    private final CompactedTopicProvisioner provisioner = CompactedTopicProvisioner.over(client, List.of(bootstrap),
            time, TIMEOUT_MS, BACKOFF_MS);

    private static String describe(AbstractRequest body) {
        if (body instanceof MetadataRequest metadata) {
            return "Metadata(" + metadata.topics() + ",autoCreate=" + metadata.allowAutoTopicCreation() + ")";
        }
        if (body instanceof CreateTopicsRequest create) {
            return create.data().topics().stream().map(t -> "CreateTopics(" + t.name() + ",partitions="
                    + t.numPartitions() + ",replication=" + t.replicationFactor() + "," + t.configs().stream()
                    .map(c -> c.name() + "=" + c.value()).toList() + ")").findFirst().orElseThrow();
        }
        if (body instanceof DescribeConfigsRequest configs) {
            return "DescribeConfigs(" + configs.data().resources().get(0).resourceName() + ","
                    + configs.data().resources().get(0).configurationKeys() + ")";
        }
        return body.apiKey().toString();
    }

    private void metadata(int brokers, Errors topicError) {
        MetadataResponse response = topicError == Errors.NONE
                ? RequestTestUtils.metadataUpdateWith("cluster", brokers, Map.of(), Map.of(TOPIC, 1))
                : RequestTestUtils.metadataUpdateWith("cluster", brokers, Map.of(TOPIC, topicError), Map.of());
        client.prepareResponseFrom(response, bootstrap);
    }

    private void created(Errors error) {
        CreateTopicsResponseData data = new CreateTopicsResponseData();
        data.topics().add(new CreatableTopicResult().setName(TOPIC).setErrorCode(error.code())
                .setErrorMessage(error == Errors.NONE ? null : error.message()));
        client.prepareResponseFrom(new CreateTopicsResponse(data), bootstrap);
    }

    private void policy(String value) {
        DescribeConfigsResult result = new DescribeConfigsResult().setResourceName(TOPIC).setResourceType((byte) 2)
                .setConfigs(List.of(new DescribeConfigsResourceResult().setName("cleanup.policy").setValue(value)));
        client.prepareResponseFrom(new DescribeConfigsResponse(new DescribeConfigsResponseData()
                .setResults(List.of(result))), bootstrap);
    }

    @Test
    void createsAMissingTopicCompactedWithOneReplicaPerBrokerUpToThree() {
        metadata(1, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        created(Errors.NONE);
        assertEquals(new Result(Outcome.CREATED, "replication factor 1"), provisioner.ensure(TOPIC));

        metadata(5, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        created(Errors.NONE);
        assertEquals(new Result(Outcome.CREATED, "replication factor 3"), provisioner.ensure(TOPIC));

        assertEquals(List.of("Metadata([branches],autoCreate=false)",
                "CreateTopics(branches,partitions=1,replication=1,[cleanup.policy=compact])",
                "Metadata([branches],autoCreate=false)",
                "CreateTopics(branches,partitions=1,replication=3,[cleanup.policy=compact])"), requests);
    }

    @Test
    void anExistingTopicHasItsCleanupPolicyChecked() {
        metadata(3, Errors.NONE);
        policy("compact,delete");
        assertEquals(new Result(Outcome.COMPACTED, "compact,delete"), provisioner.ensure(TOPIC));

        metadata(3, Errors.NONE);
        policy("delete");
        assertEquals(new Result(Outcome.NOT_COMPACTED, "delete"), provisioner.ensure(TOPIC));

        assertEquals(List.of("Metadata([branches],autoCreate=false)", "DescribeConfigs(branches,[cleanup.policy])",
                "Metadata([branches],autoCreate=false)", "DescribeConfigs(branches,[cleanup.policy])"), requests);
    }

    @Test
    void aTopicCreatedMeanwhileByAnotherNodeIsCheckedLikeAnExistingOne() {
        metadata(1, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        created(Errors.TOPIC_ALREADY_EXISTS);
        policy("compact");

        assertEquals(Outcome.COMPACTED, provisioner.ensure(TOPIC).outcome());
        assertEquals(3, requests.size(), requests.toString());
    }

    @Test
    void refusalsAreAnsweredWithTheBrokersError() {
        metadata(1, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        created(Errors.TOPIC_AUTHORIZATION_FAILED);
        Result createRefused = provisioner.ensure(TOPIC);

        metadata(1, Errors.TOPIC_AUTHORIZATION_FAILED);
        Result describeRefused = provisioner.ensure(TOPIC);

        assertEquals(Outcome.REFUSED, createRefused.outcome());
        assertTrue(createRefused.detail().startsWith("TOPIC_AUTHORIZATION_FAILED: "), createRefused.detail());
        assertEquals(new Result(Outcome.REFUSED, "TOPIC_AUTHORIZATION_FAILED"), describeRefused);
    }

    @Test
    void retriesAnUnreachableBrokerThenGivesUpNamingTheTopic() {
        long attempts = TIMEOUT_MS / BACKOFF_MS;
        for (long i = 0; i < attempts; i++) {
            client.prepareResponseFrom(RequestTestUtils.metadataUpdateWith(1, Map.of()), bootstrap, true);
        }

        TimeoutException e = assertThrows(TimeoutException.class, () -> provisioner.ensure(TOPIC));

        assertTrue(e.getMessage().startsWith("Topic branches could not be checked or created within 1000 ms; last "
                + "problem: "), e.getMessage());
        assertEquals(attempts, requests.size(), "one Metadata request per backoff until the deadline");
    }
}
