package io.kafkara.tx;

import java.util.Collection;

/**
 * The durable record of prepared XA branches. Kafka stores no Xid, so without this a crash between prepare and commit
 * leaves a Kafka transaction that no one can name to the transaction manager. Implementations must make
 * {@link #record} durable before it returns: prepare reports success right after it.
 */
public interface BranchJournal {

    /** Durably records a prepared branch; throws if that cannot be guaranteed (prepare then rolls back). */
    void record(PreparedBranch branch);

    /** Forgets a completed branch; a later {@link #inDoubt()} must not return it. Idempotent. */
    void remove(BranchXid xid);

    /** Every branch recorded and not removed, as far as this journal knows after a restart too. */
    Collection<PreparedBranch> inDoubt();

    /**
     * Every branch in the journal now, also those other nodes recorded or removed since this journal was first read
     * (an operator's look: it may read the whole journal again).
     */
    default Collection<PreparedBranch> readAgain() {
        return inDoubt();
    }
}
