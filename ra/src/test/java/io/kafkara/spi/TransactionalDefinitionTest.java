package io.kafkara.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.TransactionSupport.TransactionSupportLevel;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.MockTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.kafkara.api.KafkaConnection;

/**
 * How a connection definition's transaction support reaches the container, in a fake container with engines over a
 * fake network. What a leased transactional engine does is tested in the tx package and in WildFly (TransactionsIT).
 */
class TransactionalDefinitionTest {

    private final FakeContainer container = new FakeContainer();
    private KafkaResourceAdapter adapter;

    @BeforeEach
    void startAdapter() throws Exception {
        adapter = new KafkaResourceAdapter(FakeClusterEngines.on(new MockTime()));
        adapter.start(container);
    }

    @AfterEach
    void stopAdapter() {
        adapter.stop();
    }

    private static KafkaManagedConnectionFactory definition(String level) {
        KafkaManagedConnectionFactory factory = new KafkaManagedConnectionFactory();
        factory.setBootstrapServers("127.0.0.1:9092");
        factory.setKeySerializer(StringSerializer.class.getName());
        factory.setValueSerializer(StringSerializer.class.getName());
        factory.setTransactionSupportLevel(level);
        return factory;
    }

    private KafkaManagedConnectionFactory xaDefinition() throws ResourceException {
        KafkaManagedConnectionFactory factory = definition("XATransaction");
        factory.setTransactionalIdPrefix("orders");
        factory.setTransactionalIdNode("node-1");
        factory.setBranchJournalTopic("branches");
        // Set, so that no broker is asked for transaction.max.timeout.ms (XaTransactionTimeoutTest covers that).
        factory.setTransactionTimeoutMs("60000");
        factory.setResourceAdapter(adapter);
        return factory;
    }

    @Test
    void eachDefinitionTellsTheContainerItsOwnLevel() {
        assertEquals(TransactionSupportLevel.NoTransaction, definition(null).getTransactionSupport());
        assertEquals(TransactionSupportLevel.LocalTransaction, definition("LocalTransaction").getTransactionSupport());
        assertEquals(TransactionSupportLevel.XATransaction, definition("XATransaction").getTransactionSupport());
    }

    /** Activated anyway, so that the adapter's other definitions activate too; it refuses every connection. */
    private InvalidPropertyException refusal(KafkaManagedConnectionFactory factory) throws ResourceException {
        factory.setResourceAdapter(adapter);
        return assertThrows(InvalidPropertyException.class, () -> factory.createManagedConnection(null, null));
    }

    @Test
    void anInvalidDefinitionRefusesEveryConnectionNamingTheMissingTransactionSetting() throws Exception {
        InvalidPropertyException local = refusal(definition("LocalTransaction"));
        assertTrue(local.getMessage().contains("transactionalIdPrefix is required with "
                + "transactionSupportLevel=LocalTransaction"), local.getMessage());

        KafkaManagedConnectionFactory xa = definition("XATransaction");
        xa.setTransactionalIdPrefix("orders");
        InvalidPropertyException noJournal = refusal(xa);
        assertTrue(noJournal.getMessage().contains("branchJournalTopic is required"), noJournal.getMessage());

        InvalidPropertyException wrongLevel = refusal(definition("XA"));
        assertTrue(wrongLevel.getMessage().contains("transactionSupportLevel=XA is not one of NoTransaction, "
                + "LocalTransaction, XATransaction"), wrongLevel.getMessage());
    }

    @Test
    void aNonTransactionalDefinitionRefusesXaAndLocalTransactionsNamingTheProperty() throws Exception {
        KafkaManagedConnectionFactory factory = definition(null);
        factory.setResourceAdapter(adapter);
        ManagedConnection connection = factory.createManagedConnection(null, null);

        NotSupportedException xa = assertThrows(NotSupportedException.class, connection::getXAResource);
        assertTrue(xa.getMessage().contains("transactionSupportLevel to XATransaction"), xa.getMessage());
        assertThrows(NotSupportedException.class, connection::getLocalTransaction);
    }

    @Test
    void aConnectionHandsOutOneXaResourceAndStartsNoEngineUntilAHandleOrABranchNeedsOne() throws Exception {
        KafkaManagedConnectionFactory factory = xaDefinition();
        ManagedConnection connection = factory.createManagedConnection(null, null);
        ManagedConnection other = factory.createManagedConnection(null, null);

        XAResource xa = connection.getXAResource();

        assertSame(xa, connection.getXAResource());
        assertSame(connection.getLocalTransaction(), connection.getLocalTransaction());
        assertEquals(0, container.scheduled.size(), "no engine yet: recovery scans create connections like these");
        assertFalse(xa.isSameRM(other.getXAResource()), "two connections are two Kafka producers");
        assertTrue(xa.setTransactionTimeout(30), "a JTA timeout within transaction.timeout.ms fits");
        assertFalse(xa.setTransactionTimeout(61), "Kafka fixes transaction.timeout.ms per producer: never raised");
        assertEquals(60, xa.getTransactionTimeout(), "the definition's transaction.timeout.ms, in seconds");
        XAException notStarted = assertThrows(XAException.class, () -> xa.end(xid(), XAResource.TMSUCCESS));
        assertEquals(XAException.XAER_PROTO, notStarted.errorCode);

        KafkaConnection handle = (KafkaConnection) connection.getConnection(null, null);
        assertEquals(0, container.scheduled.size(), "Narayana's recovery takes a handle too, and sends nothing");
        handle.send(new ProducerRecord<>("orders", "outside a transaction"));
        assertEquals(1, container.scheduled.size(), "the first call of a handle starts the shared engine");
    }

    private static Xid xid() {
        return new Xid() {
            @Override
            public int getFormatId() {
                return 1;
            }

            @Override
            public byte[] getGlobalTransactionId() {
                return new byte[] {1};
            }

            @Override
            public byte[] getBranchQualifier() {
                return new byte[] {2};
            }
        };
    }
}
