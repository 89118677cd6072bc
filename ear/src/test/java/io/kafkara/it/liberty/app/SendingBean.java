package io.kafkara.it.liberty.app;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.it.tx.timeout.OrderRow;

/**
 * Sends through a connection factory it looks up in JNDI by the name the server's configuration gave it, as an
 * application on any server does; every call is one container-managed transaction (REQUIRED).
 */
@Stateless
public class SendingBean {

    @Resource
    private SessionContext context;

    /**
     * Sends {@code count} records keyed {@code key} with values {@code key-0...}, waits for each acknowledgement,
     * and with {@code rollback} marks the transaction for rollback.
     */
    public void send(String factoryName, String topic, String key, int count, boolean rollback) throws Exception {
        KafkaConnectionFactory factory = lookup(factoryName);
        try (KafkaConnection connection = factory.getConnection()) {
            for (int i = 0; i < count; i++) {
                connection.send(new ProducerRecord<>(topic, key, key + "-" + i));
            }
            connection.flush();
        }
        if (rollback) {
            context.setRollbackOnly();
        }
    }

    /**
     * In one transaction, inserts the row {@code key} into the table {@code orders} of {@code dataSourceName} and
     * sends as {@link #send}: with an XA factory, the transaction manager commits both in two phases.
     */
    public void insertAndSend(String dataSourceName, String factoryName, String topic, String key, int count,
                              boolean rollback) throws Exception {
        OrderRow.insert((DataSource) new InitialContext().lookup(dataSourceName), key);
        send(factoryName, topic, key, count, rollback);
    }

    private static KafkaConnectionFactory lookup(String name) throws NamingException {
        return (KafkaConnectionFactory) new InitialContext().lookup(name);
    }
}
