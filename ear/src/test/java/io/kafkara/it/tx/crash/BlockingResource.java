package io.kafkara.it.tx.crash;

import javax.transaction.xa.XAException;
import javax.transaction.xa.Xid;

import io.kafkara.it.tx.NoOpXAResource;

/**
 * A resource of no work of its own that stops the transaction manager at one phase: at its prepare (enlisted after
 * the adapter's, the adapter's branch is prepared and no commit decision is logged yet) or at its commit (the
 * decision is logged; the resources enlisted before it are committed, those after it are not). It holds there at a
 * {@link FileGate} until the test kills the server.
 */
public final class BlockingResource extends NoOpXAResource {

    public enum Phase { PREPARE, COMMIT }

    private final Phase phase;
    private final FileGate gate;

    public BlockingResource(Phase phase, FileGate gate) {
        this.phase = phase;
        this.gate = gate;
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
}
