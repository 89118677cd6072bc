package io.kafkara.tx;

import java.util.Optional;
import java.util.function.LongSupplier;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkara.engine.ProducerIdentity;

/**
 * The XA view of one transactional engine: one branch at a time, because a Kafka producer runs one transaction at a
 * time. Prepare flushes, moves the Kafka transaction to prepared and journals the branch before it answers XA_OK;
 * commit and rollback end it through the engine, or, when no engine holds it any more, through the coordinator
 * ({@link BranchRecovery}). A late commit of a branch the broker already aborted is a heuristic rollback, never
 * success. Without an engine (recovery only) it answers recover, commit, rollback and forget.
 */
public final class KafkaXAResource implements XAResource {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaXAResource.class);

    private final TransactionalProducer producer;
    private final TransactionStateMachine machine;
    private final BranchRecovery recovery;
    private final String clusterIdentity;
    private final int transactionTimeoutSeconds;
    private final LongSupplier clockMs;
    private final TransactionCompletion completion;
    private boolean scanOpen;
    private volatile boolean warnedShortTimeout;

    /**
     * @param machine                   shared with the engine's {@link KafkaLocalTransaction}, and its lock
     * @param clusterIdentity           names the Kafka cluster (cluster id, or the bootstrap servers)
     * @param transactionTimeoutSeconds the engine's transaction.timeout.ms in seconds ({@link Integer#MAX_VALUE} when
     *                                  the broker keeps prepared transactions): Kafka fixes it per producer
     * @param completion                bounds commit and rollback by the definition's commitTimeoutMs
     */
    KafkaXAResource(TransactionalProducer producer, TransactionStateMachine machine, BranchRecovery recovery,
                    String clusterIdentity, int transactionTimeoutSeconds, LongSupplier clockMs,
                    TransactionCompletion completion) {
        this.producer = producer;
        this.machine = machine;
        this.recovery = recovery;
        this.clusterIdentity = clusterIdentity;
        this.transactionTimeoutSeconds = transactionTimeoutSeconds;
        this.clockMs = clockMs;
        this.completion = completion;
    }

    /** A resource with no engine, for the transaction manager's recovery scans of this adapter's branches. */
    static KafkaXAResource forRecovery(BranchRecovery recovery, String clusterIdentity) {
        return new KafkaXAResource(null, new TransactionStateMachine("(recovery)"), recovery, clusterIdentity, 0,
                () -> 0L, null);
    }

    @Override
    public void start(Xid xid, int flags) throws XAException {
        BranchXid x = BranchXid.of(xid);
        synchronized (machine) {
            requireEngine("start");
            switch (flags) {
                case TMNOFLAGS -> startNew(x);
                case TMJOIN -> {
                    if (machine.holds(x) && machine.state() == TxState.XA_ENDED_FAIL) {
                        throw XaErrors.xa(XAException.XA_RBROLLBACK, "start(TMJOIN): branch " + x
                                + " was ended with TMFAIL and is rollback-only");
                    }
                    machine.requireBranch("start(TMJOIN)", x, TxState.XA_ENDED_SUCCESS);
                    machine.move(TxState.XA_ACTIVE);
                }
                case TMRESUME -> {
                    machine.requireBranch("start(TMRESUME)", x, TxState.XA_SUSPENDED);
                    machine.move(TxState.XA_ACTIVE);
                }
                default -> throw XaErrors.xa(XAException.XAER_INVAL, "start: flags " + flags
                        + " are not one of TMNOFLAGS, TMJOIN, TMRESUME");
            }
        }
    }

    private void startNew(BranchXid x) throws XAException {
        if (machine.holds(x) || recovery.liveOwner(x).isPresent()) {
            throw XaErrors.xa(XAException.XAER_DUPID, "start: branch " + x + " is already known");
        }
        machine.requireState("start", TxState.IDLE);
        try {
            producer.beginTransaction();
        } catch (KafkaException | IllegalStateException e) {
            machine.move(TxState.FAILED);
            throw XaErrors.xa(XAException.XAER_RMFAIL, "start: engine " + producer.transactionalId()
                    + " cannot begin a Kafka transaction", e);
        }
        machine.startBranch(x);
    }

    @Override
    public void end(Xid xid, int flags) throws XAException {
        BranchXid x = BranchXid.of(xid);
        synchronized (machine) {
            requireEngine("end");
            switch (flags) {
                case TMSUCCESS -> {
                    machine.requireBranch("end(TMSUCCESS)", x, TxState.XA_ACTIVE, TxState.XA_SUSPENDED);
                    machine.move(TxState.XA_ENDED_SUCCESS);
                }
                case TMFAIL -> {
                    machine.requireBranch("end(TMFAIL)", x, TxState.XA_ACTIVE, TxState.XA_SUSPENDED);
                    machine.move(TxState.XA_ENDED_FAIL);
                }
                case TMSUSPEND -> {
                    machine.requireBranch("end(TMSUSPEND)", x, TxState.XA_ACTIVE);
                    machine.move(TxState.XA_SUSPENDED);
                }
                default -> throw XaErrors.xa(XAException.XAER_INVAL, "end: flags " + flags
                        + " are not one of TMSUCCESS, TMFAIL, TMSUSPEND");
            }
        }
    }

    @Override
    public int prepare(Xid xid) throws XAException {
        BranchXid x = BranchXid.of(xid);
        synchronized (machine) {
            requireEngine("prepare");
            machine.requireBranch("prepare", x, TxState.XA_ENDED_SUCCESS, TxState.XA_ENDED_FAIL);
            if (machine.state() == TxState.XA_ENDED_FAIL) {
                abortAndIdle();
                throw XaErrors.xa(XAException.XA_RBROLLBACK, "prepare: branch " + x + " was ended with TMFAIL; "
                        + "its Kafka transaction was aborted");
            }
            if (producer.sendsInTransaction() == 0) {
                // Nothing was sent: Kafka has no transaction to end (no EndTxn goes out), the branch is read-only.
                abortAndIdle();
                return XA_RDONLY;
            }
            ProducerIdentity identity;
            try {
                identity = producer.prepareTransaction();
            } catch (KafkaException | IllegalStateException e) {
                abortAndIdle();
                throw XaErrors.xa(XAException.XA_RBROLLBACK, "prepare: a record of branch " + x + " could not be "
                        + "sent, the Kafka transaction of " + producer.transactionalId() + " was aborted", e);
            }
            PreparedBranch branch = new PreparedBranch(x, producer.transactionalId(), identity, clockMs.getAsLong());
            try {
                recovery.journal().record(branch);
            } catch (RuntimeException e) {
                abortAndIdle();
                throw XaErrors.xa(XAException.XA_RBROLLBACK, "prepare: branch " + branch + " could not be recorded "
                        + "in the branch journal, so it could not be recovered after a crash; it was aborted", e);
            }
            recovery.registerLive(x, this);
            machine.move(TxState.PREPARED);
            return XA_OK;
        }
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        BranchXid x = BranchXid.of(xid);
        Optional<KafkaXAResource> owner = otherOwner(x);
        if (owner.isPresent()) {
            owner.get().commit(x, onePhase);
            return;
        }
        synchronized (machine) {
            if (!machine.holds(x)) {
                if (onePhase) {
                    throw XaErrors.xa(XAException.XAER_NOTA, "commit(onePhase): branch " + x
                            + " is not held by this resource");
                }
                recovery.commit(x);
                return;
            }
            if (onePhase) {
                commitOnePhase(x);
            } else {
                commitPrepared(x);
            }
        }
    }

    private void commitOnePhase(BranchXid x) throws XAException {
        machine.requireBranch("commit(onePhase)", x, TxState.XA_ENDED_SUCCESS, TxState.XA_ENDED_FAIL);
        if (machine.state() == TxState.XA_ENDED_FAIL) {
            abortAndIdle();
            throw XaErrors.xa(XAException.XA_RBROLLBACK, "commit(onePhase): branch " + x + " was ended with TMFAIL; "
                    + "its Kafka transaction was aborted");
        }
        if (producer.sendsInTransaction() == 0) {
            abortAndIdle();
            return;
        }
        TransactionCompletion.Result result = completion.commitOnePhase();
        machine.move(result.stateAfterOnePhase());
        switch (result.outcome()) {
            case COMMITTED -> {
                // the engine is idle again
            }
            case ROLLED_BACK -> throw XaErrors.xa(XAException.XA_RBROLLBACK, "commit(onePhase): the Kafka transaction of "
                        + producer.transactionalId() + " could not commit and was rolled back", result.failure());
            case UNKNOWN -> throw XaErrors.xa(XAException.XA_HEURHAZ, "commit(onePhase): the commit of branch " + x + " ("
                        + producer.transactionalId() + ") was sent, but the transaction coordinator did not answer "
                        + "within " + TransactionCompletion.TIMEOUT_SETTING + "=" + completion.timeoutMs() + " ms: "
                        + "its outcome is unknown; its records may still become visible, never twice",
                        result.failure());
        }
    }

    private void commitPrepared(BranchXid x) throws XAException {
        machine.requireBranch("commit", x, TxState.PREPARED);
        try {
            completion.commit();
        } catch (TimeoutException | InterruptException e) {
            lose(x, TxState.UNRESOLVED);
            throw XaErrors.xa(XAException.XAER_RMFAIL, "commit: the transaction coordinator did not answer within "
                    + TransactionCompletion.TIMEOUT_SETTING + "=" + completion.timeoutMs() + " ms for branch " + x
                    + "; it stays prepared in the branch journal, and the next commit completes it through the "
                    + "transaction coordinator, exactly once", e);
        } catch (KafkaException | IllegalStateException e) {
            // Refused: what happened is the coordinator's to say (with transaction version 2 every completion moves
            // the producer epoch on, so a fenced answer alone does not tell a commit from an abort).
            LOG.warn("KAFKARA-TX-008: commit of branch {}: engine {} failed ({}); completing it through the "
                    + "transaction coordinator", x, producer.transactionalId(), e.toString());
            lose(x, TxState.FAILED);
            recovery.commit(x);
            return;
        }
        recovery.unregisterLive(x);
        recovery.remove(x);
        machine.move(TxState.IDLE);
    }

    @Override
    public void rollback(Xid xid) throws XAException {
        BranchXid x = BranchXid.of(xid);
        Optional<KafkaXAResource> owner = otherOwner(x);
        if (owner.isPresent()) {
            owner.get().rollback(x);
            return;
        }
        synchronized (machine) {
            if (!machine.holds(x)) {
                recovery.rollback(x);
                return;
            }
            boolean prepared = machine.state() == TxState.PREPARED;
            try {
                completion.abort();
            } catch (TimeoutException | InterruptException e) {
                if (prepared) {
                    lose(x, TxState.UNRESOLVED);
                    throw XaErrors.xa(XAException.XAER_RMFAIL, "rollback: the transaction coordinator did not "
                            + "answer within " + TransactionCompletion.TIMEOUT_SETTING + "=" + completion.timeoutMs()
                            + " ms for branch " + x + "; it stays in the branch journal, and the next rollback "
                            + "completes it through the transaction coordinator", e);
                }
                machine.move(TxState.UNRESOLVED);
                throw XaErrors.xa(XAException.XAER_RMFAIL, "rollback: the abort of branch " + x + " was not answered "
                        + "within " + TransactionCompletion.TIMEOUT_SETTING + "=" + completion.timeoutMs() + " ms; it "
                        + "was never prepared, so it never commits: the engine aborts it when the broker answers, or "
                        + "the broker after transaction.timeout.ms", e);
            } catch (KafkaException | IllegalStateException e) {
                if (prepared) {
                    LOG.warn("KAFKARA-TX-005: rollback of branch {}: engine {} failed ({}); completing it through "
                            + "the transaction coordinator", x, producer.transactionalId(), e.toString());
                    lose(x, TxState.FAILED);
                    recovery.rollback(x);
                    return;
                }
                // Never prepared: it can never commit, the broker aborts it.
                LOG.warn("KAFKARA-TX-005: rollback of branch {}: the abort of {} failed ({}); the broker aborts the "
                        + "transaction, the engine is unusable", x, producer.transactionalId(), e.toString());
                machine.move(TxState.FAILED);
                return;
            }
            if (prepared) {
                recovery.unregisterLive(x);
                recovery.remove(x);
            }
            machine.move(TxState.IDLE);
        }
    }

    @Override
    public void forget(Xid xid) throws XAException {
        recovery.forget(BranchXid.of(xid));
    }

    @Override
    public Xid[] recover(int flags) throws XAException {
        boolean start = (flags & TMSTARTRSCAN) != 0;
        boolean end = (flags & TMENDRSCAN) != 0;
        if ((flags & ~(TMSTARTRSCAN | TMENDRSCAN)) != 0) {
            throw XaErrors.xa(XAException.XAER_INVAL, "recover: flags " + flags
                    + " are not a combination of TMSTARTRSCAN, TMENDRSCAN, TMNOFLAGS");
        }
        synchronized (this) {
            if (!start && !scanOpen) {
                throw XaErrors.xa(XAException.XAER_PROTO, "recover: no scan is open; start one with TMSTARTRSCAN");
            }
            // The whole list is returned when the scan starts; the rest of the scan has nothing more to add.
            Xid[] found = start ? recovery.recover() : new Xid[0];
            scanOpen = !end;
            return found;
        }
    }

    /**
     * Same resource manager only for the same Kafka producer: a Kafka transaction belongs to one producer, so a
     * branch cannot be joined (TMJOIN) from another engine even on the same cluster.
     */
    @Override
    public boolean isSameRM(XAResource other) {
        return other == this || other instanceof KafkaXAResource k && k.producer != null && producer != null
                && clusterIdentity.equals(k.clusterIdentity)
                && producer.transactionalId().equals(k.producer.transactionalId());
    }

    @Override
    public int getTransactionTimeout() {
        return transactionTimeoutSeconds;
    }

    /**
     * Kafka fixes a producer's transaction.timeout.ms when it initializes, not per transaction, and it is not lowered
     * for a branch: true when the requested timeout fits in it (the Kafka transaction outlives the JTA transaction),
     * false when it does not (then the broker may abort a branch the transaction manager still considers alive; the
     * adapter warns once per engine).
     */
    @Override
    public boolean setTransactionTimeout(int seconds) throws XAException {
        if (seconds < 0) {
            throw XaErrors.xa(XAException.XAER_INVAL, "setTransactionTimeout: negative timeout " + seconds);
        }
        if (seconds <= transactionTimeoutSeconds) {
            return true;
        }
        if (!warnedShortTimeout) {
            warnedShortTimeout = true;
            LOG.warn("KAFKARA-TX-034: engine {}: the JTA transaction timeout of {} s is longer than the Kafka "
                    + "transaction.timeout.ms of {} s: the broker may abort a branch before the transaction manager "
                    + "ends it. Raise the definition's transactionTimeoutMs (and the brokers' "
                    + "transaction.max.timeout.ms) or shorten the JTA timeout", producer == null ? "(recovery)"
                    : producer.transactionalId(), seconds, transactionTimeoutSeconds);
        }
        return false;
    }

    /** The engine's transaction state (diagnostics; the connection is unusable once FAILED). */
    TxState state() {
        synchronized (machine) {
            return machine.state();
        }
    }

    private Optional<KafkaXAResource> otherOwner(BranchXid x) {
        return recovery.liveOwner(x).filter(owner -> owner != this);
    }

    private void requireEngine(String call) throws XAException {
        if (producer == null) {
            throw XaErrors.xa(XAException.XAER_PROTO, call + ": this XAResource serves recovery only and has no "
                    + "engine to run a branch on");
        }
    }

    /**
     * The engine is closing: a branch it holds prepared is handed to recovery (journal and coordinator), so that a
     * later commit or rollback of it no longer goes to this resource's closed engine.
     */
    void engineClosing() {
        synchronized (machine) {
            if (machine.state() == TxState.PREPARED) {
                lose(machine.branch(), TxState.FAILED);
            }
        }
    }

    /** The engine can no longer end the branch; the journal (and the coordinator) now own it. */
    private void lose(BranchXid x, TxState finalState) {
        recovery.unregisterLive(x);
        machine.move(finalState);
    }

    private void abortAndIdle() {
        machine.move(completion.abortQuietly() ? TxState.IDLE : TxState.FAILED);
    }
}
