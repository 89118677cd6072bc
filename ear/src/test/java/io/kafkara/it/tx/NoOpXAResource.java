package io.kafkara.it.tx;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * A resource with no work of its own that votes XA_OK: enlisted next to the adapter's, it makes the transaction
 * two-phase (Narayana cannot take its one-phase shortcut, and a read-only vote would let it skip its log), so the
 * adapter's prepare and Narayana's log write really happen. Subclasses change single steps.
 */
public class NoOpXAResource implements XAResource {

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
        return XA_OK;
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        // Nothing was done, so nothing to make durable.
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
