package io.kafkara.tx;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import javax.transaction.xa.XAResource;

import jakarta.resource.spi.LocalTransaction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkara.engine.ProducerEngine;

/**
 * One transactional engine with its transactional id leased from the node's pool, and the two transaction views
 * of it a managed connection hands to the container: {@link #xaResource()} and {@link #localTransaction()} (they
 * share one state machine, so only one kind of transaction runs at a time). The entry point for the JCA roles:
 *
 * <pre>{@code
 * TransactionalEngineLease lease = TransactionalEngineLease.open(pool, recovery, clusterIdentity,
 *         transactionalId -> startEngine(settingsWith(TRANSACTIONAL_ID_CONFIG, transactionalId)), 60, time::milliseconds);
 * managedConnection.getXAResource()        -> lease.xaResource()
 * managedConnection.getLocalTransaction()  -> lease.localTransaction()
 * connection error when !lease.isUsable();  managedConnection.destroy() -> lease.close(timeout)
 * }</pre>
 */
public final class TransactionalEngineLease implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionalEngineLease.class);

    /** Creates and starts (submits the sender Work of) an engine with the given transactional.id. */
    @FunctionalInterface
    public interface EngineStarter {
        ProducerEngine start(String transactionalId);
    }

    private final TransactionalIdPool pool;
    private final String transactionalId;
    private final ProducerEngine engine;
    private final TransactionStateMachine machine;
    private final KafkaXAResource xaResource;
    private final KafkaLocalTransaction localTransaction;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TransactionalEngineLease(TransactionalIdPool pool, String transactionalId, ProducerEngine engine,
                                     BranchRecovery recovery, String clusterIdentity, int transactionTimeoutSeconds,
                                     LongSupplier clockMs) {
        this.pool = pool;
        this.transactionalId = transactionalId;
        this.engine = engine;
        TransactionalProducer producer = new EngineTransactionalProducer(engine);
        this.machine = new TransactionStateMachine(transactionalId);
        this.xaResource = new KafkaXAResource(producer, machine, recovery, clusterIdentity, transactionTimeoutSeconds,
                clockMs);
        this.localTransaction = new KafkaLocalTransaction(producer, machine);
    }

    /**
     * Leases an id no in-doubt branch holds, starts an engine with it and initializes transactions (which fences
     * an earlier instance of this id). On failure the id is returned and the engine closed.
     *
     * @param transactionTimeoutSeconds the engines' transaction.timeout.ms, in seconds (what XA reports)
     */
    public static TransactionalEngineLease open(TransactionalIdPool pool, BranchRecovery recovery,
                                                String clusterIdentity, EngineStarter starter,
                                                int transactionTimeoutSeconds, LongSupplier clockMs) {
        String id = pool.lease(recovery::hasBranchFor);
        ProducerEngine engine = null;
        try {
            engine = starter.start(id);
            engine.initTransactions();
            return new TransactionalEngineLease(pool, id, engine, recovery, clusterIdentity,
                    transactionTimeoutSeconds, clockMs);
        } catch (RuntimeException e) {
            if (engine != null) {
                engine.close(Duration.ZERO);
            }
            pool.release(id);
            throw e;
        }
    }

    public String transactionalId() {
        return transactionalId;
    }

    /** The engine: the connection handles send through it. */
    public ProducerEngine engine() {
        return engine;
    }

    /** The same instance every time, as the container expects. */
    public XAResource xaResource() {
        return xaResource;
    }

    /** The same instance every time. */
    public LocalTransaction localTransaction() {
        return localTransaction;
    }

    /** False once the producer failed fatally or the engine died: the container must destroy the connection. */
    public boolean isUsable() {
        return xaResource.state() != TxState.FAILED && engine.isAlive();
    }

    /** The transaction state (IDLE when the connection may go back to the pool). */
    public TxState state() {
        return xaResource.state();
    }

    /**
     * Closes the engine and returns the id. A prepared branch is left alone (a graceful close does not abort it);
     * the journal keeps its id out of the pool until the branch is resolved. Idempotent.
     */
    public void close(Duration timeout) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        TxState state = state();
        if (state != TxState.IDLE && state != TxState.FAILED) {
            LOG.warn("KAFKARA-TX-006: closing transactional engine {} in state {}{}", transactionalId, state,
                    state == TxState.PREPARED ? "; the prepared branch stays in the journal for recovery"
                            : "; its open Kafka transaction is aborted by the broker");
        }
        xaResource.engineClosing();
        try {
            engine.close(timeout);
        } finally {
            pool.release(transactionalId);
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
