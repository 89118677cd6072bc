package io.kafkara.tx;

import javax.transaction.xa.XAException;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.LocalTransactionException;

import org.apache.kafka.common.KafkaException;

/**
 * A JCA local transaction over one transactional engine: a Kafka transaction, committed in one phase. WildFly enlists
 * it as the last resource of a JTA transaction. A record that failed to send inside the transaction makes the commit
 * fail: the transaction is then rolled back and the exception says so.
 */
public final class KafkaLocalTransaction implements LocalTransaction {

    private final TransactionalProducer producer;
    private final TransactionStateMachine machine;

    /** @param machine shared with the engine's {@link KafkaXAResource}, and its lock */
    KafkaLocalTransaction(TransactionalProducer producer, TransactionStateMachine machine) {
        this.producer = producer;
        this.machine = machine;
    }

    @Override
    public void begin() throws ResourceException {
        synchronized (machine) {
            require("begin", TxState.IDLE);
            try {
                producer.beginTransaction();
            } catch (KafkaException | IllegalStateException e) {
                machine.move(TxState.FAILED);
                throw new LocalTransactionException("Kafka transaction of transactional id "
                        + producer.transactionalId() + " could not begin: " + e, e);
            }
            machine.move(TxState.LOCAL_ACTIVE);
        }
    }

    @Override
    public void commit() throws ResourceException {
        synchronized (machine) {
            require("commit", TxState.LOCAL_ACTIVE);
            OnePhaseCommit.Result result = OnePhaseCommit.commit(producer);
            machine.move(result.producerUsable() ? TxState.IDLE : TxState.FAILED);
            switch (result.outcome()) {
                case COMMITTED -> { }
                case ROLLED_BACK -> throw new LocalTransactionException("Kafka transaction of transactional id "
                        + producer.transactionalId() + " could not commit and was rolled back: " + result.failure(),
                        result.failure());
                case UNKNOWN -> throw new LocalTransactionException("Kafka transaction of transactional id "
                        + producer.transactionalId() + " failed to commit and its outcome is unknown: "
                        + result.failure(), result.failure());
            }
        }
    }

    @Override
    public void rollback() throws ResourceException {
        synchronized (machine) {
            require("rollback", TxState.LOCAL_ACTIVE);
            try {
                producer.abortTransaction();
            } catch (KafkaException | IllegalStateException e) {
                // It never committed: the broker aborts it after transaction.timeout.ms.
                machine.move(TxState.FAILED);
                throw new LocalTransactionException("Kafka transaction of transactional id "
                        + producer.transactionalId() + " could not be aborted (the broker aborts it after "
                        + "transaction.timeout.ms): " + e, e);
            }
            machine.move(TxState.IDLE);
        }
    }

    private void require(String call, TxState state) throws LocalTransactionException {
        try {
            machine.requireState("local transaction " + call, state);
        } catch (XAException e) {
            LocalTransactionException wrong = new LocalTransactionException(e.getMessage(), XaErrors.name(e.errorCode));
            wrong.initCause(e);
            throw wrong;
        }
    }
}
