package io.kafkara.tx;

import java.util.Collection;

/**
 * A branch journal whose topic is made sure of before its first use (created when missing, its cleanup policy
 * checked): without it every recovery scan of a fresh cluster fails with XAER_RMFAIL. A failed check is not
 * remembered: the next call tries again.
 */
public final class TopicEnsuringBranchJournal implements BranchJournal {

    private final BranchJournal journal;
    private final Runnable ensureTopic;
    private boolean ensured;

    /** @param ensureTopic creates or checks the topic; throws, with a message saying what to do, when it cannot */
    TopicEnsuringBranchJournal(BranchJournal journal, Runnable ensureTopic) {
        this.journal = journal;
        this.ensureTopic = ensureTopic;
    }

    @Override
    public void record(PreparedBranch branch) {
        ensureTopic();
        journal.record(branch);
    }

    @Override
    public void remove(BranchXid xid) {
        ensureTopic();
        journal.remove(xid);
    }

    @Override
    public Collection<PreparedBranch> inDoubt() {
        ensureTopic();
        return journal.inDoubt();
    }

    private synchronized void ensureTopic() {
        if (!ensured) {
            ensureTopic.run();
            ensured = true;
        }
    }
}
