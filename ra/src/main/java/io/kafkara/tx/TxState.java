package io.kafkara.tx;

import java.util.EnumSet;
import java.util.Set;

/**
 * The transaction state of one transactional engine. An engine runs one Kafka transaction at a time, so this is also
 * the state of its current branch. Completion (commit, rollback, read-only prepare) returns it to {@link #IDLE};
 * {@link #FAILED} is final: the Kafka producer hit a fatal error and its connection must be destroyed.
 */
public enum TxState {
    IDLE,
    /** A JCA local transaction is running. */
    LOCAL_ACTIVE,
    /** Associated with an XA branch: records sent now belong to it. */
    XA_ACTIVE,
    /** end(TMSUSPEND): the branch waits for start(TMRESUME). */
    XA_SUSPENDED,
    /** end(TMSUCCESS): ready for prepare or a one-phase commit. */
    XA_ENDED_SUCCESS,
    /** end(TMFAIL): rollback-only. */
    XA_ENDED_FAIL,
    /** Prepared and journaled: only commit or rollback may follow. */
    PREPARED,
    /**
     * A commit or abort was sent and not answered within commitTimeoutMs: the engine may still complete it, so it
     * must neither run another transaction nor be forced closed; the connection is destroyed and the engine closes
     * in the background. Final, like FAILED.
     */
    UNRESOLVED,
    FAILED;

    /** The states this one may move to. */
    Set<TxState> next() {
        return switch (this) {
            case IDLE -> EnumSet.of(LOCAL_ACTIVE, XA_ACTIVE, FAILED);
            case LOCAL_ACTIVE -> EnumSet.of(IDLE, UNRESOLVED, FAILED);
            case XA_ACTIVE -> EnumSet.of(XA_SUSPENDED, XA_ENDED_SUCCESS, XA_ENDED_FAIL, IDLE, UNRESOLVED, FAILED);
            case XA_SUSPENDED -> EnumSet.of(XA_ACTIVE, XA_ENDED_SUCCESS, XA_ENDED_FAIL, IDLE, UNRESOLVED, FAILED);
            case XA_ENDED_SUCCESS -> EnumSet.of(XA_ACTIVE, PREPARED, IDLE, UNRESOLVED, FAILED);
            case XA_ENDED_FAIL -> EnumSet.of(IDLE, UNRESOLVED, FAILED);
            case PREPARED -> EnumSet.of(IDLE, UNRESOLVED, FAILED);
            case UNRESOLVED, FAILED -> EnumSet.noneOf(TxState.class);
        };
    }

    /** Whether the engine can never run another transaction: its connection must be destroyed. */
    boolean isFinal() {
        return this == UNRESOLVED || this == FAILED;
    }

    /** Whether a Kafka transaction is open and neither prepared nor being completed. */
    boolean isOpen() {
        return this == LOCAL_ACTIVE || this == XA_ACTIVE || this == XA_SUSPENDED || this == XA_ENDED_SUCCESS
                || this == XA_ENDED_FAIL;
    }

    /** Whether an XA branch is associated (started, suspended, ended or prepared). */
    boolean hasBranch() {
        return this == XA_ACTIVE || this == XA_SUSPENDED || this == XA_ENDED_SUCCESS || this == XA_ENDED_FAIL
                || this == PREPARED;
    }
}
