package io.kafkara.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.management.MBeanServerFactory;

import jakarta.transaction.Status;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.MockTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaTransactionException;
import io.kafkara.tx.TxAccess;

/**
 * A transactional definition in a fake container that, unlike WildFly, neither closes handles when a transaction is
 * rolled back nor enlists connections lazily: a send on a thread whose JTA transaction is not the connection's active
 * Kafka transaction is refused, and nothing ever reaches the shared (non-transactional) engine, whose records would be
 * visible at once. Every engine the adapter builds is counted, so "no shared engine" is "zero appends to it".
 */
class SendsStayInTheirTransactionTest {

    private final FakeContainer container = new FakeContainer();
    private final MockTime time = new MockTime();
    private int enginesBuilt;
    private KafkaResourceAdapter adapter;

    @BeforeEach
    void startAdapter() throws Exception {
        EngineSupervisor.EngineFactory engines = FakeClusterEngines.on(time);
        adapter = new KafkaResourceAdapter((config, loader) -> {
            enginesBuilt++;
            return engines.create(config, loader);
        }, time, TxAccess.definitions(MBeanServerFactory.newMBeanServer()));
        adapter.start(container);
    }

    @AfterEach
    void stopAdapter() {
        adapter.stop();
    }

    private KafkaManagedConnection connection() throws Exception {
        KafkaManagedConnectionFactory factory = new KafkaManagedConnectionFactory();
        factory.setBootstrapServers("127.0.0.1:9092");
        factory.setKeySerializer(StringSerializer.class.getName());
        factory.setValueSerializer(StringSerializer.class.getName());
        factory.setTransactionSupportLevel("LocalTransaction");
        factory.setTransactionalIdPrefix("orders");
        factory.setTransactionalIdNode("node-1");
        factory.setResourceAdapter(adapter);
        return (KafkaManagedConnection) factory.createManagedConnection(null, null);
    }

    @Test
    void aSendAfterTheReaperRolledTheTransactionBackOnAnotherThreadIsRefusedNamingTheTimeout() throws Exception {
        KafkaManagedConnection connection = connection();
        KafkaConnection handle = (KafkaConnection) connection.getConnection(null, null);
        Object transaction = "tx-1";
        container.transactions.inTransaction(transaction, Status.STATUS_ACTIVE);
        connection.transactionBegins();
        time.sleep(2_000);

        // the transaction manager's timeout thread rolls it back; this container leaves the handle open
        Thread reaper = new Thread(connection::transactionRollingBack, "reaper");
        reaper.start();
        reaper.join(10_000);
        container.transactions.inTransaction(transaction, Status.STATUS_ROLLEDBACK);

        KafkaTransactionException refused = assertThrows(KafkaTransactionException.class,
                () -> handle.send(new ProducerRecord<>("orders", "after the timeout")));
        assertTrue(refused.getMessage().contains("rolled back by the transaction manager on another thread 2000 ms "
                + "after its Kafka transaction began") && refused.getMessage().contains("transaction timeout"),
                refused.getMessage());
        assertEquals(0, enginesBuilt, "no engine at all: the shared engine never got a record");
    }

    @Test
    void aRecordInFlightWhenTheTimeoutAbortedItsTransactionFailsNamingTheTimeout() throws Exception {
        Enlistment enlistment = new Enlistment(time::milliseconds);
        enlistment.began(new CallerTransaction.Snapshot("tx-4", Status.STATUS_ACTIVE));
        java.util.concurrent.CompletableFuture<org.apache.kafka.clients.producer.RecordMetadata> inFlight =
                new java.util.concurrent.CompletableFuture<>();
        AbortExplainingFuture future = new AbortExplainingFuture(inFlight, enlistment, enlistment.currentKey());
        time.sleep(2_000);
        Thread reaper = new Thread(enlistment::rollingBack, "reaper");
        reaper.start();
        reaper.join(10_000);
        inFlight.completeExceptionally(new org.apache.kafka.common.errors.TransactionAbortedException(
                "Failing batch since transaction was aborted"));

        java.util.concurrent.ExecutionException failed = assertThrows(java.util.concurrent.ExecutionException.class,
                future::get);
        assertTrue(failed.getCause() instanceof KafkaTransactionException
                && failed.getCause().getMessage().contains("transaction timeout expired")
                && failed.getCause().getCause() instanceof org.apache.kafka.common.errors.TransactionAbortedException,
                String.valueOf(failed.getCause()));
    }

    @Test
    void aSendInARollbackOnlyOrCompletedTransactionIsRefusedNamingItsStatus() throws Exception {
        KafkaConnection handle = (KafkaConnection) connection().getConnection(null, null);

        container.transactions.inTransaction("tx-2", Status.STATUS_MARKED_ROLLBACK);
        KafkaTransactionException rollbackOnly = assertThrows(KafkaTransactionException.class,
                () -> handle.send(new ProducerRecord<>("orders", "x")));
        assertTrue(rollbackOnly.getMessage().contains("STATUS_MARKED_ROLLBACK"), rollbackOnly.getMessage());

        container.transactions.inTransaction("tx-2", Status.STATUS_COMMITTED);
        KafkaTransactionException completed = assertThrows(KafkaTransactionException.class,
                () -> handle.send(new ProducerRecord<>("orders", "x")));
        assertTrue(completed.getMessage().contains("STATUS_COMMITTED"), completed.getMessage());
        assertEquals(0, enginesBuilt);
    }

    @Test
    void aConnectionTheContainerDidNotEnlistInTheActiveTransactionIsRefusedNotSentOutsideIt() throws Exception {
        KafkaConnection handle = (KafkaConnection) connection().getConnection(null, null);
        container.transactions.inTransaction("tx-3", Status.STATUS_ACTIVE);

        KafkaTransactionException notEnlisted = assertThrows(KafkaTransactionException.class,
                () -> handle.send(new ProducerRecord<>("orders", "obtained before begin")));
        assertTrue(notEnlisted.getMessage().contains("not enlisted in the JTA transaction of the calling thread")
                && notEnlisted.getMessage().contains("offers no lazy enlistment"), notEnlisted.getMessage());
        assertEquals(0, enginesBuilt);
    }

    @Test
    void outsideAnyTransactionTheSharedEngineSendsAsBefore() throws Exception {
        KafkaConnection handle = (KafkaConnection) connection().getConnection(null, null);

        handle.send(new ProducerRecord<>("orders", "no transaction"));

        assertEquals(1, enginesBuilt, "the shared engine serves sends outside a JTA transaction");
        assertEquals(1, container.scheduled.size());
    }
}
