package io.kafkara.tx;

import java.util.Arrays;
import java.util.Set;

import javax.transaction.xa.XAException;

/**
 * The explicit state of one transactional engine and the XA branch it holds. Every move is checked against
 * {@link TxState#next()}; a move the protocol does not allow fails with an XAException carrying the code the XA
 * specification prescribes, and a message naming the call, the state and the branch. Guarded by the caller's lock.
 */
final class TransactionStateMachine {

    private final String transactionalId;
    private TxState state = TxState.IDLE;
    private BranchXid branch;

    TransactionStateMachine(String transactionalId) {
        this.transactionalId = transactionalId;
    }

    TxState state() {
        return state;
    }

    /** The branch held, or null. */
    BranchXid branch() {
        return branch;
    }

    /** Whether the given branch is the one held. */
    boolean holds(BranchXid xid) {
        return branch != null && branch.equals(xid);
    }

    /**
     * Fails unless the branch is the one held (XAER_NOTA) and the state is one of the allowed ones (XAER_PROTO, or
     * XA_RBROLLBACK when the branch is rollback-only and the call would have needed a successful end).
     */
    void requireBranch(String call, BranchXid xid, TxState... allowed) throws XAException {
        if (!holds(xid)) {
            throw XaErrors.xa(XAException.XAER_NOTA, call + ": engine " + transactionalId + " does not hold branch "
                    + xid + (branch == null ? "" : " (it holds " + branch + ")"));
        }
        requireState(call, allowed);
    }

    /** Fails with XAER_PROTO (or XAER_RMFAIL once FAILED or UNRESOLVED) unless the state is one of the allowed ones. */
    void requireState(String call, TxState... allowed) throws XAException {
        if (Arrays.asList(allowed).contains(state)) {
            return;
        }
        if (state == TxState.FAILED) {
            throw XaErrors.xa(XAException.XAER_RMFAIL, call + ": the Kafka producer of engine " + transactionalId
                    + " failed fatally; the container must destroy this connection");
        }
        if (state == TxState.UNRESOLVED) {
            throw XaErrors.xa(XAException.XAER_RMFAIL, call + ": engine " + transactionalId + " still waits for "
                    + "the coordinator's answer to an earlier commit or abort; the container must destroy this "
                    + "connection");
        }
        throw XaErrors.xa(XAException.XAER_PROTO, call + " is not allowed in state " + state + " of engine "
                + transactionalId + (branch == null ? "" : " (branch " + branch + ")") + "; allowed in "
                + Arrays.toString(allowed));
    }

    /** Associates a new branch: IDLE -> XA_ACTIVE. */
    void startBranch(BranchXid xid) {
        move(TxState.XA_ACTIVE);
        branch = xid;
    }

    /** Moves within the current branch, or to IDLE / FAILED, which also let the branch go. */
    void move(TxState to) {
        Set<TxState> allowed = state.next();
        if (!allowed.contains(to)) {
            // A bug of ours, not a protocol error of the caller: requireState guards every public path.
            throw new IllegalStateException("Engine " + transactionalId + ": no transition " + state + " -> " + to);
        }
        state = to;
        if (!to.hasBranch()) {
            branch = null;
        }
    }
}
