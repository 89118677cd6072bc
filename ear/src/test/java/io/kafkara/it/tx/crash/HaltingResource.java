package io.kafkara.it.tx.crash;

import javax.transaction.xa.Xid;

import io.kafkara.it.tx.NoOpXAResource;

/**
 * A resource enlisted before the adapter's: it prepares, and its commit halts the server JVM at once, like kill -9
 * (no shutdown hooks, no graceful close). The transaction manager has logged its commit decision and prepared every
 * resource by then, and commits in enlistment order, so the adapter's branch stays prepared.
 */
final class HaltingResource extends NoOpXAResource {

    /** The exit status of the halted server. */
    static final int STATUS = 137;

    @Override
    public void commit(Xid xid, boolean onePhase) {
        Runtime.getRuntime().halt(STATUS);
    }
}
