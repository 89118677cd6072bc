package io.kafkara.tx;

import jakarta.resource.ResourceException;

import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkara.config.TransactionSettings;
import io.kafkara.engine.kafka.TwoPhaseCommitProbe;

/**
 * Decides once per XA connection definition, at the first transactional use, whether its transactional engines run
 * in two-phase commit mode (the broker keeps a prepared branch until it is committed or rolled back) or in the stock
 * broker's mode (the broker aborts it after transaction.timeout.ms), following the definition's
 * {@value TransactionSettings#TWO_PHASE_COMMIT_MODE}, and logs the outcome in one line. A failed check decides
 * nothing: the next use asks again.
 */
public final class TwoPhaseCommitDecision {

    private static final Logger LOG = LoggerFactory.getLogger(TwoPhaseCommitDecision.class);

    /** Asks the cluster (a real probe in the adapter, a scripted one in tests). */
    @FunctionalInterface
    public interface ClusterCheck {
        TwoPhaseCommitProbe.Verdict check(String probeTransactionalId, int transactionTimeoutMs);
    }

    private final TransactionSettings transactions;
    private final int transactionTimeoutMs;
    private final ClusterCheck cluster;
    private Boolean decided;
    private String statement;

    TwoPhaseCommitDecision(TransactionSettings transactions, int transactionTimeoutMs, ClusterCheck cluster) {
        this.transactions = transactions;
        this.transactionTimeoutMs = transactionTimeoutMs;
        this.cluster = cluster;
    }

    /**
     * Whether the definition's transactional engines use two-phase commit mode. Asks the cluster the first time
     * (XATransaction with mode auto or required), using {@code probeTransactionalId}, an id no engine uses.
     *
     * @throws ResourceException when mode required meets a cluster without it, or the cluster could not be asked
     */
    synchronized boolean enabled(String probeTransactionalId) throws ResourceException {
        if (decided == null) {
            decided = decide(probeTransactionalId);
        }
        return decided;
    }

    /** True once the cluster was found to keep prepared transactions; false before a decision or for stock. */
    synchronized boolean knownEnabled() {
        return Boolean.TRUE.equals(decided);
    }

    /** The line logged when the decision was made; null before. */
    synchronized String statement() {
        return statement;
    }

    private boolean decide(String probeTransactionalId) throws ResourceException {
        if (!transactions.xa()) {
            return false;
        }
        String mode = transactions.twoPhaseCommitMode();
        if (TransactionSettings.TWO_PHASE_OFF.equals(mode)) {
            return stock(TransactionSettings.TWO_PHASE_COMMIT_MODE + "=off");
        }
        TwoPhaseCommitProbe.Verdict verdict;
        try {
            verdict = cluster.check(probeTransactionalId, transactionTimeoutMs);
        } catch (KafkaException e) {
            throw new ResourceException("Could not check whether the Kafka cluster supports two-phase commit for the "
                    + "XA definition with " + TransactionSettings.ID_PREFIX + "=" + transactions.idPrefix() + ": "
                    + e.getMessage() + "; the next transactional use tries again", e);
        }
        if (verdict.twoPhaseCommit()) {
            statement = "KAFKARA-TX-030: XA definition " + TransactionSettings.ID_PREFIX + "=" + transactions.idPrefix()
                    + ": two-phase commit enabled on the cluster: prepared branches do not expire ("
                    + verdict.reason() + ")";
            LOG.info(statement);
            return true;
        }
        if (TransactionSettings.TWO_PHASE_REQUIRED.equals(mode)) {
            throw new ResourceException(TransactionSettings.TWO_PHASE_COMMIT_MODE + "=required, but the Kafka cluster "
                    + "does not keep prepared transactions: " + verdict.reason() + ". Set "
                    + "transaction.two.phase.commit.enable=true and unstable.api.versions.enable=true on every broker, "
                    + "or set " + TransactionSettings.TWO_PHASE_COMMIT_MODE + "=auto to accept the broker's timeout");
        }
        return stock(verdict.reason());
    }

    private boolean stock(String reason) {
        statement = "KAFKARA-TX-031: XA definition " + TransactionSettings.ID_PREFIX + "=" + transactions.idPrefix()
                + ": stock broker: a prepared branch is aborted by the broker after transaction.timeout.ms="
                + transactionTimeoutMs + " ms (broker cap transaction.max.timeout.ms); commits later than that are "
                + "reported as heuristic rollback (" + reason + ")";
        LOG.warn(statement);
        return false;
    }
}
