package io.kafkara.tx;

import java.time.Instant;
import java.util.HexFormat;

/** One in-doubt branch as JMX shows it (an open-type composite: any JMX client reads it without our classes). */
public final class InDoubtBranchInfo {

    private final InDoubtBranch branch;

    InDoubtBranchInfo(InDoubtBranch branch) {
        this.branch = branch;
    }

    /** As the commit and rollback operations take it: {@code Xid[formatId:gtridHex:bqualHex]}. */
    public String getXid() {
        return branch.xid().toString();
    }

    public int getFormatId() {
        return branch.xid().getFormatId();
    }

    public String getGlobalTransactionIdHex() {
        return HexFormat.of().formatHex(branch.xid().getGlobalTransactionId());
    }

    public String getBranchQualifierHex() {
        return HexFormat.of().formatHex(branch.xid().getBranchQualifier());
    }

    public String getTransactionalId() {
        return branch.branch().transactionalId();
    }

    public long getProducerId() {
        return branch.branch().producer().producerId();
    }

    public short getProducerEpoch() {
        return branch.branch().producer().epoch();
    }

    public String getPreparedAt() {
        return Instant.ofEpochMilli(branch.branch().preparedAtMs()).toString();
    }

    public long getAgeMs() {
        return branch.ageMs();
    }

    /** Until the broker's transaction.timeout.ms aborts it, at most (counted from the prepare); 0 once passed. */
    public long getTimeLeftMs() {
        return Math.max(0, branch.timeLeftMs());
    }

    /** Whether a running engine of this server holds it; otherwise only the journal knows it. */
    public boolean isHeldByLiveEngine() {
        return branch.live();
    }

    /** The node part of the branch's transactional id. */
    public String getNode() {
        return branch.node();
    }

    /**
     * Whether another node of this definition's prefix journaled it: this node's recovery leaves it to that node;
     * complete it by hand only when that node will not come back under its name.
     */
    public boolean isOtherNode() {
        return branch.otherNode();
    }

    /** Whether a completion ended heuristically; the branch waits for the transaction manager's forget. */
    public boolean isHeuristic() {
        return branch.heuristic();
    }
}
