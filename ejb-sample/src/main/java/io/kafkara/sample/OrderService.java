package io.kafkara.sample;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;

/**
 * Places an order in one JTA transaction: the order row in the database and one Kafka event per order line. Both
 * commit together or neither does (container-managed, REQUIRED). Through {@link Via#LOCAL} the Kafka transaction
 * is the transaction's last resource (one-phase, committed after the database prepared); through {@link Via#XA}
 * both take part in two-phase commit.
 *
 * <p>Readers see the events only once the transaction committed if they read with {@code isolation.level=read_committed}.
 */
@Stateless
public class OrderService {

    /** The connection definitions of the sample activation, by transaction support. */
    public enum Via {
        LOCAL, XA
    }

    /*
     * The application's names of its resources; each server's binding (as for OrderEvents.FACTORY) maps them to
     * what its administrator defined. The datasource's reference is OrderSchema's.
     */
    public static final String LOCAL_FACTORY = "java:app/kafka/SampleLocal";
    public static final String XA_FACTORY = "java:app/kafka/SampleXA";
    public static final String ORDERS_DATASOURCE = OrderSchema.ORDERS_DATASOURCE;

    @Resource(name = LOCAL_FACTORY)
    private KafkaConnectionFactory localKafka;

    @Resource(name = XA_FACTORY)
    private KafkaConnectionFactory xaKafka;

    @Resource(lookup = ORDERS_DATASOURCE)
    private DataSource orders;

    @Resource
    private SessionContext context;

    /**
     * Inserts the order and sends each line as an event keyed by the order id. A blank line rejects the order
     * (after the earlier lines were sent): nothing of it becomes visible.
     */
    public void placeOrder(Via via, String topic, String orderId, List<String> lines) {
        insertOrder(orderId, lines.size());
        try (KafkaConnection kafka = factory(via).getConnection()) {
            for (String line : lines) {
                if (line.isBlank()) {
                    throw new OrderRejectedException("Order " + orderId + " has a blank line");
                }
                kafka.send(new ProducerRecord<>(topic, orderId, line));
            }
        }
    }

    /**
     * Like {@link #placeOrder} but gives up without an exception when the order has more than {@code maxLines}
     * lines: the transaction is marked rollback-only and the caller learns it from the result.
     *
     * @return whether the order was placed
     */
    public boolean placeOrderWithinLimit(Via via, String topic, String orderId, List<String> lines, int maxLines) {
        placeOrder(via, topic, orderId, lines);
        if (lines.size() > maxLines) {
            context.setRollbackOnly();
            return false;
        }
        return true;
    }

    /** Whether the order row is committed. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public boolean orderExists(String orderId) {
        try (Connection db = orders.getConnection();
             PreparedStatement query = db.prepareStatement("SELECT COUNT(*) FROM ORDERS WHERE ID = ?")) {
            query.setString(1, orderId);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getInt(1) == 1;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read order " + orderId + ": " + e.getMessage(), e);
        }
    }

    private void insertOrder(String orderId, int lineCount) {
        try (Connection db = orders.getConnection();
             PreparedStatement insert = db.prepareStatement("INSERT INTO ORDERS (ID, LINES) VALUES (?, ?)")) {
            insert.setString(1, orderId);
            insert.setInt(2, lineCount);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not insert order " + orderId + ": " + e.getMessage(), e);
        }
    }

    private KafkaConnectionFactory factory(Via via) {
        return via == Via.XA ? xaKafka : localKafka;
    }
}
