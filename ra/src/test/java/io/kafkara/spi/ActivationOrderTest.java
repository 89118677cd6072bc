package io.kafkara.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.MockTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The specification leaves open whether a container sets a definition's config properties before or after
 * setResourceAdapter: IronJacamar sets them first, Open Liberty afterwards. Either way the definition judges the
 * values it has when the container first uses it.
 */
class ActivationOrderTest {

    private KafkaResourceAdapter adapter;

    @BeforeEach
    void startAdapter() throws Exception {
        adapter = new KafkaResourceAdapter(FakeClusterEngines.on(new MockTime()));
        adapter.start(new FakeContainer());
    }

    @AfterEach
    void stopAdapter() {
        adapter.stop();
    }

    @Test
    void propertiesSetAfterTheAssociationAreTheOnesJudged() throws Exception {
        KafkaManagedConnectionFactory definition = new KafkaManagedConnectionFactory();
        definition.setResourceAdapter(adapter);
        definition.setBootstrapServers("127.0.0.1:9092");
        definition.setKeySerializer(StringSerializer.class.getName());
        definition.setValueSerializer(StringSerializer.class.getName());

        definition.createConnectionFactory(null);

        assertEquals(null, definition.activationFailure());
    }

    @Test
    void aMissingPropertyIsNamedWhicheverTheOrder() throws Exception {
        KafkaManagedConnectionFactory definition = new KafkaManagedConnectionFactory();
        definition.setBootstrapServers("127.0.0.1:9092");
        definition.setResourceAdapter(adapter);
        definition.setKeySerializer(StringSerializer.class.getName());

        definition.createConnectionFactory(null);

        String refusal = definition.activationFailure().getMessage();
        assertTrue(refusal.contains("value.serializer is required and not set"), refusal);
        assertFalse(refusal.contains("key.serializer is required"), "the key serializer set afterwards counts: "
                + refusal);
    }
}
