package io.kafkara.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Member;
import java.util.List;

import jakarta.enterprise.inject.literal.NamedLiteral;
import jakarta.inject.Named;

import org.junit.jupiter.api.Test;

import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.api.KafkaFactory;
import io.kafkara.api.KafkaResourceException;

class KafkaFactoryProducerTest {

    /** A class an application could write: its field is the injection point the producer is asked to serve. */
    static final class ShipmentEvents {
        @KafkaFactory("java:/kafka/Shipments")
        KafkaConnectionFactory shipments;

        void publish(@KafkaFactory("java:/kafka/Audit") KafkaConnectionFactory audit) {
            // Only its parameter matters here.
        }
    }

    private final FakeConnectionFactory orders = new FakeConnectionFactory();
    private final FakeConnectionFactory shipments = new FakeConnectionFactory();
    private final FakeJndi jndi = new FakeJndi()
            .bind("java:/kafka/Orders", orders)
            .bind("java:/kafka/Shipments", shipments);
    private final KafkaFactoryProducer producer = new KafkaFactoryProducer(new JndiFactoryLookup(jndi));

    @Test
    void eachInjectionPointGetsTheFactoryBoundAtItsQualifiersName() throws Exception {
        Member field = ShipmentEvents.class.getDeclaredField("shipments");
        KafkaFactory qualifier = ShipmentEvents.class.getDeclaredField("shipments").getAnnotation(KafkaFactory.class);

        assertSame(shipments, producer.connectionFactory(new FakeInjectionPoint(field, qualifier)));
        assertSame(orders, producer.connectionFactory(new FakeInjectionPoint(field,
                KafkaFactory.Literal.of("java:/kafka/Orders"))));
        assertEquals(List.of("java:/kafka/Shipments", "java:/kafka/Orders"), jndi.lookedUp());
    }

    @Test
    void aFailureNamesTheFieldThatAskedForTheName() throws Exception {
        Member field = ShipmentEvents.class.getDeclaredField("shipments");

        KafkaResourceException e = assertThrows(KafkaResourceException.class, () -> producer.connectionFactory(
                new FakeInjectionPoint(field, KafkaFactory.Literal.of("java:/kafka/Missing"))));

        assertTrue(e.getMessage().startsWith("No Kafka connection factory is bound at JNDI name "
                + "java:/kafka/Missing (requested by @KafkaFactory on field "
                + "io.kafkara.cdi.KafkaFactoryProducerTest$ShipmentEvents.shipments)"), e.getMessage());
    }

    @Test
    void aFailureNamesTheMethodWhoseParameterAskedForTheName() throws Exception {
        Member method = ShipmentEvents.class.getDeclaredMethod("publish", KafkaConnectionFactory.class);

        KafkaResourceException e = assertThrows(KafkaResourceException.class, () -> producer.connectionFactory(
                new FakeInjectionPoint(method, KafkaFactory.Literal.of("java:/kafka/Audit"))));

        assertTrue(e.getMessage().contains("(requested by @KafkaFactory on parameter of "
                + "io.kafkara.cdi.KafkaFactoryProducerTest$ShipmentEvents.publish)"), e.getMessage());
    }

    @Test
    void aProgrammaticLookupHasNoMemberAndIsDescribedByItsType() {
        KafkaResourceException e = assertThrows(KafkaResourceException.class, () -> producer.connectionFactory(
                new FakeInjectionPoint(null, KafkaFactory.Literal.of("java:/kafka/Missing"))));

        assertTrue(e.getMessage().contains("(requested by @KafkaFactory on a programmatic lookup of "
                + "io.kafkara.api.KafkaConnectionFactory)"), e.getMessage());
    }

    @Test
    void anInjectionPointWithoutTheQualifierIsRefused() throws Exception {
        Member field = ShipmentEvents.class.getDeclaredField("shipments");
        Named other = NamedLiteral.of("orders");

        KafkaResourceException e = assertThrows(KafkaResourceException.class,
                () -> producer.connectionFactory(new FakeInjectionPoint(field, other)));

        assertEquals("The injection point field io.kafkara.cdi.KafkaFactoryProducerTest$ShipmentEvents.shipments "
                + "carries no @KafkaFactory qualifier", e.getMessage());
        assertEquals(List.of(), jndi.lookedUp());
    }

    @Test
    void theQualifierLiteralEqualsTheAnnotationWithTheSameName() throws Exception {
        KafkaFactory annotated = ShipmentEvents.class.getDeclaredField("shipments").getAnnotation(KafkaFactory.class);

        assertEquals(annotated, KafkaFactory.Literal.of("java:/kafka/Shipments"));
        assertEquals(annotated.hashCode(), KafkaFactory.Literal.of("java:/kafka/Shipments").hashCode());
    }
}
