package io.kafkara.it.bench;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.transaction.RollbackException;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.it.tx.NoOpXAResource;

/**
 * One benchmark transaction per call, as an application writes it: a container-managed transaction (REQUIRED)
 * around getConnection, {@code records} sends and close, through the sample's LocalTransaction or XATransaction
 * definition. The container commits when the method returns.
 */
@Stateless
public class TransactionalSender {

    @Resource(lookup = "java:/kafka/SampleLocal")
    private KafkaConnectionFactory local;

    @Resource(lookup = "java:/kafka/SampleXA")
    private KafkaConnectionFactory xa;

    @Resource(lookup = "java:/TransactionManager")
    private TransactionManager manager;

    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public void sendLocal(String topic, int records, String value) {
        send(local, topic, records, value);
    }

    /** The adapter's XAResource is the only one: Narayana commits it in one phase. */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public void sendXa(String topic, int records, String value) {
        send(xa, topic, records, value);
    }

    /** A second resource is enlisted first: Narayana prepares both, writes its log, then commits both. */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public void sendXaTwoPhase(String topic, int records, String value) throws SystemException, RollbackException {
        manager.getTransaction().enlistResource(new NoOpXAResource());
        send(xa, topic, records, value);
    }

    /**
     * The floor of (f): a two-phase transaction of two resources that do nothing, so all it costs is Narayana's
     * (prepare both, write its log, commit both, remove the log).
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public void twoNoOpResources() throws SystemException, RollbackException {
        manager.getTransaction().enlistResource(new NoOpXAResource());
        manager.getTransaction().enlistResource(new NoOpXAResource());
    }

    private static void send(KafkaConnectionFactory factory, String topic, int records, String value) {
        try (KafkaConnection connection = factory.getConnection()) {
            for (int i = 0; i < records; i++) {
                connection.send(new ProducerRecord<>(topic, value));
            }
        }
    }
}
