package io.kafkara.it.tx.fault;

import javax.transaction.xa.XAException;
import javax.transaction.xa.Xid;

import io.kafkara.it.tx.NoOpXAResource;

/**
 * Enlisted before the adapter's resource: the transaction manager prepares every resource, then commits in
 * enlistment order, so this commit holds (see {@link CommitHold}) with the adapter's branch prepared. The broker
 * frozen meanwhile then meets the commit of a prepared branch, not its prepare.
 */
final class HoldingResource extends NoOpXAResource {

    private final String order;

    HoldingResource(String order) {
        this.order = order;
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        try {
            CommitHold.reachAndHold(order);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XAException(XAException.XAER_RMFAIL);
        }
    }
}
