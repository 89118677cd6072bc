package io.kafkara.it.tx.timeout;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.UserTransaction;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.sample.OrderService;
import io.kafkara.sample.OrderService.Via;

/**
 * Bean-managed transactions with {@code UserTransaction.setTransactionTimeout(2)}: the order row, 5 s of sends, then
 * commit. The run records what the sends and the commit met.
 */
@Stateless
@TransactionManagement(TransactionManagementType.BEAN)
public class BeanManagedSends {

    private static final int TIMEOUT_S = 2;

    @Resource(lookup = OrderService.LOCAL_FACTORY)
    private KafkaConnectionFactory localKafka;

    @Resource(lookup = OrderService.XA_FACTORY)
    private KafkaConnectionFactory xaKafka;

    @Resource(lookup = OrderService.ORDERS_DATASOURCE)
    private DataSource orders;

    @Resource
    private UserTransaction transaction;

    /** The handle is obtained inside the transaction. */
    public void sendInTheTransaction(Via via, TimeoutRun run) throws Exception {
        begin(run);
        try {
            OrderRow.insert(orders, run.key());
            try (KafkaConnection kafka = factory(via).getConnection()) {
                PacedSends.run(run, (record, timeout, unit) -> kafka.send(record).get(timeout, unit));
            }
        } catch (RuntimeException e) {
            rollback();
            throw e;
        }
        commit(run);
    }

    /** The handle is obtained before {@code begin()}: the container must enlist it in the transaction. */
    public void sendOnAConnectionObtainedBeforeBegin(Via via, TimeoutRun run) throws Exception {
        try (KafkaConnection kafka = factory(via).getConnection()) {
            begin(run);
            try {
                OrderRow.insert(orders, run.key());
                PacedSends.run(run, (record, timeout, unit) -> kafka.send(record).get(timeout, unit));
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

    private KafkaConnectionFactory factory(Via via) {
        return via == Via.XA ? xaKafka : localKafka;
    }
}
