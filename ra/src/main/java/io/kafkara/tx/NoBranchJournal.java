package io.kafkara.tx;

import java.util.Collection;
import java.util.List;

/**
 * The journal of a definition with local transactions only: nothing is ever prepared, so nothing is in doubt. A
 * prepare reaching it is refused, and prepare then rolls the branch back.
 */
final class NoBranchJournal implements BranchJournal {

    @Override
    public void record(PreparedBranch branch) {
        throw new IllegalStateException("Branch " + branch.xid() + " cannot be prepared: this connection definition "
                + "supports local transactions only (set transactionSupportLevel=XATransaction and branchJournalTopic)");
    }

    @Override
    public void remove(BranchXid xid) {
        // Nothing is ever recorded.
    }

    @Override
    public Collection<PreparedBranch> inDoubt() {
        return List.of();
    }
}
