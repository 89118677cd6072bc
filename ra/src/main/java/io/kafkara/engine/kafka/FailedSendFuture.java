package io.kafkara.engine.kafka;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.RecordMetadata;

/** The future of a send that failed before it reached the accumulator: already done, never cancellable. */
final class FailedSendFuture implements Future<RecordMetadata> {

    private final Exception failure;

    FailedSendFuture(Exception failure) {
        this.failure = failure;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return false;
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public boolean isDone() {
        return true;
    }

    @Override
    public RecordMetadata get() throws ExecutionException {
        throw new ExecutionException(failure);
    }

    @Override
    public RecordMetadata get(long timeout, TimeUnit unit) throws ExecutionException {
        throw new ExecutionException(failure);
    }
}
