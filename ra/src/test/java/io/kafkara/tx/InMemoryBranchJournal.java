package io.kafkara.tx;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The branch journal of unit tests: a map, "durable" for the life of the test; a write can be made to fail. */
final class InMemoryBranchJournal implements BranchJournal {

    private final Map<BranchXid, PreparedBranch> branches = new LinkedHashMap<>();
    private RuntimeException nextRecordFailure;

    void failNextRecord(RuntimeException e) {
        nextRecordFailure = e;
    }

    @Override
    public synchronized void record(PreparedBranch branch) {
        if (nextRecordFailure != null) {
            RuntimeException e = nextRecordFailure;
            nextRecordFailure = null;
            throw e;
        }
        branches.put(branch.xid(), branch);
    }

    @Override
    public synchronized void remove(BranchXid xid) {
        branches.remove(xid);
    }

    @Override
    public synchronized Collection<PreparedBranch> inDoubt() {
        return new ArrayList<>(branches.values());
    }

    synchronized List<BranchXid> xids() {
        return new ArrayList<>(branches.keySet());
    }
}
