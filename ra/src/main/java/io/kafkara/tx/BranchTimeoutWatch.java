package io.kafkara.tx;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns once per branch when a prepared branch has waited for most of transaction.timeout.ms: on a stock broker the
 * coordinator then aborts it (a late commit becomes a heuristic rollback), and until it ends read_committed consumers
 * of its partitions cannot read past it. It has no thread: whoever looks at the branches (recovery scans, branch
 * starts, the JMX listing) hands it what they saw.
 */
final class BranchTimeoutWatch {

    private static final Logger LOG = LoggerFactory.getLogger(BranchTimeoutWatch.class);

    /** The share of transaction.timeout.ms after which a branch is reported. */
    static final double WARN_AT = 0.8;

    private final long transactionTimeoutMs;
    private final long warnAfterMs;
    private final String whereToActByHand;
    private final Consumer<String> warnings;
    private final Set<BranchXid> warned = ConcurrentHashMap.newKeySet();

    /** @param whereToActByHand names the management operation an operator can use, for the warning's text */
    BranchTimeoutWatch(long transactionTimeoutMs, String whereToActByHand) {
        this(transactionTimeoutMs, whereToActByHand, LOG::warn);
    }

    /** @param warnings where the warnings go (the log; tests collect them) */
    BranchTimeoutWatch(long transactionTimeoutMs, String whereToActByHand, Consumer<String> warnings) {
        this.transactionTimeoutMs = transactionTimeoutMs;
        this.warnAfterMs = (long) (transactionTimeoutMs * WARN_AT);
        this.whereToActByHand = whereToActByHand;
        this.warnings = warnings;
    }

    /** Warns about each branch that crossed the threshold since the last look; forgets branches no longer listed. */
    void check(Collection<InDoubtBranch> branches) {
        Set<BranchXid> listed = branches.stream().map(InDoubtBranch::xid).collect(Collectors.toSet());
        warned.retainAll(listed);
        for (InDoubtBranch branch : branches) {
            if (!branch.heuristic() && branch.ageMs() >= warnAfterMs && warned.add(branch.xid())) {
                warn(branch);
            }
        }
    }

    private void warn(InDoubtBranch b) {
        String left = b.timeLeftMs() > 0 ? "the broker aborts it in at most " + b.timeLeftMs() + " ms"
                : "the broker has most likely aborted it already";
        warnings.accept("KAFKARA-TX-010: in-doubt XA branch " + b.xid() + " (transactional id "
                + b.branch().transactionalId() + ", " + b.branch().producer() + ") has been prepared for " + b.ageMs()
                + " ms of transaction.timeout.ms=" + transactionTimeoutMs + ": " + left + ", and a commit after that "
                + "is a heuristic rollback. Until it ends, read_committed consumers of its partitions read no "
                + "further. The transaction manager should commit or roll it back; if it does not (its log lost, the "
                + "transaction forgotten), do it by hand with the operations commit or rollback and this Xid on "
                + whereToActByHand);
    }
}
