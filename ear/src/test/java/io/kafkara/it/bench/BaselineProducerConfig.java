package io.kafkara.it.bench;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The settings every producer of the benchmark shares, transactional or not, in the benchmark's JVM and in WildFly's:
 * String serializers, acks=all, linger.ms=5. Serializers are given as classes, so that Kafka need not load them
 * through a class loader that may not see them (a servlet's, in WildFly).
 */
final class BaselineProducerConfig {

    private BaselineProducerConfig() {
    }

    /** A new, modifiable map: callers add their client or transactional id. */
    static Map<String, Object> of(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return config;
    }
}
