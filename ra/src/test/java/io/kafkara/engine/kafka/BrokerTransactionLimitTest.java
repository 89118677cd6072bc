package io.kafkara.engine.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestTestUtils;
import org.apache.kafka.common.utils.MockTime;
import org.junit.jupiter.api.Test;

/**
 * The brokers' transaction.max.timeout.ms read as Kafka's Admin client would (Metadata, then DescribeConfigs of one
 * broker sent to that broker), over Kafka's MockClient and MockTime. A request nobody scripted fails the test.
 */
class BrokerTransactionLimitTest {

    private final MockTime time = new MockTime(0, 1_000_000, 0);
    private final Node bootstrap = new Node(-1, "localhost", 9092);
    private final ScriptedClient client = new ScriptedClient(time, List.of(bootstrap),
            BrokerTransactionLimitTest::describe);
    private final BrokerTransactionLimit limit = new BrokerTransactionLimit(new ShortLivedClient(client,
            List.of(bootstrap), time, 100, () -> { }), 1_000);

    private static String describe(AbstractRequest body) {
        if (body instanceof MetadataRequest) {
            return "Metadata";
        }
        if (body instanceof DescribeConfigsRequest configs) {
            return "DescribeConfigs(broker " + configs.data().resources().get(0).resourceName() + ","
                    + configs.data().resources().get(0).configurationKeys() + ")";
        }
        return body.apiKey().toString();
    }

    private Node brokers() {
        MetadataResponse metadata = RequestTestUtils.metadataUpdateWith("cluster", 3, Map.of(), Map.of());
        client.prepareResponseFrom(metadata, bootstrap);
        return metadata.brokers().stream().filter(node -> node.id() == 0).findFirst().orElseThrow();
    }

    private void configs(Node broker, Errors error, String value) {
        DescribeConfigsResult result = new DescribeConfigsResult().setResourceName(broker.idString())
                .setResourceType((byte) 4).setErrorCode(error.code())
                .setErrorMessage(error == Errors.NONE ? null : error.message())
                .setConfigs(value == null ? List.of() : List.of(new DescribeConfigsResourceResult()
                        .setName("transaction.max.timeout.ms").setValue(value)));
        client.prepareResponseFrom(new DescribeConfigsResponse(new DescribeConfigsResponseData()
                .setResults(List.of(result))), broker);
    }

    @Test
    void readsTheMaximumFromTheBrokerItselfAfterTheMetadataNamedIt() {
        Node broker = brokers();
        configs(broker, Errors.NONE, "900000");

        assertEquals(900_000, limit.maxTransactionTimeoutMs());
        assertEquals(List.of("Metadata@-1", "DescribeConfigs(broker 0,[transaction.max.timeout.ms])@0"),
                client.transcript());
    }

    @Test
    void aRefusalNamesTheBrokerAndTheError() {
        Node broker = brokers();
        configs(broker, Errors.CLUSTER_AUTHORIZATION_FAILED, null);

        KafkaException refused = assertThrows(KafkaException.class, limit::maxTransactionTimeoutMs);
        assertTrue(refused.getMessage().contains("broker 0 answered CLUSTER_AUTHORIZATION_FAILED"),
                refused.getMessage());
    }

    @Test
    void noAnswerWithinTheTimeoutIsKafkasTimeoutNamingTheSetting() {
        client.setUnreachable(bootstrap, 10_000);

        TimeoutException timeout = assertThrows(TimeoutException.class, limit::maxTransactionTimeoutMs);
        assertTrue(timeout.getMessage().contains("transaction.max.timeout.ms") && timeout.getMessage()
                .contains("1000 ms"), timeout.getMessage());
    }
}
