package io.kafkara.tx;

import java.time.Instant;

/**
 * One in-doubt branch as an operator sees it: what the journal recorded, how long ago it was prepared and how long the
 * broker will still wait before it aborts the Kafka transaction (transaction.timeout.ms counts from the transaction's
 * start, which is before the prepare, so the real time left is at most {@link #timeLeftMs()}).
 *
 * @param live      whether a running engine of this node still holds it (else only the journal knows it)
 * @param heuristic whether a completion already ended heuristically and only waits for forget
 * @param node      the node part of the branch's transactional id
 * @param otherNode whether another node of the same prefix journaled it: this node's recovery leaves it alone, an
 *                  operator may complete it by hand when that node is gone for good
 */
public record InDoubtBranch(PreparedBranch branch, long ageMs, long timeLeftMs, boolean live, boolean heuristic,
                            String node, boolean otherNode) {

    /** Computes age and time left on the given clock reading. */
    static InDoubtBranch of(PreparedBranch branch, long nowMs, long transactionTimeoutMs, boolean live,
                            boolean heuristic, String node, boolean otherNode) {
        long age = Math.max(0, nowMs - branch.preparedAtMs());
        return new InDoubtBranch(branch, age, transactionTimeoutMs - age, live, heuristic, node, otherNode);
    }

    BranchXid xid() {
        return branch.xid();
    }

    /** One line for a listing or a log. */
    String summary() {
        return branch.xid() + " transactionalId=" + branch.transactionalId() + " producerId="
                + branch.producer().producerId() + " epoch=" + branch.producer().epoch() + " preparedAt="
                + Instant.ofEpochMilli(branch.preparedAtMs()) + " ageMs=" + ageMs + " timeLeftMs="
                + Math.max(0, timeLeftMs) + (timeLeftMs <= 0 ? " (transaction.timeout.ms passed: the broker has "
                + "aborted it, a commit reports a heuristic rollback)" : "")
                + (otherNode ? " other node: this node's recovery leaves it to that node; complete it by hand only "
                + "if that node will not come back under its name"
                : heuristic ? " heuristic outcome, waiting for forget" : live ? " held by a live engine"
                : " journal only (no engine holds it)") + (node.isEmpty() ? "" : " node=" + node);
    }
}
