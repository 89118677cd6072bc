package io.kafkara.it.liberty.app;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.api.KafkaFactory;

/** Sends through a connection factory that CDI injects by its JNDI name (the adapter's producer bean). */
@RequestScoped
public class InjectedSender {

    @Inject
    @KafkaFactory("kafka/plain")
    KafkaConnectionFactory factory;

    /** Sends {@code count} records keyed {@code key} and waits for their acknowledgements. */
    public void send(String topic, String key, int count) {
        try (KafkaConnection connection = factory.getConnection()) {
            for (int i = 0; i < count; i++) {
                connection.send(new ProducerRecord<>(topic, key, key + "-" + i));
            }
            connection.flush();
        }
    }
}
