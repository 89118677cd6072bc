package io.kafkara.it.tx.timeout;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.sample.OrderService;
import io.kafkara.sample.OrderService.Via;

/**
 * Container-managed transactions (REQUIRED) whose timeout, 2 s, comes from this module's jboss-ejb3.xml: each method
 * inserts the order row, then keeps sending for 5 s. The methods return normally whatever the sends met, so what
 * the caller sees is what the container says when it ends the transaction; the run tells what the sends met.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRED)
public class ContainerManagedSends {

    @Resource(lookup = OrderService.LOCAL_FACTORY)
    private KafkaConnectionFactory localKafka;

    @Resource(lookup = OrderService.XA_FACTORY)
    private KafkaConnectionFactory xaKafka;

    @Resource(lookup = OrderService.ORDERS_DATASOURCE)
    private DataSource orders;

    /** One handle for the whole transaction, as the sample's OrderService does. */
    public void sendOnOneConnection(Via via, TimeoutRun run) {
        run.begun();
        OrderRow.insert(orders, run.key());
        try (KafkaConnection kafka = factory(via).getConnection()) {
            PacedSends.run(run, (record, timeout, unit) -> kafka.send(record).get(timeout, unit));
        }
    }

    /** A new handle for every send, as code that obtains its connection in a helper per message does. */
    public void sendOnAConnectionPerSend(Via via, TimeoutRun run) {
        run.begun();
        OrderRow.insert(orders, run.key());
        KafkaConnectionFactory factory = factory(via);
        PacedSends.run(run, (record, timeout, unit) -> {
            try (KafkaConnection kafka = factory.getConnection()) {
                kafka.send(record).get(timeout, unit);
            }
        });
    }

    private KafkaConnectionFactory factory(Via via) {
        return via == Via.XA ? xaKafka : localKafka;
    }
}
