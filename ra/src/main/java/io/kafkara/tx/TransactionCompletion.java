package io.kafkara.tx;

import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the Kafka transaction of one engine within the connection definition's {@code commitTimeoutMs}. Kafka's rule
 * for a commit the coordinator has not answered in time: the EndTxn goes on, the commit must be retried and an abort
 * is refused (4.3.1's TransactionManager keeps the pending request and answers a retry with it). So a timed-out
 * commit is retried until the deadline, and then its outcome is unknown: never reported as rolled back, since the
 * coordinator may still commit it.
 */
final class TransactionCompletion {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionCompletion.class);

    /** The setting that bounds a commit or rollback, named in every message about an unknown outcome. */
    static final String TIMEOUT_SETTING = "commitTimeoutMs";

    /** What happened to a transaction committed in one phase. */
    enum Outcome { COMMITTED, ROLLED_BACK, UNKNOWN }

    /**
     * The outcome and, unless committed, the failure that caused it; {@code producerUsable} tells whether the
     * engine may run another transaction.
     */
    record Result(Outcome outcome, RuntimeException failure, boolean producerUsable) {

        /**
         * The engine's state after a one-phase commit with this result, for every role that commits in one phase:
         * idle again, failed (its producer cannot run another transaction), or unresolved (the outcome unknown).
         */
        TxState stateAfterOnePhase() {
            return switch (outcome) {
                case COMMITTED -> TxState.IDLE;
                case ROLLED_BACK -> producerUsable ? TxState.IDLE : TxState.FAILED;
                case UNKNOWN -> TxState.UNRESOLVED;
            };
        }
    }

    private final TransactionalProducer producer;
    private final LongSupplier clockMs;
    private final long timeoutMs;

    /**
     * @param clockMs   the engines' clock
     * @param timeoutMs how long a commit or abort may wait for the coordinator, retries included
     */
    TransactionCompletion(TransactionalProducer producer, LongSupplier clockMs, long timeoutMs) {
        this.producer = producer;
        this.clockMs = clockMs;
        this.timeoutMs = timeoutMs;
    }

    long timeoutMs() {
        return timeoutMs;
    }

    /**
     * Commits, retrying while the coordinator does not answer. Throws Kafka's TimeoutException (the commit may still
     * happen) once {@code commitTimeoutMs} has passed, and whatever else the commit throws (then it did not commit).
     */
    void commit() {
        untilAnswered("commit", producer::commitTransaction);
    }

    /** Aborts, retrying while the coordinator does not answer; as {@link #commit()}. */
    void abort() {
        untilAnswered("abort", producer::abortTransaction);
    }

    /**
     * Commits in one phase. A commit refused for any reason but a timeout never committed: it is aborted, so the
     * engine can go on. A commit not answered by the deadline has an unknown outcome, and the engine must not be
     * reused (Kafka refuses anything but the retry of that commit).
     */
    Result commitOnePhase() {
        try {
            commit();
            return new Result(Outcome.COMMITTED, null, true);
        } catch (TimeoutException | InterruptException e) {
            LOG.warn("KAFKARA-TX-003: transactional id {}: the commit was not answered within {}={} ms; its outcome "
                    + "is unknown (the coordinator may still commit it): {}", producer.transactionalId(),
                    TIMEOUT_SETTING, timeoutMs, e.getMessage());
            return new Result(Outcome.UNKNOWN, e, false);
        } catch (RuntimeException e) {
            return new Result(Outcome.ROLLED_BACK, e, abortQuietly());
        }
    }

    /** Aborts; returns whether the producer can be used again. */
    boolean abortQuietly() {
        try {
            abort();
            return true;
        } catch (RuntimeException e) {
            LOG.warn("KAFKARA-TX-004: transactional id {}: abort failed: {}", producer.transactionalId(), e.toString());
            return false;
        }
    }

    private void untilAnswered(String call, LongConsumer attempt) {
        long deadline = clockMs.getAsLong() + timeoutMs;
        int attempts = 0;
        while (true) {
            attempts++;
            try {
                attempt.accept(Math.max(0, deadline - clockMs.getAsLong()));
                return;
            } catch (TimeoutException e) {
                if (clockMs.getAsLong() >= deadline) {
                    throw new TimeoutException("The " + call + " of the Kafka transaction of transactional id "
                            + producer.transactionalId() + " was not answered by the transaction coordinator within "
                            + TIMEOUT_SETTING + "=" + timeoutMs + " ms (" + attempts + " attempts): " + e.getMessage(),
                            e);
                }
                LOG.debug("Transactional id {}: {} not answered yet, retrying: {}", producer.transactionalId(), call,
                        e.getMessage());
            }
        }
    }
}
