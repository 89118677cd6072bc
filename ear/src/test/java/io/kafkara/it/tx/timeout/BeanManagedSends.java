package io.kafkara.it.tx.timeout;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.transaction.UserTransaction;

import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.sample.OrderService;
import io.kafkara.sample.OrderService.Via;

/**
 * Bean-managed transactions with {@code UserTransaction.setTransactionTimeout(2)} on the sample's definitions: the
 * order row, 5 s of sends, then commit ({@link UserTransactionScenarios}).
 */
@Stateless
@TransactionManagement(TransactionManagementType.BEAN)
public class BeanManagedSends {

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
        new UserTransactionScenarios(transaction, orders).sendInTheTransaction(factory(via), run);
    }

    /** The handle is obtained before {@code begin()}: the container must enlist it in the transaction. */
    public void sendOnAConnectionObtainedBeforeBegin(Via via, TimeoutRun run) throws Exception {
        new UserTransactionScenarios(transaction, orders).sendOnAConnectionObtainedBeforeBegin(factory(via), run);
    }

    private KafkaConnectionFactory factory(Via via) {
        return via == Via.XA ? xaKafka : localKafka;
    }
}
