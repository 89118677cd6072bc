package io.kafkara.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import javax.naming.NameNotFoundException;
import javax.naming.ServiceUnavailableException;

import org.junit.jupiter.api.Test;

import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.api.KafkaResourceException;

class JndiFactoryLookupTest {

    private static final String REQUESTER = "field com.acme.Orders.kafka";

    @Test
    void returnsTheFactoryBoundAtTheName() {
        FakeConnectionFactory bound = new FakeConnectionFactory();
        FakeJndi jndi = new FakeJndi().bind("java:/kafka/Orders", bound);

        KafkaConnectionFactory found = new JndiFactoryLookup(jndi).find("java:/kafka/Orders", REQUESTER);

        assertSame(bound, found);
        assertEquals(List.of("java:/kafka/Orders"), jndi.lookedUp());
    }

    @Test
    void looksUpTheNameWithoutSurroundingBlanks() {
        FakeConnectionFactory bound = new FakeConnectionFactory();
        FakeJndi jndi = new FakeJndi().bind("java:/kafka/Orders", bound);

        assertSame(bound, new JndiFactoryLookup(jndi).find(" java:/kafka/Orders\n", REQUESTER));
        assertEquals(List.of("java:/kafka/Orders"), jndi.lookedUp());
    }

    @Test
    void anUnboundNameFailsNamingTheNameAndTheInjectionPoint() {
        FakeJndi jndi = new FakeJndi().bind("java:/kafka/Orders", new FakeConnectionFactory());

        KafkaResourceException e = assertThrows(KafkaResourceException.class,
                () -> new JndiFactoryLookup(jndi).find("java:/kafka/Ordrs", REQUESTER));

        assertEquals("No Kafka connection factory is bound at JNDI name java:/kafka/Ordrs (requested by "
                + "@KafkaFactory on field com.acme.Orders.kafka); define a connection definition of the Kafka resource "
                + "adapter with jndi-name java:/kafka/Ordrs and activate it, or correct the name", e.getMessage());
        assertInstanceOf(NameNotFoundException.class, e.getCause());
    }

    @Test
    void aNameBoundToNullCountsAsUnbound() {
        FakeJndi jndi = new FakeJndi().bind("java:/kafka/Orders", null);

        KafkaResourceException e = assertThrows(KafkaResourceException.class,
                () -> new JndiFactoryLookup(jndi).find("java:/kafka/Orders", REQUESTER));

        assertTrue(e.getMessage().startsWith("No Kafka connection factory is bound at JNDI name "
                + "java:/kafka/Orders (requested by @KafkaFactory on field com.acme.Orders.kafka)"), e.getMessage());
    }

    @Test
    void aNameBoundToSomethingElseFailsNamingWhatIsBoundThere() {
        FakeJndi jndi = new FakeJndi().bind("java:jboss/datasources/ExampleDS", "a datasource");

        KafkaResourceException e = assertThrows(KafkaResourceException.class,
                () -> new JndiFactoryLookup(jndi).find("java:jboss/datasources/ExampleDS", REQUESTER));

        assertEquals("JNDI name java:jboss/datasources/ExampleDS (requested by @KafkaFactory on field "
                + "com.acme.Orders.kafka) is bound to a java.lang.String, not a Kafka connection factory; name the "
                + "jndi-name of a connection definition of the Kafka resource adapter", e.getMessage());
    }

    @Test
    void aFailingNamingServiceIsReportedWithTheNameAndItsCause() {
        ServiceUnavailableException down = new ServiceUnavailableException("naming service stopped");
        FakeJndi jndi = new FakeJndi().failingWith(down);

        KafkaResourceException e = assertThrows(KafkaResourceException.class,
                () -> new JndiFactoryLookup(jndi).find("java:/kafka/Orders", REQUESTER));

        assertEquals("Looking up the Kafka connection factory at JNDI name java:/kafka/Orders for field "
                + "com.acme.Orders.kafka failed: javax.naming.ServiceUnavailableException: naming service stopped",
                e.getMessage());
        assertSame(down, e.getCause());
    }

    @Test
    void aBlankNameFailsBeforeAnyLookup() {
        FakeJndi jndi = new FakeJndi();

        KafkaResourceException e = assertThrows(KafkaResourceException.class,
                () -> new JndiFactoryLookup(jndi).find("  ", REQUESTER));

        assertEquals("@KafkaFactory on field com.acme.Orders.kafka names no JNDI name; give the name the connection "
                + "factory is bound at, for example @KafkaFactory(\"java:/kafka/Orders\")", e.getMessage());
        assertEquals(List.of(), jndi.lookedUp());
    }
}
