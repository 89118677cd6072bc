package io.kafkara.engine.kafka;

import org.apache.kafka.common.protocol.Errors;

/**
 * The transaction coordinator's final answer to an EndTxn, as the adapter's recovery acts on it, without Kafka's
 * protocol classes: what it means ({@link Kind}) and the name Kafka gives the error, for messages.
 */
public record EndTxnAnswer(Kind kind, String error) {

    /** What an EndTxn answer means for the branch it ended. */
    public enum Kind {
        /** NONE: the transaction is committed or aborted as asked. */
        COMPLETED,
        /**
         * PRODUCER_FENCED, INVALID_PRODUCER_EPOCH or INVALID_TXN_STATE: the transaction moved on (completed by an
         * earlier attempt, or aborted by the broker); only DescribeTransactions tells which.
         */
        MOVED_ON,
        /** INVALID_PRODUCER_ID_MAPPING: the coordinator no longer knows the producer (its id expired). */
        PRODUCER_UNKNOWN,
        /** Any other non-retriable error. */
        REFUSED
    }

    /** Kafka's error, translated: the door's one place that knows Kafka's protocol errors for EndTxn. */
    static EndTxnAnswer of(Errors error) {
        Kind kind = switch (error) {
            case NONE -> Kind.COMPLETED;
            case PRODUCER_FENCED, INVALID_PRODUCER_EPOCH, INVALID_TXN_STATE -> Kind.MOVED_ON;
            case INVALID_PRODUCER_ID_MAPPING -> Kind.PRODUCER_UNKNOWN;
            default -> Kind.REFUSED;
        };
        return new EndTxnAnswer(kind, error.name());
    }

    /** Kafka's name of the error, as messages have always shown it. */
    @Override
    public String toString() {
        return error;
    }
}
