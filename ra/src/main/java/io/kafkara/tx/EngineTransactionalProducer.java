package io.kafkara.tx;

import java.time.Duration;
import java.util.Objects;

import io.kafkara.engine.ProducerEngine;
import io.kafkara.engine.ProducerIdentity;

/** A {@link TransactionalProducer} over a producer engine that has a transactional.id and ran initTransactions. */
public final class EngineTransactionalProducer implements TransactionalProducer {

    private final ProducerEngine engine;

    EngineTransactionalProducer(ProducerEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
        if (engine.transactionalId() == null) {
            throw new IllegalArgumentException("Producer engine " + engine.clientId() + " has no transactional.id; "
                    + "transactions need one (lease it from the transactional id pool)");
        }
    }

    @Override
    public String transactionalId() {
        return engine.transactionalId();
    }

    @Override
    public void beginTransaction() {
        engine.beginTransaction();
    }

    @Override
    public long sendsInTransaction() {
        return engine.sendsInTransaction();
    }

    @Override
    public ProducerIdentity prepareTransaction() {
        engine.prepareTransaction();
        return engine.preparedIdentity();
    }

    @Override
    public void commitTransaction(long timeoutMs) {
        engine.commitTransaction(Duration.ofMillis(timeoutMs));
    }

    @Override
    public void abortTransaction(long timeoutMs) {
        engine.abortTransaction(Duration.ofMillis(timeoutMs));
    }
}
