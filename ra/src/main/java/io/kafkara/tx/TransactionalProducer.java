package io.kafkara.tx;

import io.kafkara.engine.ProducerIdentity;

/**
 * What the transaction roles need from one transactional engine: a single Kafka transaction at a time. Failures are
 * Kafka's exceptions, unchanged, so that the roles can tell a fenced producer from a timeout.
 */
public interface TransactionalProducer {

    /** The transactional.id: names the engine in every message and in the branch journal. */
    String transactionalId();

    void beginTransaction();

    /** Records sent since {@link #beginTransaction()}; zero makes an XA branch read-only. */
    long sendsInTransaction();

    /** Flushes and moves the Kafka transaction to prepared (client state only); returns its producer identity. */
    ProducerIdentity prepareTransaction();

    /**
     * Commits (from in-transaction or prepared); waits up to {@code timeoutMs}. Kafka's TimeoutException means no
     * answer yet: the commit goes on, only calling this again is allowed (Kafka refuses an abort then).
     */
    void commitTransaction(long timeoutMs);

    /** Aborts (from in-transaction or prepared); waits up to {@code timeoutMs}; after a timeout only abort again. */
    void abortTransaction(long timeoutMs);
}
