package io.kafkara.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.DissociatableManagedConnection;
import jakarta.resource.spi.LazyAssociatableConnectionManager;
import jakarta.resource.spi.LazyEnlistableConnectionManager;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.transaction.Status;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.MockTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.api.KafkaResourceException;
import io.kafkara.api.KafkaTransactionException;

/**
 * Handles the application never closes. They do not strand the pool: a full pool takes the connection of an idle
 * handle back (JCA lazy association, as IronJacamar does), and that handle gets a connection again at its next call,
 * through the same shared engine. And each lost handle is named once, closed ones never; the stack where a handle was
 * obtained is taken only with leakStackTraces=true. The garbage collector's part is played by
 * {@link java.lang.ref.Reference#enqueue()}, which is what it does with the tracking reference of a handle that
 * became unreachable.
 */
class LeakedHandlesTest {

    private final FakeContainer container = new FakeContainer();
    private KafkaResourceAdapter adapter;
    private KafkaManagedConnectionFactory definition;

    @BeforeEach
    void startAdapter() throws Exception {
        adapter = new KafkaResourceAdapter(FakeClusterEngines.on(new MockTime()));
        adapter.start(container);
        definition = new KafkaManagedConnectionFactory();
        definition.setBootstrapServers("127.0.0.1:9092");
        definition.setKeySerializer(StringSerializer.class.getName());
        definition.setValueSerializer(StringSerializer.class.getName());
        definition.setResourceAdapter(adapter);
    }

    @AfterEach
    void stopAdapter() {
        adapter.stop();
    }

    @Test
    void aFullPoolTakesTheConnectionOfAnOpenHandleWhichGetsOneAgainAtItsNextCall() {
        FakeLazyPool pool = new FakeLazyPool(2);

        KafkaConnectionFactory factory = factoryOver(pool);
        KafkaConnection first = factory.getConnection();
        KafkaConnection second = factory.getConnection();
        KafkaConnection third = factory.getConnection();
        assertEquals(List.of("dissociated"), pool.events, "the third took the connection of the first");

        // the first handle's next call: the pool lends it the connection of the second
        first.send(new ProducerRecord<>("orders", "first, again"));
        assertEquals(List.of("dissociated", "dissociated", "associated"), pool.events);

        // the second takes one back in turn, from the third (checked out longest), and the third from the first
        second.send(new ProducerRecord<>("orders", "second, again"));
        third.send(new ProducerRecord<>("orders", "third"));
        assertEquals(List.of("dissociated", "dissociated", "associated", "dissociated", "associated", "dissociated",
                "associated"), pool.events);
        assertEquals(2, pool.checkedOutCount(), "never more connections than the pool holds");
        assertEquals(1, container.scheduled.size(), "every handle sent through the definition's one shared engine");
    }

    @Test
    void closingADissociatedHandleReturnsNothingAndLeavesTheConnectionToItsNewHandle() {
        FakeLazyPool pool = new FakeLazyPool(1);
        KafkaConnectionFactory factory = factoryOver(pool);
        KafkaConnection lent = factory.getConnection();
        KafkaConnection borrower = factory.getConnection();

        lent.close();
        lent.close();

        // the fake pool fails on a CONNECTION_CLOSED for a handle it does not hold on that connection
        assertEquals(List.of("dissociated", "inactive handle closed"), pool.events, "a second close() is a no-op");
        borrower.send(new ProducerRecord<>("orders", "still the borrower's"));
        assertEquals(1, pool.checkedOutCount(), "the borrower keeps its connection");
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> lent.send(new ProducerRecord<>("orders", "late")));
        assertTrue(refused.getMessage().contains("connection is closed"), refused.getMessage());

        borrower.close();
        assertEquals(List.of("dissociated", "inactive handle closed", "closed"), pool.events);
        assertEquals(0, pool.checkedOutCount());
    }

    @Test
    void aHandleThatNoConnectionManagerCanAssociateAgainSaysToObtainANewConnection() throws Exception {
        // a handle the container took itself, not through the connection factory (recovery's validity check does)
        KafkaManagedConnection connection = (KafkaManagedConnection) definition.createManagedConnection(null, null);
        KafkaConnection handle = (KafkaConnection) connection.getConnection(null, null);
        connection.dissociateConnections();

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> handle.send(new ProducerRecord<>("orders", "x")));
        assertTrue(refused.getMessage().contains("obtain a new connection"), refused.getMessage());
        connection.destroy();
    }

    /**
     * IronJacamar's lazy enlistment, when the caller's transaction has a connection of the pool already, dissociates
     * the caller's connection and returns it to the pool instead of enlisting it: the handle must ask the container
     * for a connection again (it gets the transaction's) and ask that one, not refuse at once.
     */
    @Test
    void aHandleMovedWhileItsConnectionIsEnlistedAsksItsNewConnection() throws Exception {
        definition.setTransactionSupportLevel("LocalTransaction");
        definition.setTransactionalIdPrefix("orders");
        definition.setTransactionalIdNode("node-1");
        definition.setResourceAdapter(adapter);
        MovingEnlister enlister = new MovingEnlister();
        KafkaConnection handle = factoryOver(enlister).getConnection();
        container.transactions.inTransaction("tx-1", Status.STATUS_ACTIVE);

        KafkaTransactionException refused = assertThrows(KafkaTransactionException.class,
                () -> handle.send(new ProducerRecord<>("orders", "in tx-1")));

        // this fake's second connection has no transaction begun on it, so the second ask is refused as well
        assertEquals(List.of("lazyEnlist connection 1", "dissociated connection 1", "associated connection 2",
                "lazyEnlist connection 2"), enlister.transcript);
        assertTrue(refused.getMessage().contains("did not begin a transaction on it"), refused.getMessage());
    }

    /** Moves the handle of the first connection at its lazy enlistment; gives it a second connection after that. */
    private static final class MovingEnlister
            implements ConnectionManager, LazyEnlistableConnectionManager, LazyAssociatableConnectionManager {

        private static final long serialVersionUID = 1L;

        final List<String> transcript = new ArrayList<>();
        private final List<ManagedConnection> connections = new ArrayList<>();

        @Override
        public Object allocateConnection(ManagedConnectionFactory factory, ConnectionRequestInfo info)
                throws ResourceException {
            return newConnection(factory).getConnection(null, info);
        }

        @Override
        public void lazyEnlist(ManagedConnection connection) throws ResourceException {
            String name = "connection " + (connections.indexOf(connection) + 1);
            transcript.add("lazyEnlist " + name);
            if (connections.indexOf(connection) == 0) {
                ((DissociatableManagedConnection) connection).dissociateConnections();
                transcript.add("dissociated " + name);
            }
        }

        @Override
        public void associateConnection(Object handle, ManagedConnectionFactory factory, ConnectionRequestInfo info)
                throws ResourceException {
            newConnection(factory).associateConnection(handle);
            transcript.add("associated connection " + connections.size());
        }

        @Override
        public void inactiveConnectionClosed(Object handle, ManagedConnectionFactory factory) {
            throw new UnsupportedOperationException("inactiveConnectionClosed");
        }

        private ManagedConnection newConnection(ManagedConnectionFactory factory) throws ResourceException {
            ManagedConnection connection = factory.createManagedConnection(null, null);
            connections.add(connection);
            return connection;
        }
    }

    private KafkaConnectionFactory factoryOver(ConnectionManager connectionManager) {
        return (KafkaConnectionFactory) definition.createConnectionFactory(connectionManager);
    }

    private KafkaConnectionImpl newHandle() throws Exception {
        return (KafkaConnectionImpl) definition.createManagedConnection(null, null).getConnection(null, null);
    }

    @Test
    void aLostHandleIsNamedOnceWithoutAStackByDefault() throws Exception {
        LeakedHandles leaks = new LeakedHandles("The connection definition with clientIdPrefix=orders", false);
        leaks.track(newHandle());
        LeakedHandles.Tracking lost = leaks.track(newHandle());

        lost.enqueue();
        List<String> warnings = warnings(leaks::reportCollected);
        List<String> again = warnings(leaks::reportCollected);

        assertEquals(1, warnings.size(), "one warning for the one collected handle: " + warnings);
        assertTrue(warnings.get(0).contains("WARN io.kafkara.spi.LeakedHandles - KAFKARA-RA-020: The connection "
                + "definition with clientIdPrefix=orders: its Kafka connection handle #2 was garbage collected without "
                + "close()"), warnings.get(0));
        assertTrue(warnings.get(0).endsWith("set the definition's leakStackTraces=true to log where each lost handle "
                + "was obtained"), warnings.get(0));
        assertEquals(List.of(), again, "never twice");
    }

    @Test
    void handlesClosedInAnyOrderLeaveExactlyTheLostOnesToReport() throws Exception {
        LeakedHandles leaks = new LeakedHandles("The connection definition with clientIdPrefix=orders", false);
        List<KafkaConnectionImpl> handles = new ArrayList<>();
        List<LeakedHandles.Tracking> trackings = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            KafkaConnectionImpl handle = newHandle();
            LeakedHandles.Tracking tracking = leaks.track(handle);
            handle.obtainedThrough(container, tracking, null);
            handles.add(handle);
            trackings.add(tracking);
        }

        // The newest, the oldest and one in the middle are closed: the list must still hold #2 and #4.
        handles.get(4).close();
        handles.get(0).close();
        handles.get(2).close();
        trackings.forEach(LeakedHandles.Tracking::enqueue);
        List<String> warnings = warnings(leaks::reportCollected);

        assertEquals(2, warnings.size(), "the two handles never closed: " + warnings);
        assertTrue(warnings.stream().anyMatch(line -> line.contains("handle #2 was")), warnings.toString());
        assertTrue(warnings.stream().anyMatch(line -> line.contains("handle #4 was")), warnings.toString());
        handles.get(1).close();
        handles.get(3).close();
        LeakedHandles.Tracking later = leaks.track(newHandle());
        later.enqueue();
        assertEquals(1, warnings(leaks::reportCollected).size(), "a handle tracked after the others emptied the list");
    }

    @Test
    void aClosedHandleIsNeverNamedEvenOnceCollected() throws Exception {
        LeakedHandles leaks = new LeakedHandles("The connection definition with clientIdPrefix=orders", true);
        KafkaConnectionImpl handle = newHandle();
        LeakedHandles.Tracking tracking = leaks.track(handle);
        handle.obtainedThrough(container, tracking, null);

        handle.close();
        tracking.enqueue();

        assertEquals(List.of(), warnings(leaks::reportCollected));
    }

    @Test
    void aHandleTheContainerInvalidatedIsStillLostUnlessTheApplicationClosesIt() throws Exception {
        LeakedHandles leaks = new LeakedHandles("The connection definition with clientIdPrefix=orders", false);
        KafkaManagedConnection connection = (KafkaManagedConnection) definition.createManagedConnection(null, null);
        KafkaConnectionImpl closedLate = (KafkaConnectionImpl) connection.getConnection(null, null);
        KafkaConnectionImpl neverClosed = (KafkaConnectionImpl) connection.getConnection(null, null);
        LeakedHandles.Tracking closedLateTracking = leaks.track(closedLate);
        LeakedHandles.Tracking neverClosedTracking = leaks.track(neverClosed);
        closedLate.obtainedThrough(container, closedLateTracking, null);
        neverClosed.obtainedThrough(container, neverClosedTracking, null);

        // WildFly cleans up the handles of a transaction its timeout rolled back (IJ000315)
        connection.cleanup();
        closedLate.close();
        closedLateTracking.enqueue();
        neverClosedTracking.enqueue();

        List<String> warnings = warnings(leaks::reportCollected);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("handle #2 "), warnings.get(0));
    }

    @Test
    void withLeakStackTracesTheWarningShowsWhereTheHandleWasObtained() throws Exception {
        LeakedHandles leaks = new LeakedHandles("The connection definition with clientIdPrefix=orders", true);
        leaks.track(newHandle()).enqueue();

        String logged = String.join("\n", warnings(leaks::reportCollected));

        assertTrue(logged.contains("KAFKARA-RA-020: The connection definition with clientIdPrefix=orders: its Kafka "
                + "connection handle #1 "), logged);
        assertTrue(logged.contains("Where it was obtained\njava.lang.Throwable: Kafka connection handle #1 was "
                + "obtained here, on thread " + Thread.currentThread().getName() + "\n\tat io.kafkara.spi."
                + "LeakedHandlesTest.withLeakStackTracesTheWarningShowsWhereTheHandleWasObtained("),
                "the stack begins at the caller of getConnection(): " + logged);
    }

    @Test
    void theFactoryTakesNoStackUnlessTheDefinitionAsksForIt() throws Exception {
        assertFalse(warningOf(LeakedHandles.of(definition)).contains("Where it was obtained"),
                "unset: no stack");
        definition.setLeakStackTraces(" TRUE ");
        assertTrue(warningOf(LeakedHandles.of(definition)).contains("Where it was obtained"), "true: a stack");
        definition.setClientIdPrefix("payments");
        assertTrue(warningOf(LeakedHandles.of(definition)).contains("KAFKARA-RA-020: The connection definition with "
                + "clientIdPrefix=payments: its Kafka connection handle #1 "), "named as the adapter's other messages");
    }

    @Test
    void aWrongLeakStackTracesValueMakesTheDefinitionRefuseConnectionsNamingIt() throws Exception {
        definition.setLeakStackTraces("yes");
        definition.setResourceAdapter(adapter);
        KafkaConnectionFactory factory = factoryOver(container);

        KafkaResourceException refused = assertThrows(KafkaResourceException.class, factory::getConnection);

        assertTrue(refused.getMessage().contains("leakStackTraces=yes must be true or false"), refused.getMessage());
    }

    private String warningOf(LeakedHandles leaks) throws Exception {
        leaks.track(newHandle()).enqueue();
        return String.join("\n", warnings(leaks::reportCollected));
    }

    private static List<String> warnings(StandardErrorCapture.Action action) throws Exception {
        return StandardErrorCapture.during(action).lines().toList();
    }
}
