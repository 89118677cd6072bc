package io.kafkara.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.MockTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The open handles of one managed connection: a set by identity, whatever the order of adds and removes. */
class OpenHandlesTest {

    private final FakeContainer container = new FakeContainer();
    private KafkaResourceAdapter adapter;
    private KafkaManagedConnection connection;

    @BeforeEach
    void startAdapter() throws Exception {
        adapter = new KafkaResourceAdapter(FakeClusterEngines.on(new MockTime()));
        adapter.start(container);
        KafkaManagedConnectionFactory definition = new KafkaManagedConnectionFactory();
        definition.setBootstrapServers("127.0.0.1:9092");
        definition.setKeySerializer(StringSerializer.class.getName());
        definition.setValueSerializer(StringSerializer.class.getName());
        definition.setResourceAdapter(adapter);
        connection = (KafkaManagedConnection) definition.createManagedConnection(null, null);
    }

    @AfterEach
    void stopAdapter() {
        adapter.stop();
    }

    @Test
    void eachHandleIsRemovedOnceAndOnlyIfItWasAdded() {
        OpenHandles open = new OpenHandles();
        KafkaConnectionImpl first = new KafkaConnectionImpl(connection);
        KafkaConnectionImpl second = new KafkaConnectionImpl(connection);
        KafkaConnectionImpl third = new KafkaConnectionImpl(connection);

        open.add(first);
        open.add(second);
        open.add(second);
        open.add(third);

        assertEquals(List.of(first, second, third), open.snapshot(), "a set: the second add of a handle changes nothing");
        assertTrue(open.remove(first));
        assertFalse(open.remove(first), "removed already");
        assertTrue(open.remove(second));
        assertFalse(open.remove(second), "added twice, still one member");
        assertEquals(List.of(third), open.snapshot());
        open.add(first);
        assertEquals(List.of(first, third), open.snapshot(), "the free first place is taken again");
    }

    @Test
    void removeAllEmptiesTheSetAndGivesWhatItHeld() {
        OpenHandles open = new OpenHandles();
        KafkaConnectionImpl first = new KafkaConnectionImpl(connection);
        KafkaConnectionImpl second = new KafkaConnectionImpl(connection);
        open.add(first);
        open.add(second);

        assertEquals(List.of(first, second), open.removeAll());
        assertEquals(List.of(), open.snapshot());
        assertFalse(open.remove(second));
        assertEquals(List.of(), open.removeAll(), "nothing twice");
    }
}
