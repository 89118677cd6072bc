package io.kafkara.it.tx.ops;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * A resource enlisted before the adapter's: it prepares, and its commit waits (at most 3 minutes) until the test
 * releases it. The transaction manager has prepared every resource by then and commits in enlistment order, so the
 * adapter's branch stays prepared, in doubt, while the test looks at it.
 */
final class BlockingResource implements XAResource {

    private static volatile CountDownLatch release = new CountDownLatch(1);

    /** A fresh gate for the next transaction. */
    static void closeGate() {
        release = new CountDownLatch(1);
    }

    static void openGate() {
        release.countDown();
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
    public int prepare(Xid xid) {
        return XA_OK;
    }

    @Override
    public void commit(Xid xid, boolean onePhase) {
        try {
            release.await(3, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
