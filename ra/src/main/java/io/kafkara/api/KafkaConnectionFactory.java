package io.kafkara.api;

import java.io.Serializable;

import jakarta.resource.Referenceable;

/**
 * Hands out connections to a Kafka cluster, configured by the administrator and bound in JNDI.
 *
 * <p>Look it up or inject it like a datasource, and close each connection when done; closing returns it
 * to the server's pool and never stops the producer behind it:
 *
 * <pre>{@code
 * @Resource(lookup = "java:/kafka/Orders")
 * KafkaConnectionFactory orders;
 *
 * public void publish(Order order) {
 *     try (KafkaConnection kafka = orders.getConnection()) {
 *         kafka.send(new ProducerRecord<>("orders", order.id(), order.toJson()));
 *     }
 * }
 * }</pre>
 *
 * <p>With CDI, inject it by the same JNDI name: {@code @Inject @KafkaFactory("java:/kafka/Orders")} (see
 * {@link KafkaFactory}).
 */
public interface KafkaConnectionFactory extends Serializable, Referenceable {

    /**
     * Obtains a connection from the server's pool, waiting at most the pool's blocking timeout.
     *
     * @return an open connection; close it when done
     * @throws KafkaResourceException when no connection can be obtained (pool exhausted, adapter stopped,
     *         invalid configuration); the message says which
     */
    KafkaConnection getConnection();
}
