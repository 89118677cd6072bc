package io.kafkara.spi;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.RecordMetadata;

import io.kafkara.api.KafkaTransactionException;

/**
 * The future of a record sent in a JTA transaction: a record whose Kafka transaction the transaction manager's
 * timeout aborted while it was in flight fails with Kafka's "Failing batch since transaction was aborted"; this says
 * why, in the application's terms, with Kafka's exception as the cause.
 */
final class AbortExplainingFuture implements Future<RecordMetadata> {

    private final Future<RecordMetadata> sent;
    private final Enlistment enlistment;
    private final Object transactionKey;

    AbortExplainingFuture(Future<RecordMetadata> sent, Enlistment enlistment, Object transactionKey) {
        this.sent = sent;
        this.enlistment = enlistment;
        this.transactionKey = transactionKey;
    }

    @Override
    public RecordMetadata get() throws InterruptedException, ExecutionException {
        try {
            return sent.get();
        } catch (ExecutionException e) {
            throw explained(e);
        }
    }

    @Override
    public RecordMetadata get(long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return sent.get(timeout, unit);
        } catch (ExecutionException e) {
            throw explained(e);
        }
    }

    private ExecutionException explained(ExecutionException e) {
        KafkaTransactionException why = enlistment.explainAbort(transactionKey, e.getCause());
        return why == null ? e : new ExecutionException(why.getMessage(), why);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return sent.cancel(mayInterruptIfRunning);
    }

    @Override
    public boolean isCancelled() {
        return sent.isCancelled();
    }

    @Override
    public boolean isDone() {
        return sent.isDone();
    }
}
