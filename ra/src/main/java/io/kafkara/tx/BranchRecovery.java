package io.kafkara.tx;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import javax.transaction.xa.XAException;
import javax.transaction.xa.Xid;

import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkara.engine.kafka.CoordinatorTransaction;
import io.kafkara.engine.kafka.EndTxnAnswer;

/**
 * The adapter-wide half of XA, shared by every XAResource of one connection definition: which branches are prepared
 * and held by a live engine, which are only in the journal (their engine is gone), recovery scans, completing a
 * journaled branch at the coordinator, and heuristic outcomes until the transaction manager forgets them.
 *
 * <p>How the coordinator's answers are read relies on one rule the transactional id pool keeps: no engine calls
 * initTransactions on a transactional id that has a journaled branch. So the producer epoch of such an id moves only
 * when its branch is ended: by us, or by the broker aborting it after transaction.timeout.ms.
 */
public final class BranchRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(BranchRecovery.class);

    private final BranchJournal journal;
    private final BranchCompleter completer;
    private final Predicate<String> ownsTransactionalId;
    private final Map<BranchXid, KafkaXAResource> live = new ConcurrentHashMap<>();
    private final Set<BranchXid> heuristic = ConcurrentHashMap.newKeySet();

    /**
     * @param ownsTransactionalId whether a journaled transactional id belongs to this adapter (its pool), so that
     *                            recover() returns this adapter's branches only when several share a journal
     */
    BranchRecovery(BranchJournal journal, BranchCompleter completer, Predicate<String> ownsTransactionalId) {
        this.journal = journal;
        this.completer = completer;
        this.ownsTransactionalId = ownsTransactionalId;
    }

    BranchJournal journal() {
        return journal;
    }

    /** Whether a journaled branch names this transactional id: such an id must not be initialized again yet. */
    boolean hasBranchFor(String transactionalId) {
        return journal.inDoubt().stream().anyMatch(b -> b.transactionalId().equals(transactionalId));
    }

    /** This adapter's prepared and heuristically completed branches, in a stable order. */
    Xid[] recover() throws XAException {
        try {
            return owned().stream().map(PreparedBranch::xid).toArray(Xid[]::new);
        } catch (RuntimeException e) {
            throw XaErrors.xa(XAException.XAER_RMFAIL, "recover: the branch journal could not be read", e);
        }
    }

    /** What recover() reports, with the journal's details, in the same order; throws Kafka's exceptions. */
    List<PreparedBranch> owned() {
        return journal.inDoubt().stream().filter(b -> ownsTransactionalId.test(b.transactionalId()))
                .sorted(Comparator.comparing(b -> b.xid().toString())).toList();
    }

    /** The journal's branches now whose transactional id the predicate names (other nodes' of this prefix). */
    List<PreparedBranch> journaledNow(Predicate<String> transactionalIds) {
        return journal.readAgain().stream().filter(b -> transactionalIds.test(b.transactionalId()))
                .sorted(Comparator.comparing(b -> b.xid().toString())).toList();
    }

    /** Whether a completion ended heuristically and waits for forget(). */
    boolean isHeuristic(BranchXid xid) {
        return heuristic.contains(xid);
    }

    void registerLive(BranchXid xid, KafkaXAResource owner) {
        live.put(xid, owner);
    }

    void unregisterLive(BranchXid xid) {
        live.remove(xid);
    }

    /** The resource whose engine holds this branch prepared, if any. */
    Optional<KafkaXAResource> liveOwner(BranchXid xid) {
        return Optional.ofNullable(live.get(xid));
    }

    /** Remembers a heuristic outcome: the journal entry stays (recover() lists it) until forget(). */
    void markHeuristic(BranchXid xid) {
        heuristic.add(xid);
    }

    /** Commits a branch that only the journal knows. */
    void commit(BranchXid xid) throws XAException {
        commit(journaled("commit", xid));
    }

    /** Commits a journaled branch at the coordinator (also one of another node, by an operator's hand). */
    void commit(PreparedBranch branch) throws XAException {
        BranchXid xid = branch.xid();
        EndTxnAnswer answer = end(branch, true);
        switch (answer.kind()) {
            case COMPLETED -> completed(xid);
            case MOVED_ON -> {
                // Moved on: committed by an earlier attempt (transaction version 2 bumps the epoch at every
                // completion), or aborted (by the broker's timeout). The coordinator says which.
                CoordinatorTransaction now = describe("commit", branch);
                if (now != null && now.producerId() == branch.producer().producerId() && now.committed()) {
                    LOG.info("Branch {} was already committed ({} answered {}, the coordinator shows {})", branch,
                            "EndTxn(commit)", answer, now);
                    completed(xid);
                    return;
                }
                throw heuristic(xid, now != null && now.aborted() ? XAException.XA_HEURRB : XAException.XA_HEURHAZ,
                        "commit: the transaction coordinator refused the commit of " + branch + " (" + answer
                        + ") and shows " + (now == null ? "no transaction of the id" : now) + (now != null
                        && now.aborted() ? ": it was aborted, most likely because transaction.timeout.ms passed "
                        + "before the commit; its records are not visible to read_committed consumers"
                        : ": its outcome cannot be known"));
            }
            case PRODUCER_UNKNOWN -> throw heuristic(xid, XAException.XA_HEURHAZ, "commit: the transaction "
                    + "coordinator no longer knows the producer of " + branch + " (transactional id expired?); its "
                    + "outcome cannot be known");
            case REFUSED -> throw XaErrors.xa(XAException.XAER_RMERR, "commit: the transaction coordinator answered "
                    + answer + " for " + branch);
        }
    }

    /** Rolls back a branch that only the journal knows. */
    void rollback(BranchXid xid) throws XAException {
        rollback(journaled("rollback", xid));
    }

    /** Rolls back a journaled branch at the coordinator (also one of another node, by an operator's hand). */
    void rollback(PreparedBranch branch) throws XAException {
        BranchXid xid = branch.xid();
        EndTxnAnswer answer = end(branch, false);
        switch (answer.kind()) {
            case COMPLETED -> completed(xid);
            case MOVED_ON -> {
                // Not a guess: the epoch moves on at a commit as well as at an abort.
                CoordinatorTransaction now = describe("rollback", branch);
                boolean ours = now != null && now.producerId() == branch.producer().producerId();
                if (ours && now.aborted()) {
                    completed(xid);
                } else if (ours && now.committed()) {
                    throw heuristic(xid, XAException.XA_HEURCOM, "rollback: " + branch + " had already been "
                            + "committed (the coordinator shows " + now + ")");
                } else {
                    throw heuristic(xid, XAException.XA_HEURHAZ, "rollback: the transaction coordinator refused the "
                            + "abort of " + branch + " (" + answer + ") and shows " + (now == null
                            ? "no transaction of the id" : now) + "; its outcome cannot be known");
                }
            }
            case PRODUCER_UNKNOWN -> throw heuristic(xid, XAException.XA_HEURHAZ, "rollback: the "
                    + "transaction coordinator no longer knows the producer of " + branch + "; its outcome cannot "
                    + "be known");
            case REFUSED -> throw XaErrors.xa(XAException.XAER_RMERR, "rollback: the transaction coordinator answered "
                    + answer + " for " + branch);
        }
    }

    private CoordinatorTransaction describe(String call, PreparedBranch branch) throws XAException {
        try {
            return completer.describe(branch);
        } catch (KafkaException e) {
            throw XaErrors.xa(XAException.XAER_RMFAIL, call + ": could not ask the transaction coordinator what "
                    + "became of " + branch + "; the branch stays in doubt, retry later", e);
        }
    }

    /** Forgets a heuristically completed branch. */
    void forget(BranchXid xid) throws XAException {
        if (heuristic.contains(xid)) {
            remove(xid);
            heuristic.remove(xid);
            return;
        }
        boolean journaled = find(xid).isPresent();
        throw XaErrors.xa(journaled ? XAException.XAER_PROTO : XAException.XAER_NOTA, "forget: branch " + xid
                + (journaled ? " is prepared, not heuristically completed: commit or roll it back"
                : " is not known to this resource manager"));
    }

    /** Removes a completed branch from the journal; a failure only means recovery will ask again (idempotently). */
    void remove(BranchXid xid) {
        try {
            journal.remove(xid);
        } catch (RuntimeException e) {
            LOG.warn("KAFKARA-TX-001: completed branch {} could not be removed from the branch journal; recovery will "
                    + "list it and complete it again (a repeated EndTxn is accepted as a retry): {}", xid,
                    e.toString());
        }
    }

    private void completed(BranchXid xid) {
        remove(xid);
        heuristic.remove(xid);
    }

    private XAException heuristic(BranchXid xid, int code, String message) {
        markHeuristic(xid);
        LOG.error("KAFKARA-TX-002: heuristic outcome {} for branch {}: {}", XaErrors.name(code), xid, message);
        return XaErrors.xa(code, message);
    }

    private EndTxnAnswer end(PreparedBranch branch, boolean commit) throws XAException {
        try {
            return completer.end(branch, commit);
        } catch (KafkaException e) {
            throw XaErrors.xa(XAException.XAER_RMFAIL, (commit ? "commit: " : "rollback: ") + "could not reach the "
                    + "transaction coordinator for " + branch + "; the branch stays in doubt, retry later", e);
        }
    }

    private PreparedBranch journaled(String call, BranchXid xid) throws XAException {
        return find(xid).orElseThrow(() -> XaErrors.xa(XAException.XAER_NOTA, call + ": branch " + xid
                + " is not prepared in this resource manager (not held by an engine, not in the branch journal)"));
    }

    private Optional<PreparedBranch> find(BranchXid xid) throws XAException {
        try {
            return journal.inDoubt().stream().filter(b -> b.xid().equals(xid)).findFirst();
        } catch (RuntimeException e) {
            throw XaErrors.xa(XAException.XAER_RMFAIL, "the branch journal could not be read to find " + xid, e);
        }
    }
}
