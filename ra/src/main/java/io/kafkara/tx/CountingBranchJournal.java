package io.kafkara.tx;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/** A branch journal that counts its writes (a branch recorded, or removed) for the definition's metrics. */
public final class CountingBranchJournal implements BranchJournal {

    private final BranchJournal journal;
    private final AtomicLong writes = new AtomicLong();

    CountingBranchJournal(BranchJournal journal) {
        this.journal = journal;
    }

    /** Writes that returned, recorded and removed branches alike. */
    long writes() {
        return writes.get();
    }

    @Override
    public void record(PreparedBranch branch) {
        journal.record(branch);
        writes.incrementAndGet();
    }

    @Override
    public void remove(BranchXid xid) {
        journal.remove(xid);
        writes.incrementAndGet();
    }

    @Override
    public Collection<PreparedBranch> inDoubt() {
        return journal.inDoubt();
    }

    @Override
    public Collection<PreparedBranch> readAgain() {
        return journal.readAgain();
    }
}
