package io.kafkara.tx;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import javax.transaction.xa.XAException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's view of one connection definition's in-doubt XA branches (prepared, journaled, not completed): the
 * list with ages, and commit or rollback by hand. A completion by hand takes the transaction manager's own path (the
 * live engine that holds the branch, else {@link BranchRecovery} through the coordinator), and afterwards the branch
 * is gone for the transaction manager too: recover() no longer lists it, also after a heuristic outcome, which is
 * reported and then forgotten (the operator made the decision; nobody else will call forget).
 *
 * <pre>{@code
 * InDoubtBranches branches = new InDoubtBranches(recovery, cluster, time::milliseconds, 60_000, "MBean ...", s -> s);
 * branches.list().forEach(b -> System.out.println(b.summary()));
 * String outcome = branches.commit("Xid[131077:0a1b:2c3d]");
 * }</pre>
 */
public final class InDoubtBranches {

    private static final Logger LOG = LoggerFactory.getLogger(InDoubtBranches.class);

    /** Branch starts look at the branches at most this often: the look copies the journal's view under its lock. */
    static final long START_CHECK_INTERVAL_MS = 1_000;

    private static final Set<Integer> HEURISTIC = Set.of(XAException.XA_HEURRB, XAException.XA_HEURCOM,
            XAException.XA_HEURHAZ, XAException.XA_HEURMIX);

    private final BranchRecovery recovery;
    private final KafkaXAResource completer;
    private final LongSupplier clockMs;
    private final long transactionTimeoutMs;
    private final BranchTimeoutWatch watch;
    private final UnaryOperator<String> hideSecrets;
    private volatile BooleanSupplier brokerKeepsPrepared = () -> false;
    private volatile Predicate<String> ofOtherNode = id -> false;
    private volatile UnaryOperator<String> nodeOf = id -> "";
    private volatile long lastStartCheckMs = Long.MIN_VALUE;

    /**
     * @param clockMs              the engines' clock (Kafka's Time), the one prepare stamps branches with
     * @param transactionTimeoutMs the definition's transaction.timeout.ms
     * @param whereToActByHand     names the management operations, for the near-timeout warning
     * @param hideSecrets          scrubs the definition's secrets from any text that leaves here
     */
    InDoubtBranches(BranchRecovery recovery, String clusterIdentity, LongSupplier clockMs,
                    long transactionTimeoutMs, String whereToActByHand, UnaryOperator<String> hideSecrets) {
        this(recovery, clusterIdentity, clockMs, new BranchTimeoutWatch(transactionTimeoutMs, whereToActByHand),
                transactionTimeoutMs, hideSecrets);
    }

    /** With a watch of the test's own (its warnings collected). */
    InDoubtBranches(BranchRecovery recovery, String clusterIdentity, LongSupplier clockMs, BranchTimeoutWatch watch,
                    long transactionTimeoutMs, UnaryOperator<String> hideSecrets) {
        this.recovery = recovery;
        this.completer = KafkaXAResource.forRecovery(recovery, clusterIdentity);
        this.clockMs = clockMs;
        this.transactionTimeoutMs = transactionTimeoutMs;
        this.watch = watch;
        this.hideSecrets = hideSecrets;
    }

    /**
     * Tells whether the cluster keeps prepared branches (two-phase commit mode, decided later than this view is
     * made): then no branch has a timeout to warn about, and its time left is {@link Long#MAX_VALUE}.
     */
    void brokerKeepsPrepared(BooleanSupplier keepsPrepared) {
        this.brokerKeepsPrepared = keepsPrepared;
    }

    /**
     * Names the transactional ids of other nodes of the same prefix, whose journaled branches the operator's listing
     * shows (marked as such), and the node part of an id.
     */
    void otherNodes(Predicate<String> otherNodeIds, UnaryOperator<String> nodeOfId) {
        this.ofOtherNode = otherNodeIds;
        this.nodeOf = nodeOfId;
    }

    long transactionTimeoutMs() {
        return transactionTimeoutMs;
    }

    /** The in-doubt branches (what recover() reports), oldest first; warns about those near their timeout. */
    public List<InDoubtBranch> list() {
        long now = clockMs.getAsLong();
        boolean expire = !brokerKeepsPrepared.getAsBoolean();
        long timeoutMs = expire ? transactionTimeoutMs : Long.MAX_VALUE;
        List<InDoubtBranch> branches = recovery.owned().stream()
                .map(b -> InDoubtBranch.of(b, now, timeoutMs, recovery.liveOwner(b.xid()).isPresent(),
                        recovery.isHeuristic(b.xid()), nodeOf.apply(b.transactionalId()), false))
                .sorted((a, b) -> Long.compare(b.ageMs(), a.ageMs())).toList();
        if (expire) {
            watch.check(branches);
        }
        return branches;
    }

    /**
     * For operators: {@link #list()} plus the branches other nodes of this prefix journaled (the journal read
     * again), marked as another node's.
     */
    List<InDoubtBranch> listWithOtherNodes() {
        List<InDoubtBranch> all = new ArrayList<>(list());
        long now = clockMs.getAsLong();
        long timeoutMs = brokerKeepsPrepared.getAsBoolean() ? Long.MAX_VALUE : transactionTimeoutMs;
        recovery.journaledNow(ofOtherNode).forEach(b -> all.add(InDoubtBranch.of(b, now, timeoutMs, false, false,
                nodeOf.apply(b.transactionalId()), true)));
        return all;
    }

    /** For recovery scans: warns about branches near their timeout; a journal that cannot be read is logged only. */
    public void checkTimeouts() {
        try {
            list();
        } catch (RuntimeException e) {
            LOG.debug("In-doubt branches not checked for their timeout: {}", e.toString());
        }
    }

    /** For branch starts (the busy path): as {@link #checkTimeouts()}, at most once a second. */
    public void checkTimeoutsNowAndThen() {
        long now = clockMs.getAsLong();
        long last = lastStartCheckMs;
        if (last != Long.MIN_VALUE && now - last < START_CHECK_INTERVAL_MS) {
            return;
        }
        lastStartCheckMs = now;
        checkTimeouts();
    }

    /** Commits an in-doubt branch by hand; returns what happened, heuristic outcomes included. */
    String commit(String xid) {
        return complete(xid, true);
    }

    /** Rolls an in-doubt branch back by hand; returns what happened, heuristic outcomes included. */
    String rollback(String xid) {
        return complete(xid, false);
    }

    /**
     * Throws IllegalArgumentException for an Xid that is not in doubt here, IllegalStateException when the outcome
     * is not reached (coordinator unreachable): the branch then stays in doubt and the call can be repeated.
     */
    private String complete(String text, boolean commit) {
        String call = commit ? "commit" : "rollback";
        BranchXid xid = XidText.parse(text);
        Optional<PreparedBranch> own = find(xid);
        PreparedBranch branch = own.or(() -> recovery.journaledNow(ofOtherNode).stream()
                .filter(b -> b.xid().equals(xid)).findFirst()).orElseThrow(() -> new IllegalArgumentException(xid
                + " is not an in-doubt branch of this connection definition (it may have been completed already); in "
                + "doubt: " + listWithOtherNodes().stream().map(InDoubtBranch::xid).toList()));
        LOG.warn("KAFKARA-TX-011: {} of in-doubt branch {} requested by an operator{}", call, branch,
                own.isPresent() ? "" : " (a branch of node " + nodeOf.apply(branch.transactionalId()) + ")");
        try {
            if (own.isEmpty() && commit) {
                recovery.commit(branch);
            } else if (own.isEmpty()) {
                recovery.rollback(branch);
            } else if (commit) {
                completer.commit(xid, false);
            } else {
                completer.rollback(xid);
            }
        } catch (XAException e) {
            if (!HEURISTIC.contains(e.errorCode)) {
                throw new IllegalStateException(hideSecrets.apply(call + " of " + branch + " did not complete, the "
                        + "branch stays in doubt; repeat the call once the cause is fixed: " + e.getMessage()));
            }
            forgetAfterHeuristic(xid);
            String outcome = "Heuristic outcome " + XaErrors.name(e.errorCode) + " of the " + call + " of " + branch
                    + ": " + e.getMessage() + ". The branch is forgotten: the transaction manager will not see it again";
            LOG.warn("KAFKARA-TX-012: {}", hideSecrets.apply(outcome));
            return hideSecrets.apply(outcome);
        }
        String outcome = (commit ? "Committed " : "Rolled back ") + branch + (commit ? ": its records are visible to "
                + "read_committed consumers" : ": its records are discarded") + "; the transaction manager will not "
                + "see it again";
        LOG.warn("KAFKARA-TX-011: {}", outcome);
        return outcome;
    }

    private void forgetAfterHeuristic(BranchXid xid) {
        try {
            completer.forget(xid);
        } catch (XAException e) {
            LOG.warn("KAFKARA-TX-012: branch {} could not be forgotten after its heuristic outcome; recovery lists "
                    + "it until forget succeeds: {}", xid, e.getMessage());
        }
    }

    private Optional<PreparedBranch> find(BranchXid xid) {
        return recovery.owned().stream().filter(b -> b.xid().equals(xid)).findFirst();
    }
}
