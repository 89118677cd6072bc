package io.kafkara.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.naming.InitialContext;

import jakarta.ejb.EJB;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.sample.OrderEvents;

/**
 * The shipped sample EAR in a real WildFly against a real broker: the factory is bound in JNDI by the EAR's
 * activation, the EJB gets connections from it, and what it sees and sends is what the broker holds.
 */
@ExtendWith(ArquillianExtension.class)
@ServerSetup({StrictArchiveValidation.class, KafkaBrokerSetup.class})
class SampleEarIT {

    @Deployment
    static EnterpriseArchive sample() {
        return SampleDeployment.withTests(SampleEarIT.class);
    }

    @EJB
    private OrderEvents orderEvents;

    @Test
    void theEarBindsAConnectionFactoryInJndi() throws Exception {
        Object bound = new InitialContext().lookup(OrderEvents.FACTORY);
        assertInstanceOf(KafkaConnectionFactory.class, bound);
    }

    @Test
    void theEjbSeesTheBrokersTopicThroughItsConnection() throws Exception {
        String topic = "partitions-" + UUID.randomUUID();
        Topics.create(bootstrapServers(), topic, 3);

        assertEquals(3, orderEvents.partitionCount(topic));
    }

    @Test
    void anOrderPublishedByTheEjbIsInKafka() {
        String topic = "orders-" + UUID.randomUUID();

        RecordMetadata written = orderEvents.publish(topic, "order-42", "created");

        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            TopicPartition partition = new TopicPartition(topic, written.partition());
            consumer.assign(List.of(partition));
            consumer.seek(partition, written.offset());
            ConsumerRecord<String, String> read = pollOne(consumer);
            assertEquals("order-42", read.key());
            assertEquals("created", read.value());
        }
    }

    private static ConsumerRecord<String, String> pollOne(KafkaConsumer<String, String> consumer) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                return record;
            }
        }
        throw new AssertionError("The record the EJB published was not readable from Kafka within 30 s");
    }

    /**
     * This server has none of the micrometer, microprofile-health and opentelemetry subsystems: the adapter runs
     * without their APIs and says nothing about them above DEBUG (no class-loading error, no Weld notice).
     */
    @Test
    void withoutTheObservabilitySubsystemsTheAdapterLogsNothingAboutThem() throws Exception {
        List<String> log = Files.readAllLines(Path.of(System.getProperty("jboss.server.log.dir"), "server.log"));
        assertTrue(log.stream().anyMatch(line -> line.contains("KAFKARA-RA-015")), "the adapter started here");
        List<String> about = log.stream()
                .filter(line -> line.contains(" INFO ") || line.contains(" WARN ") || line.contains(" ERROR "))
                .filter(line -> List.of("io.kafkara.observe", "io.micrometer", "io.opentelemetry",
                        "org.eclipse.microprofile.health", "WELD-000119").stream().anyMatch(line::contains))
                .toList();
        assertEquals(List.of(), about);
    }

    /** Inside the server: the address the setup task gave the server. */
    private static String bootstrapServers() {
        return System.getProperty(KafkaBrokerSetup.BOOTSTRAP_PROPERTY);
    }
}
