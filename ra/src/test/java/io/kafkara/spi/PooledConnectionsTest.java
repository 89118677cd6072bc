package io.kafkara.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.security.auth.Subject;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.security.PasswordCredential;
import jakarta.resource.spi.work.HintsContext;

import org.apache.kafka.clients.ClientResponse;
import org.apache.kafka.clients.Metadata;
import org.apache.kafka.clients.MockClient;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.requests.RequestTestUtils;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.MockTime;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.api.KafkaResourceException;
import io.kafkara.engine.EngineAccess;
import io.kafkara.engine.EngineStoppedException;
import io.kafkara.engine.ProducerEngine;
import io.kafkara.engine.kafka.DoorAccess;
import io.kafkara.engine.kafka.RecordMemory;

/** The pooling contract of one connection definition, in a fake container with engines over a fake network. */
class PooledConnectionsTest {

    /** A network client whose poll fails once told to, as a sender loop whose classes were unloaded would. */
    static final class BreakableClient extends MockClient {
        volatile Error breakWith;

        BreakableClient(Time time, Metadata metadata) {
            super(time, metadata);
        }

        @Override
        public List<ClientResponse> poll(long timeoutMs, long now) {
            if (breakWith != null) {
                throw breakWith;
            }
            return super.poll(timeoutMs, now);
        }
    }

    private final FakeContainer container = new FakeContainer();
    private BreakableClient network;
    private KafkaResourceAdapter adapter;
    private KafkaManagedConnectionFactory definition;

    @BeforeEach
    void startAdapter() throws Exception {
        adapter = newAdapter();
        adapter.start(container);
        definition = definition("127.0.0.1:9092");
    }

    private KafkaResourceAdapter newAdapter() {
        MockTime time = new MockTime();
        return new KafkaResourceAdapter((config, loader) -> EngineAccess.create(config, loader, time, metadata -> {
            network = new BreakableClient(time, metadata);
            // The fake cluster knows topic "orders", so sends need no metadata round trip.
            metadata.add("orders", time.milliseconds());
            network.updateMetadata(RequestTestUtils.metadataUpdateWithIds(1, Map.of("orders", 3),
                    Map.of("orders", Uuid.randomUuid())));
            return network;
        }));
    }

    @AfterEach
    void stopAdapter() {
        adapter.stop();
    }

    private KafkaManagedConnectionFactory definition(String bootstrapServers) throws ResourceException {
        KafkaManagedConnectionFactory factory = new KafkaManagedConnectionFactory();
        factory.setBootstrapServers(bootstrapServers);
        factory.setKeySerializer(StringSerializer.class.getName());
        factory.setValueSerializer(StringSerializer.class.getName());
        factory.setResourceAdapter(adapter);
        return factory;
    }

    private KafkaConnectionFactory connectionFactory() {
        return (KafkaConnectionFactory) definition.createConnectionFactory(container);
    }

    @Test
    void connectionsOfOneDefinitionShareOneEngineWhoseLoopIsOneLongRunningWork() {
        KafkaConnectionFactory factory = connectionFactory();

        try (KafkaConnection first = factory.getConnection(); KafkaConnection second = factory.getConnection()) {
            first.send(new ProducerRecord<>("orders", "a"));
            second.send(new ProducerRecord<>("orders", "b"));
        }

        assertEquals(1, container.scheduled.size(), "one sender Work for the definition");
        SenderLoopWork work = assertInstanceOf(SenderLoopWork.class, container.scheduled.get(0));
        HintsContext hints = assertInstanceOf(HintsContext.class, work.getWorkContexts().get(0));
        assertEquals(Boolean.TRUE, hints.getHints().get(HintsContext.LONGRUNNING_HINT));
        assertEquals("kafka-ra-sender-kafka-ra-1", hints.getHints().get(HintsContext.NAME_HINT));
        assertEquals(List.of("closed", "closed"), container.events);
        assertEquals(2, container.idle.size(), "both pooled connections were returned");
    }

    /**
     * The shared engine's loop never runs in this container, so another handle's record stays unsent: Kafka's
     * flush() (the whole engine) would wait for it forever; a handle's flush() waits for its own sends only.
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aHandlesFlushWaitsForItsOwnSendsNotForOtherCallersRecordsOnTheSharedEngine() throws Exception {
        KafkaConnectionFactory factory = connectionFactory();
        try (KafkaConnection waiting = factory.getConnection(); KafkaConnection flushing = factory.getConnection()) {
            Future<RecordMetadata> unsent = waiting.send(new ProducerRecord<>("orders", "waits for the loop"));
            Future<RecordMetadata> refused = flushing.send(new ProducerRecord<>("not a topic!", "refused at once"));

            flushing.flush();

            assertTrue(refused.isDone(), "its own send completed (failed: an invalid topic name)");
            assertFalse(unsent.isDone(), "the other handle's record is still waiting for the sender loop");
        }
        KafkaConnection closed = factory.getConnection();
        closed.close();
        assertThrows(IllegalStateException.class, closed::flush);
    }

    @Test
    void theSharedEngineAllocatesFromTheDefinitionsRecordMemoryWhichARestartedAdapterSetsUpAnew() throws Exception {
        KafkaConnectionFactory factory = connectionFactory();
        RecordMemory memory = definition.recordMemory();
        try (KafkaConnection connection = factory.getConnection()) {
            connection.send(new ProducerRecord<>("orders", "held in a batch until the loop runs"));
        }
        assertTrue(DoorAccess.availableBytes(memory) < DoorAccess.totalBytes(memory),
                "the engine's batch came from the definition's memory: " + DoorAccess.availableBytes(memory) + " of "
                        + DoorAccess.totalBytes(memory) + " available");
        assertSame(memory, definition.recordMemory(), "one memory per definition");

        adapter.stop();
        adapter.start(container);
        assertNotSame(memory, definition.recordMemory(), "a new start of the adapter, a new memory");
    }

    @Test
    void closingAHandleReturnsItsConnectionButNeverClosesTheSharedEngine() {
        KafkaConnectionFactory factory = connectionFactory();
        KafkaConnection first = factory.getConnection();
        first.close();
        first.close();

        try (KafkaConnection again = factory.getConnection()) {
            again.send(new ProducerRecord<>("orders", "still sending"));
        }

        assertEquals(List.of("closed", "closed"), container.events, "a second close() of a handle is a no-op");
        assertEquals(1, container.idle.size(), "the returned connection was reused");
        assertEquals(1, container.scheduled.size(), "no second engine was needed");
    }

    @Test
    void aClosedHandleRefusesEveryCallWithAClearMessage() {
        KafkaConnection handle = connectionFactory().getConnection();
        handle.close();

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> handle.send(new ProducerRecord<>("orders", "late")));
        assertTrue(refused.getMessage().contains("connection is closed"), refused.getMessage());
        assertThrows(IllegalStateException.class, handle::flush);
        assertThrows(IllegalStateException.class, () -> handle.partitionsFor("orders"));
        assertThrows(IllegalStateException.class, () -> handle.sendAsync(new ProducerRecord<>("orders", "late")));
    }

    @Test
    void aPooledConnectionServesOnlyTheSameSettingsAndTheSameCredential() throws Exception {
        ManagedConnection pooled = definition.createManagedConnection(null, null);
        Subject alice = subjectWith(definition, "alice", "secret");

        assertSame(pooled, definition.matchManagedConnections(Set.of(pooled), null, null));
        assertNull(definition("127.0.0.1:9093").matchManagedConnections(Set.of(pooled), null, null),
                "other bootstrap servers");
        assertNull(definition.matchManagedConnections(Set.of(pooled), alice, null), "another credential");
        ManagedConnection alices = definition.createManagedConnection(alice, null);
        assertSame(alices, definition.matchManagedConnections(Set.of(pooled, alices),
                subjectWith(definition, "alice", "secret"), null));
        assertNull(definition.matchManagedConnections(Set.of(alices), subjectWith(definition, "alice", "guess"), null),
                "same user, other password");
    }

    @Test
    void whenTheEngineDiesTheConnectionReportsAnErrorAndTheDefinitionStartsAFreshEngine() throws Exception {
        KafkaConnectionFactory factory = connectionFactory();
        KafkaConnection handle = factory.getConnection();
        ManagedConnection dying = definition.createManagedConnection(null, null);

        // the container runs the sender Work; its first poll fails for good
        network.breakWith = new NoClassDefFoundError("org/apache/kafka/common/network/Selector");
        assertThrows(NoClassDefFoundError.class, () -> container.runToCompletion(0));
        assertEquals(0, adapter.engines().runningCount(), "the dead engine was released, not kept");

        EngineStoppedException stopped = assertThrows(EngineStoppedException.class,
                () -> handle.send(new ProducerRecord<>("orders", "lost")));
        assertTrue(stopped.getMessage().contains("kafka-ra-1"), stopped.getMessage());
        assertEquals(List.of("error: EngineStoppedException"), container.events);
        assertEquals(1, container.destroyed.size(), "the pool destroyed the connection of the failing handle");
        assertEquals(Set.of(dying), definition.getInvalidConnections(Set.of(dying)), "validation finds the other one");
        assertNull(definition.matchManagedConnections(Set.of(dying), null, null));

        try (KafkaConnection fresh = factory.getConnection()) {
            fresh.send(new ProducerRecord<>("orders", "after"));
        }
        assertEquals(2, container.scheduled.size(), "a new engine with its own sender Work");
        assertEquals(1, adapter.engines().runningCount(), "only the fresh engine is tracked");
        assertNotSame(container.scheduled.get(0), container.scheduled.get(1));
    }

    @Test
    void aPoolFailureReachesTheApplicationWithWhatToChange() {
        ConnectionManager exhaustedPool = (mcf, info) -> {
            throw new ResourceException("IJ000655: No managed connections available within configured "
                    + "blocking timeout (500 [ms])");
        };
        KafkaConnectionFactory factory = (KafkaConnectionFactory) definition.createConnectionFactory(exhaustedPool);

        KafkaResourceException failure = assertThrows(KafkaResourceException.class, factory::getConnection);

        assertTrue(failure.getMessage().contains("IJ000655"), failure.getMessage());
        assertTrue(failure.getMessage().contains("max-pool-size"), failure.getMessage());
    }

    @Test
    void stoppingTheAdapterClosesItsEnginesAndRefusesNewConnections() throws Exception {
        try (KafkaConnection handle = connectionFactory().getConnection()) {
            handle.send(new ProducerRecord<>("orders", "x"));
        }
        ProducerEngine engine = ((KafkaManagedConnection) container.idle.get(0)).route(null).engine();

        // the container releases the Work when the adapter stops; the loop then drains and ends
        container.scheduled.get(0).release();
        adapter.stop();

        assertTrue(!engine.isAlive(), "the engine is closed");
        ResourceException refused = assertThrows(ResourceException.class,
                () -> definition.createManagedConnection(null, null));
        assertTrue(refused.getMessage().contains("not started"), refused.getMessage());
        engine.close(Duration.ZERO);
    }

    @Test
    void aConnectionPrefilledBeforeTheAdapterStartsTakesTheEngineAtItsFirstUse() throws Exception {
        KafkaResourceAdapter deploying = newAdapter();
        definition.setResourceAdapter(deploying);

        // IronJacamar's pool filler, before the adapter is started
        ManagedConnection prefilled = definition.createManagedConnection(null, null);
        assertEquals(0, container.scheduled.size(), "no engine, no Work before the adapter runs");

        deploying.start(container);
        try (KafkaConnection handle = (KafkaConnection) prefilled.getConnection(null, null)) {
            handle.send(new ProducerRecord<>("orders", "after start"));
        }
        assertEquals(1, container.scheduled.size(), "the first send started the shared engine: " + container.scheduled);
        ProducerEngine engine = ((KafkaManagedConnection) prefilled).route(null).engine();
        assertTrue(engine.isAlive(), "the prefilled connection's engine runs");

        // the container releases the Work when the adapter stops
        container.scheduled.get(0).release();
        deploying.stop();
        engine.close(Duration.ZERO);
    }

    private static Subject subjectWith(KafkaManagedConnectionFactory factory, String user, String password) {
        PasswordCredential credential = new PasswordCredential(user, password.toCharArray());
        credential.setManagedConnectionFactory(factory);
        Subject subject = new Subject();
        subject.getPrivateCredentials().add(credential);
        return subject;
    }
}
