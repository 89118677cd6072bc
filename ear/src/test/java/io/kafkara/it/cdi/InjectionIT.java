package io.kafkara.it.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.UUID;

import javax.naming.InitialContext;

import jakarta.ejb.EJB;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.api.KafkaFactory;
import io.kafkara.api.KafkaResourceException;
import io.kafkara.it.KafkaBrokerSetup;
import io.kafkara.it.SampleDeployment;
import io.kafkara.it.StrictArchiveValidation;
import io.kafkara.sample.OrderEvents;
import io.kafkara.sample.ShipmentEvents;

/**
 * Both ways an application gets a connection factory, in the shipped EAR against the real broker:
 * {@code @Resource(lookup=...)} (the sample's {@link OrderEvents} EJB) and {@code @Inject @KafkaFactory(...)} (the
 * sample's {@link ShipmentEvents} CDI bean, served by the producer in the RAR's bean archive).
 */
@ExtendWith(ArquillianExtension.class)
@ServerSetup({StrictArchiveValidation.class, KafkaBrokerSetup.class})
class InjectionIT {

    @Deployment
    static EnterpriseArchive sample() {
        return SampleDeployment.withTests(InjectionIT.class, ReadBack.class);
    }

    @EJB
    private OrderEvents orderEvents;

    @Inject
    private ShipmentEvents shipmentEvents;

    @Inject
    @KafkaFactory(OrderEvents.FACTORY)
    private KafkaConnectionFactory injected;

    @Test
    void theInjectedFactoryIsTheOneBoundInJndi() throws Exception {
        assertSame(new InitialContext().lookup(OrderEvents.FACTORY), injected);
    }

    @Test
    void aRecordSentThroughTheResourceInjectedFactoryIsInKafka() {
        String topic = "resource-" + UUID.randomUUID();

        RecordMetadata written = orderEvents.publish(topic, "order-7", "created");

        ConsumerRecord<String, String> read = ReadBack.recordAt(bootstrapServers(), written);
        assertEquals("order-7", read.key());
        assertEquals("created", read.value());
    }

    @Test
    void aRecordSentThroughTheCdiInjectedFactoryIsInKafka() {
        String topic = "cdi-" + UUID.randomUUID();

        RecordMetadata written = shipmentEvents.publish(topic, "shipment-9", "shipped");

        ConsumerRecord<String, String> read = ReadBack.recordAt(bootstrapServers(), written);
        assertEquals("shipment-9", read.key());
        assertEquals("shipped", read.value());
    }

    @Test
    void aJndiNameWithNothingBoundFailsNamingIt() {
        RuntimeException failure = assertThrows(RuntimeException.class, () -> CDI.current()
                .select(KafkaConnectionFactory.class, KafkaFactory.Literal.of("java:/kafka/Missing")).get());

        KafkaResourceException reason = causeOfType(failure, KafkaResourceException.class);
        assertEquals("No Kafka connection factory is bound at JNDI name java:/kafka/Missing (requested by "
                + "@KafkaFactory on a programmatic lookup of io.kafkara.api.KafkaConnectionFactory); define a "
                + "connection definition of the Kafka resource adapter with jndi-name java:/kafka/Missing and "
                + "activate it, or correct the name", reason.getMessage());
    }

    private static <T extends Throwable> T causeOfType(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        throw new AssertionError("Expected a " + type.getName() + " in the cause chain of " + failure, failure);
    }

    /** Inside the server: the address the setup task gave the server. */
    private static String bootstrapServers() {
        return System.getProperty(KafkaBrokerSetup.BOOTSTRAP_PROPERTY);
    }
}
