package io.kafkara.it.tx.timeout;

import javax.sql.DataSource;

import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.UserTransaction;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;

/**
 * The bean-managed timeout scenarios, for the beans of every server's tests to run with their own resources: a
 * transaction with {@code setTransactionTimeout(2)} inserts the order row, sends for 5 s ({@link PacedSends}),
 * then commits; the run records what the sends and the commit met.
 */
public final class UserTransactionScenarios {

    private static final int TIMEOUT_S = 2;

    private final UserTransaction transaction;
    private final DataSource orders;

    public UserTransactionScenarios(UserTransaction transaction, DataSource orders) {
        this.transaction = transaction;
        this.orders = orders;
    }

    /** The handle is obtained inside the transaction. */
    public void sendInTheTransaction(KafkaConnectionFactory kafka, TimeoutRun run) throws Exception {
        begin(run);
        try {
            OrderRow.insert(orders, run.key());
            try (KafkaConnection connection = kafka.getConnection()) {
                PacedSends.run(run, (record, timeout, unit) -> connection.send(record).get(timeout, unit));
            }
        } catch (RuntimeException e) {
            rollback();
            throw e;
        }
        commit(run);
    }

    /** The handle is obtained before {@code begin()}: the container must enlist it in the transaction. */
    public void sendOnAConnectionObtainedBeforeBegin(KafkaConnectionFactory kafka, TimeoutRun run) throws Exception {
        try (KafkaConnection connection = kafka.getConnection()) {
            begin(run);
            try {
                OrderRow.insert(orders, run.key());
                PacedSends.run(run, (record, timeout, unit) -> connection.send(record).get(timeout, unit));
            } catch (RuntimeException e) {
                rollback();
                throw e;
            }
            commit(run);
        }
    }

    private void begin(TimeoutRun run) throws Exception {
        transaction.setTransactionTimeout(TIMEOUT_S);
        transaction.begin();
        run.begun();
    }

    private void commit(TimeoutRun run) throws SystemException {
        try {
            transaction.commit();
            run.committed();
        } catch (Exception e) {
            run.commitFailed(e);
        } finally {
            rollback();
        }
    }

    /** Leaves the thread without a transaction and with the server's default timeout, whatever happened. */
    private void rollback() throws SystemException {
        try {
            if (transaction.getStatus() != Status.STATUS_NO_TRANSACTION) {
                transaction.rollback();
            }
        } finally {
            transaction.setTransactionTimeout(0);
        }
    }
}
