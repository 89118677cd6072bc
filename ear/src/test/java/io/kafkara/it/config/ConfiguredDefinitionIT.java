package io.kafkara.it.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.it.KafkaBrokerSetup;
import io.kafkara.it.SampleDeployment;
import io.kafkara.it.StrictArchiveValidation;
import io.kafkara.sample.OrderEvents;

/**
 * A connection definition configured through the management model (see {@link ConfiguredDefinitionSetup}) gets
 * what the administrator wrote: its typed property and its producerProperties entry reach the engine, and it
 * inherits the brokers from the resource adapter. The sample's own definition keeps Kafka's defaults.
 */
@ExtendWith(ArquillianExtension.class)
@ServerSetup({StrictArchiveValidation.class, KafkaBrokerSetup.class, ConfiguredDefinitionSetup.class})
class ConfiguredDefinitionIT {

    @Deployment
    static EnterpriseArchive sample() {
        return SampleDeployment.withTests(ConfiguredDefinitionIT.class);
    }

    @Resource(lookup = ConfiguredDefinitionSetup.JNDI_NAME)
    private KafkaConnectionFactory configured;

    @EJB
    private OrderEvents orderEvents;

    @Test
    void theTypedMaxRequestSizeLimitsRecords() throws Exception {
        String topic = createTopic("max-request-size-");
        ProducerRecord<String, String> tooLarge = new ProducerRecord<>(topic, "k", "x".repeat(4 * 1024));

        ExecutionException failure;
        try (KafkaConnection connection = configured.getConnection()) {
            failure = assertThrows(ExecutionException.class, () -> connection.send(tooLarge).get());
        }

        RecordTooLargeException cause = assertInstanceOf(RecordTooLargeException.class, failure.getCause());
        assertTrue(cause.getMessage().contains(String.valueOf(ConfiguredDefinitionSetup.MAX_REQUEST_SIZE)),
                "Expected the configured limit in: " + cause.getMessage());
    }

    /**
     * enable.idempotence=false, set only in producerProperties, reaches the engine: the broker tracks no producer
     * for the partition it wrote to, while it tracks one for the sample definition's idempotent engine.
     */
    @Test
    void theProducerPropertiesEntryTurnsIdempotenceOff() throws Exception {
        String configuredTopic = createTopic("not-idempotent-");
        String sampleTopic = createTopic("idempotent-");

        RecordMetadata written;
        try (KafkaConnection connection = configured.getConnection()) {
            written = connection.send(new ProducerRecord<>(configuredTopic, "k", "v")).get();
        }
        RecordMetadata control = orderEvents.publish(sampleTopic, "k", "v");

        assertTrue(written.hasOffset(), "acks=all (Kafka's default) reports the record's offset");
        assertEquals(0, activeProducers(new TopicPartition(configuredTopic, written.partition())).size(),
                "A producer without idempotence has no producer id, so the broker tracks none");
        assertEquals(1, activeProducers(new TopicPartition(sampleTopic, control.partition())).size(),
                "The sample definition's engine is idempotent (Kafka's default), so the broker tracks it");
    }

    private static List<ProducerState> activeProducers(TopicPartition partition) throws Exception {
        try (Admin admin = admin()) {
            return admin.describeProducers(List.of(partition)).partitionResult(partition).get().activeProducers();
        }
    }

    private static String createTopic(String prefix) throws Exception {
        String topic = prefix + UUID.randomUUID();
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        return topic;
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                System.getProperty(KafkaBrokerSetup.BOOTSTRAP_PROPERTY)));
    }
}
