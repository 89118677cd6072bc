package io.kafkara.it.tx.crash;

import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * A resource enlisted before the adapter's: it prepares, and its commit halts the server JVM at once, like kill -9
 * (no shutdown hooks, no graceful close). The transaction manager has logged its commit decision and prepared every
 * resource by then, and commits in enlistment order, so the adapter's branch stays prepared.
 */
final class HaltingResource implements XAResource {

    /** The exit status of the halted server. */
    static final int STATUS = 137;

    @Override
    public void start(Xid xid, int flags) {
        // Nothing to do: this resource has no work of its own.
    }

    @Override
    public void end(Xid xid, int flags) {
        // Nothing to do.
    }

    @Override
    public int prepare(Xid xid) {
        return XA_OK;
    }

    @Override
    public void commit(Xid xid, boolean onePhase) {
        Runtime.getRuntime().halt(STATUS);
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
