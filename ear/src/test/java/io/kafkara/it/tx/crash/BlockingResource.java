package io.kafkara.it.tx.crash;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * A resource of no work of its own that stops the transaction manager at one phase: at its prepare (enlisted after
 * the adapter's, the adapter's branch is prepared and no commit decision is logged yet) or at its commit (the
 * decision is logged; the resources enlisted before it are committed, those after it are not). It holds there at a
 * {@link FileGate} until the test kills the server.
 */
final class BlockingResource implements XAResource {

    enum Phase { PREPARE, COMMIT }

    private final Phase phase;
    private final FileGate gate;

    BlockingResource(Phase phase, FileGate gate) {
        this.phase = phase;
        this.gate = gate;
    }

    @Override
    public void start(Xid xid, int flags) {
        // Nothing to do: this resource has no work of its own.
    }

    @Override
    public void end(Xid xid, int flags) {
        // Nothing to do.
    }

    @Override
    public int prepare(Xid xid) throws XAException {
        if (phase == Phase.PREPARE) {
            hold();
        }
        return XA_OK;
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        if (phase == Phase.COMMIT) {
            hold();
        }
    }

    private void hold() throws XAException {
        try {
            gate.reachAndHold();
        } catch (InterruptedException | RuntimeException e) {
            XAException failure = new XAException("held at " + gate + ": " + e);
            failure.errorCode = XAException.XAER_RMFAIL;
            throw failure;
        }
    }

    @Override
    public void rollback(Xid xid) {
        // Nothing was done.
    }

    @Override
    public void forget(Xid xid) {
        // Nothing is remembered.
    }

    @Override
    public Xid[] recover(int flag) {
        return new Xid[0];
    }

    @Override
    public boolean isSameRM(XAResource other) {
        return other == this;
    }

    @Override
    public int getTransactionTimeout() {
        return 0;
    }

    @Override
    public boolean setTransactionTimeout(int seconds) {
        return false;
    }
}
