package io.kafkara.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;

/**
 * How an application uses the adapter: look the connection factory up in JNDI, take a connection per unit of
 * work, send, close.
 */
@Stateless
public class OrderEvents {

    /**
     * The application's name of its plain connection factory. Each server binds it to the factory its
     * administrator defined (WildFly: META-INF/jboss-ejb3.xml, Open Liberty: ibm-ejb-jar-bnd.xml, Payara:
     * glassfish-ejb-jar.xml), so the same EAR runs on all three.
     */
    public static final String FACTORY = "java:app/kafka/Sample";

    @Resource(name = FACTORY)
    private KafkaConnectionFactory kafka;

    /** Publishes one order event and waits for the broker's acknowledgement. */
    public RecordMetadata publish(String topic, String orderId, String event) {
        try (KafkaConnection connection = kafka.getConnection()) {
            return await(connection.send(new ProducerRecord<>(topic, orderId, event)), orderId);
        }
    }

    /**
     * Publishes a batch of order events in order through one connection and waits until Kafka acknowledged all
     * of them. Records with the same key keep their order (Kafka's idempotent producer guarantees it).
     *
     * @return the number of records acknowledged
     */
    public int publishAll(String topic, List<Map.Entry<String, String>> events) {
        try (KafkaConnection connection = kafka.getConnection()) {
            List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
            for (Map.Entry<String, String> event : events) {
                acks.add(connection.send(new ProducerRecord<>(topic, event.getKey(), event.getValue())));
            }
            for (int i = 0; i < acks.size(); i++) {
                await(acks.get(i), events.get(i).getKey());
            }
            return acks.size();
        }
    }

    /** The partition count of a topic, as the adapter's producer sees it in the cluster metadata. */
    public int partitionCount(String topic) {
        try (KafkaConnection connection = kafka.getConnection()) {
            return connection.partitionsFor(topic).size();
        }
    }

    private static RecordMetadata await(Future<RecordMetadata> ack, String orderId) {
        try {
            return ack.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Kafka to acknowledge order " + orderId, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka did not accept order " + orderId + ": " + e.getCause().getMessage(), e.getCause());
        }
    }
}
