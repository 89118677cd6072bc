package io.kafkara.api;

/**
 * A call of a transactional connection factory ({@code LocalTransaction} or {@code XATransaction}) could not go into
 * the calling thread's JTA transaction, so it was refused and nothing was sent: the transaction is no longer active
 * (rolled back by its transaction timeout or otherwise, marked rollback-only, completed), or the connection is not
 * enlisted in it. A transactional factory never sends outside the caller's transaction instead. The message names
 * the transaction's status and what to do.
 *
 * <pre>{@code
 * try (KafkaConnection kafka = orders.getConnection()) {
 *     kafka.send(new ProducerRecord<>("orders", id, json));
 * } catch (KafkaTransactionException e) {
 *     // the JTA transaction is gone: nothing of it will be visible; retry the whole unit of work in a new one
 * }
 * }</pre>
 */
public class KafkaTransactionException extends KafkaResourceException {

    private static final long serialVersionUID = 1L;

    public KafkaTransactionException(String message) {
        super(message);
    }

    public KafkaTransactionException(String message, Throwable cause) {
        super(message, cause);
    }
}
