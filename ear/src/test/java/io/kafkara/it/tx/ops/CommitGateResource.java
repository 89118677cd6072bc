package io.kafkara.it.tx.ops;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.transaction.xa.Xid;

import io.kafkara.it.tx.NoOpXAResource;

/**
 * A resource enlisted before the adapter's: it prepares, and its commit waits (at most 3 minutes) until the test
 * releases it. The transaction manager has prepared every resource by then and commits in enlistment order, so the
 * adapter's branch stays prepared, in doubt, while the test looks at it.
 */
final class CommitGateResource extends NoOpXAResource {

    private static volatile CountDownLatch release = new CountDownLatch(1);

    /** A fresh gate for the next transaction. */
    static void closeGate() {
        release = new CountDownLatch(1);
    }

    static void openGate() {
        release.countDown();
    }

    @Override
    public void commit(Xid xid, boolean onePhase) {
        try {
            release.await(3, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
