package io.kafkara.tx;

import javax.transaction.xa.XAException;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.LocalTransactionException;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * A JCA local transaction over one transactional engine: a Kafka transaction, committed in one phase. WildFly enlists
 * it as the last resource of a JTA transaction. A record that failed to send inside the transaction makes the commit
 * fail: the transaction is then rolled back and the exception says so. A commit the coordinator does not answer
 * within commitTimeoutMs has an unknown outcome, and says so in the container's terms ({@link OutcomeUnknown}).
 */
public final class KafkaLocalTransaction implements LocalTransaction {

    private final TransactionalProducer producer;
    private final TransactionStateMachine machine;
    private final TransactionCompletion completion;

    /** @param machine shared with the engine's {@link KafkaXAResource}, and its lock */
    KafkaLocalTransaction(TransactionalProducer producer, TransactionStateMachine machine,
                          TransactionCompletion completion) {
        this.producer = producer;
        this.machine = machine;
        this.completion = completion;
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
            TransactionCompletion.Result result = completion.commitOnePhase();
            machine.move(result.stateAfterOnePhase());
            switch (result.outcome()) {
                case COMMITTED -> {
                    // the engine is idle again
                }
                case ROLLED_BACK -> throw new LocalTransactionException("Kafka transaction of transactional id "
                            + producer.transactionalId() + " could not commit and was rolled back: "
                            + result.failure(), result.failure());
                case UNKNOWN -> throw OutcomeUnknown.of("The outcome of the Kafka transaction of transactional id "
                            + producer.transactionalId() + " is unknown: its commit was sent, but the transaction "
                            + "coordinator did not answer within " + TransactionCompletion.TIMEOUT_SETTING + "="
                            + completion.timeoutMs() + " ms. Its records may still become visible (the engine "
                            + "keeps retrying the commit in the background); they are never committed twice. "
                            + result.failure().getMessage(), result.failure());
            }
        }
    }

    @Override
    public void rollback() throws ResourceException {
        synchronized (machine) {
            require("rollback", TxState.LOCAL_ACTIVE);
            try {
                completion.abort();
            } catch (TimeoutException | InterruptException e) {
                machine.move(TxState.UNRESOLVED);
                throw new LocalTransactionException("Kafka transaction of transactional id "
                        + producer.transactionalId() + " was not committed, but its abort was not answered within "
                        + TransactionCompletion.TIMEOUT_SETTING + "=" + completion.timeoutMs() + " ms: the engine "
                        + "aborts it when the broker answers, or the broker after transaction.timeout.ms: " + e, e);
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
