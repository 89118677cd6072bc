package io.kafkara.engine.kafka;

import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.ApiVersions;
import org.apache.kafka.clients.producer.internals.TransactionManager;
import org.apache.kafka.common.utils.LogContext;

/**
 * The transaction manager with its safety net restored: Kafka poisons the state (FATAL_ERROR) on an invalid
 * transition only when the current thread is its own {@code Sender.SenderThread}. Our sender loop runs on a
 * container thread, so "is this the engine's sender loop?" is asked of the engine instead.
 */
final class EngineTransactionManager extends TransactionManager {

    private final BooleanSupplier onSenderLoop;

    EngineTransactionManager(LogContext logContext, String transactionalId, int transactionTimeoutMs,
                             long retryBackoffMs, ApiVersions apiVersions, boolean enable2Pc,
                             BooleanSupplier onSenderLoop) {
        super(logContext, transactionalId, transactionTimeoutMs, retryBackoffMs, apiVersions, enable2Pc);
        this.onSenderLoop = onSenderLoop;
    }

    @Override
    protected boolean shouldPoisonStateOnInvalidTransition() {
        return onSenderLoop.getAsBoolean();
    }
}
