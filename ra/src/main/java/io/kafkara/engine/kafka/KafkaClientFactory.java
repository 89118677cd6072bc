package io.kafkara.engine.kafka;

import org.apache.kafka.clients.KafkaClient;
import org.apache.kafka.clients.producer.internals.ProducerMetadata;

/** Supplies the network client of an engine; tests pass one that returns a fake client over the engine's metadata. */
@FunctionalInterface
public interface KafkaClientFactory {
    /** Creates the client the sender loop talks through; {@code metadata} is the engine's own producer metadata. */
    KafkaClient create(ProducerMetadata metadata);
}
