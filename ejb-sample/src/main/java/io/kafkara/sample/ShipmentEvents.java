package io.kafkara.sample;

import java.util.concurrent.CompletionException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.api.KafkaFactory;

/**
 * The CDI way to the same connection factory that {@link OrderEvents} gets with {@code @Resource}: the adapter's
 * producer looks the qualifier's JNDI name up when this bean is created.
 */
@ApplicationScoped
public class ShipmentEvents {

    @Inject
    @KafkaFactory(OrderEvents.FACTORY)
    KafkaConnectionFactory kafka;

    /** Publishes one shipment event and waits for the broker's acknowledgement. */
    public RecordMetadata publish(String topic, String shipmentId, String event) {
        try (KafkaConnection connection = kafka.getConnection()) {
            return connection.sendAsync(new ProducerRecord<>(topic, shipmentId, event)).toCompletableFuture().join();
        } catch (CompletionException e) {
            throw new IllegalStateException("Kafka did not accept shipment " + shipmentId + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }
}
