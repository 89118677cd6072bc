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
 *         transactionalId -> startEngine(settingsWith(TRANSACTIONAL_ID_CONFIG, transactionalId)),
 *         new TransactionalEngineLease.Timing(60, 120_000, time::milliseconds), orphans::abortIfOpen);
 * managedConnection.getXAResource()        -> lease.xaResource()
 * managedConnection.getLocalTransaction()  -> lease.localTransaction()
 * connection error when !lease.isUsable();  managedConnection.destroy() -> lease.close(timeout)
 * }</pre>
 */
public final class TransactionalEngineLease implements AutoCloseable, TransactionalEngineSet.Member {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionalEngineLease.class);

    /** Creates and starts (submits the sender Work of) an engine with the given transactional.id. */
    @FunctionalInterface
    public interface EngineStarter {
        ProducerEngine start(String transactionalId);
    }

    /**
     * Aborts, at the transaction coordinator, the open transaction of an id whose engine is gone: a closed engine may
     * have been forced before its sender loop could abort it. Never throws.
     */
    @FunctionalInterface
    public interface LeftOpenAborter {
        void abortIfOpen(String transactionalId);
    }

    /**
     * The engines' clock and time limits.
     *
     * @param transactionTimeoutSeconds the engines' transaction.timeout.ms in seconds (what XA reports), or
     *                                  {@link Integer#MAX_VALUE} when the broker keeps prepared transactions
     * @param commitTimeoutMs           how long a commit or abort may wait for the coordinator, retries included;
     *                                  also the bound of {@link #close()}
     */
    public record Timing(int transactionTimeoutSeconds, long commitTimeoutMs, LongSupplier clockMs) {
    }

    private final TransactionalIdPool pool;
    private final String transactionalId;
    private final ProducerEngine engine;
    private final TransactionStateMachine machine;
    private final KafkaXAResource xaResource;
    private final KafkaLocalTransaction localTransaction;
    private final LeftOpenAborter leftOpen;
    private final long closeTimeoutMs;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TransactionalEngineLease(TransactionalIdPool pool, String transactionalId, ProducerEngine engine,
                                     BranchRecovery recovery, String clusterIdentity, Timing timing,
                                     LeftOpenAborter leftOpen) {
        this.pool = pool;
        this.transactionalId = transactionalId;
        this.engine = engine;
        this.leftOpen = leftOpen;
        this.closeTimeoutMs = timing.commitTimeoutMs();
        TransactionalProducer producer = new EngineTransactionalProducer(engine);
        TransactionCompletion completion = new TransactionCompletion(producer, timing.clockMs(),
                timing.commitTimeoutMs());
        this.machine = new TransactionStateMachine(transactionalId);
        this.xaResource = new KafkaXAResource(producer, machine, recovery, clusterIdentity,
                timing.transactionTimeoutSeconds(), timing.clockMs(), completion);
        this.localTransaction = new KafkaLocalTransaction(producer, machine, completion);
    }

    /**
     * Leases an id no in-doubt branch holds, starts an engine with it and initializes transactions (which fences
     * an earlier instance of this id). On failure the id is returned and the engine closed.
     *
     * @param leftOpen aborts a transaction a forced close left open
     */
    static TransactionalEngineLease open(TransactionalIdPool pool, BranchRecovery recovery,
                                         String clusterIdentity, EngineStarter starter, Timing timing,
                                         LeftOpenAborter leftOpen) {
        String id = pool.lease(recovery::hasBranchFor);
        ProducerEngine engine = null;
        try {
            engine = starter.start(id);
            engine.initTransactions();
            return new TransactionalEngineLease(pool, id, engine, recovery, clusterIdentity, timing, leftOpen);
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

    /**
     * False once the producer failed fatally, a completion stayed unresolved, or the engine died: the container must
     * destroy the connection.
     */
    @Override
    public boolean isUsable() {
        return !xaResource.state().isFinal() && engine.isAlive();
    }

    /** The transaction state (IDLE when the engine may serve another transaction). */
    @Override
    public TxState state() {
        return xaResource.state();
    }

    /**
     * Closes the engine and returns the id, within commitTimeoutMs. A prepared branch is left alone (a graceful close
     * does not abort it); the journal keeps its id out of the pool until the branch is resolved. An engine whose
     * commit or abort is unresolved is not forced: it closes in the background, so that its sender loop can still
     * finish the EndTxn it sent, and its id goes back to the pool only when that loop has ended (a new engine's
     * initTransactions would abort the transaction). An open transaction that the close could not abort (the engine
     * was forced, or its loop dead) is aborted at the coordinator. Idempotent.
     */
    void close(Duration timeout) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        TxState state = state();
        if (state != TxState.IDLE && state != TxState.FAILED) {
            LOG.warn("KAFKARA-TX-006: closing transactional engine {} in state {}{}", transactionalId, state,
                    switch (state) {
                        case PREPARED -> "; the prepared branch stays in the journal for recovery";
                        case UNRESOLVED -> "; its commit or abort was not answered yet: the engine finishes it in "
                                + "the background, the id is reused only after that";
                        default -> "; its open Kafka transaction is aborted";
                    });
        }
        xaResource.engineClosing();
        if (state == TxState.UNRESOLVED) {
            engine.afterLoopEnded(() -> pool.release(transactionalId));
            engine.closeInBackground();
            return;
        }
        try {
            engine.close(timeout);
            if (state.isOpen()) {
                leftOpen.abortIfOpen(transactionalId);
            }
        } finally {
            pool.release(transactionalId);
        }
    }

    /** Closes within commitTimeoutMs: what the container's destroy() of the connection waits at most. */
    @Override
    public void close() {
        close(Duration.ofMillis(closeTimeoutMs));
    }

    /**
     * Closes an engine without a transaction, without waiting: its sender loop ends on its own Work (it has nothing
     * to finish), and the id goes back to the pool once it has. An engine in a transaction closes as {@link #close()}.
     */
    @Override
    public void closeIdle() {
        if (state() != TxState.IDLE) {
            close();
            return;
        }
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        xaResource.engineClosing();
        engine.afterLoopEnded(() -> pool.release(transactionalId));
        engine.closeInBackground();
    }
}
