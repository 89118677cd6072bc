package io.kafkara.tx;

import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;

/** How the transaction roles read a Kafka failure of commit or abort. */
enum KafkaFailures {
    /** The coordinator refused the producer or the transaction: it was (or will be) aborted, never committed. */
    NOT_COMMITTABLE,
    /** No answer in time: the request may still complete; asking again is safe. */
    TIMEOUT,
    /** Anything else: this engine cannot tell what happened. */
    OTHER;

    static KafkaFailures of(RuntimeException e) {
        if (e instanceof ProducerFencedException || e instanceof InvalidProducerEpochException
                || e instanceof InvalidTxnStateException) {
            return NOT_COMMITTABLE;
        }
        return e instanceof TimeoutException ? TIMEOUT : OTHER;
    }
}
