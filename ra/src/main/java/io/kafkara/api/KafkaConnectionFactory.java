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
 * public RecordMetadata publish(Order order) throws InterruptedException {
 *     try (KafkaConnection kafka = orders.getConnection()) {
 *         return kafka.send(new ProducerRecord<>("orders", order.id(), order.toJson())).get();
 *     } catch (ExecutionException e) {
 *         // Kafka did not accept the record: the cause says why (for example a RecordTooLargeException)
 *         throw new IllegalStateException("Order " + order.id() + " was not published", e.getCause());
 *     }
 * }
 * }</pre>
 *
 * <p>A send returns once the record is in the producer's buffer; only the future's completion says that the
 * broker has it (with Kafka's default {@code acks=all}, every in-sync replica).
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
