package io.kafkara.tx;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a Kafka transaction in one phase (local transactions and XA's onePhase optimization). A commit that fails
 * is followed by an abort, so that the outcome is known: a failed send inside the transaction makes Kafka refuse
 * the commit, and the abort then rolls everything back.
 */
final class OnePhaseCommit {

    private static final Logger LOG = LoggerFactory.getLogger(OnePhaseCommit.class);

    /** What happened to the transaction. */
    enum Outcome { COMMITTED, ROLLED_BACK, UNKNOWN }

    /** The outcome and, unless committed, the failure that caused it. */
    record Result(Outcome outcome, RuntimeException failure, boolean producerUsable) {
    }

    private OnePhaseCommit() {
    }

    static Result commit(TransactionalProducer producer) {
        RuntimeException failure;
        try {
            producer.commitTransaction();
            return new Result(Outcome.COMMITTED, null, true);
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            producer.abortTransaction();
            return new Result(Outcome.ROLLED_BACK, failure, true);
        } catch (RuntimeException abortFailure) {
            failure.addSuppressed(abortFailure);
            // A refused producer never committed: whoever fenced it aborted the transaction.
            Outcome outcome = KafkaFailures.of(failure) == KafkaFailures.NOT_COMMITTABLE ? Outcome.ROLLED_BACK
                    : Outcome.UNKNOWN;
            LOG.warn("KAFKARA-TX-003: transactional id {}: commit failed ({}) and the abort after it failed too ({}); "
                    + "outcome {}", producer.transactionalId(), failure, abortFailure, outcome);
            return new Result(outcome, failure, false);
        }
    }

    /** Aborts; returns whether the producer can be used again. */
    static boolean abortQuietly(TransactionalProducer producer) {
        try {
            producer.abortTransaction();
            return true;
        } catch (RuntimeException e) {
            LOG.warn("KAFKARA-TX-004: transactional id {}: abort failed: {}", producer.transactionalId(), e.toString());
            return false;
        }
    }
}
