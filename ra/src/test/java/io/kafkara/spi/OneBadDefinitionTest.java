package io.kafkara.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.MockTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.api.KafkaResourceException;

/**
 * One definition with an invalid setting beside a good one on one adapter: both are activated (a failure at
 * activation would unbind every definition of the adapter), the good one serves, and the bad one's getConnection()
 * fails with the message naming the definition, the property and the value, without the pool's hints.
 */
class OneBadDefinitionTest {

    private final FakeContainer container = new FakeContainer();
    private final MockTime time = new MockTime();
    private KafkaResourceAdapter adapter;

    @BeforeEach
    void startAdapter() throws Exception {
        adapter = new KafkaResourceAdapter(FakeClusterEngines.on(time));
        adapter.start(container);
    }

    @AfterEach
    void stopAdapter() {
        adapter.stop();
    }

    private KafkaConnectionFactory activated(String clientIdPrefix, String lingerMs) throws Exception {
        KafkaManagedConnectionFactory definition = new KafkaManagedConnectionFactory();
        definition.setBootstrapServers("127.0.0.1:9092");
        definition.setKeySerializer(StringSerializer.class.getName());
        definition.setValueSerializer(StringSerializer.class.getName());
        definition.setClientIdPrefix(clientIdPrefix);
        definition.setLingerMs(lingerMs);
        definition.setResourceAdapter(adapter);
        return (KafkaConnectionFactory) definition.createConnectionFactory(container);
    }

    @Test
    void theBadDefinitionRefusesConnectionsWithItsReasonAndTheGoodOneServes() throws Exception {
        KafkaConnectionFactory bad = activated("orders-typo", "-1");
        KafkaConnectionFactory good = activated("orders", "5");

        try (KafkaConnection connection = good.getConnection()) {
            connection.send(new ProducerRecord<>("orders", "still served"));
        }
        assertEquals(1, container.scheduled.size(), "the good definition's engine runs");

        KafkaResourceException refused = assertThrows(KafkaResourceException.class, bad::getConnection);
        assertTrue(refused.getMessage().contains("linger.ms=-1") && refused.getMessage().contains("clientIdPrefix="
                + "orders-typo"), refused.getMessage());
        assertFalse(refused.getMessage().contains("max-pool-size"), "the pool is not the cause: " + refused.getMessage());
    }

    /**
     * A serializer class nobody can load is only a notice at activation (an application may provide it), and the
     * first getConnection() of an application that cannot load it either fails naming the definition, the setting
     * and Kafka's reason, without the pool's hints, before any engine starts.
     */
    @Test
    void aSerializerClassThatDoesNotExistFailsTheFirstConnectionNamingTheDefinition() throws Exception {
        KafkaManagedConnectionFactory definition = new KafkaManagedConnectionFactory();
        definition.setBootstrapServers("127.0.0.1:9092");
        definition.setKeySerializer("com.example.NoSuchSerializer");
        definition.setValueSerializer(StringSerializer.class.getName());
        definition.setClientIdPrefix("missing-class");
        definition.setResourceAdapter(adapter);
        KafkaConnectionFactory factory = (KafkaConnectionFactory) definition.createConnectionFactory(container);

        KafkaResourceException refused = assertThrows(KafkaResourceException.class, factory::getConnection);

        assertTrue(refused.getMessage().startsWith("The connection definition with clientIdPrefix=missing-class "
                + "cannot serve connections to this application: Kafka refused its plug-in settings"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("com.example.NoSuchSerializer")
                && refused.getMessage().contains("key.serializer"), refused.getMessage());
        assertFalse(refused.getMessage().contains("max-pool-size"), "the pool is not the cause: " + refused.getMessage());
        assertEquals(0, container.scheduled.size(), "no engine started");
    }
}
