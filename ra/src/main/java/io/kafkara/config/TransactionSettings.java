package io.kafkara.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The transaction settings of one connection definition: settings the adapter owns (none of them is a Kafka key).
 * Declared here once, as Kafka declares its own ({@link #DEFINITION}); the definition's JavaBean properties, their
 * validation and the reference documentation use the declaration.
 */
public record TransactionSettings(String support, String idPrefix, String node, int poolSize, String journalTopic,
                                  String twoPhaseCommitMode, long commitTimeoutMs) {

    public static final String SUPPORT = "transactionSupportLevel";
    public static final String ID_PREFIX = "transactionalIdPrefix";
    public static final String NODE = "transactionalIdNode";
    public static final String POOL_SIZE = "transactionalIdPoolSize";
    public static final String JOURNAL_TOPIC = "branchJournalTopic";
    public static final String TWO_PHASE_COMMIT_MODE = "twoPhaseCommitMode";
    public static final String COMMIT_TIMEOUT = "commitTimeoutMs";

    public static final String NO_TRANSACTION = "NoTransaction";
    public static final String LOCAL_TRANSACTION = "LocalTransaction";
    public static final String XA_TRANSACTION = "XATransaction";

    /** Two-phase commit mode when the cluster offers it, else the stock broker's timeout (with a warning). */
    public static final String TWO_PHASE_AUTO = "auto";
    /** Two-phase commit mode or no transactional engine at all. */
    public static final String TWO_PHASE_REQUIRED = "required";
    /** Never ask: the stock broker's behaviour even on a cluster that would keep prepared transactions. */
    public static final String TWO_PHASE_OFF = "off";

    /**
     * The id pool must hold one id per pooled connection; 20 is IronJacamar's default max-pool-size, so the default
     * pool of a definition never runs out of ids.
     */
    public static final int DEFAULT_POOL_SIZE = 20;

    /**
     * Twice Kafka's max.block.ms default: a commit survives a broker failover or a leader election without being
     * reported as unknown, and a request thread is not held longer than a JTA transaction usually lives.
     */
    public static final long DEFAULT_COMMIT_TIMEOUT_MS = 120_000;

    private static final Set<String> LEVELS = Set.of(NO_TRANSACTION, LOCAL_TRANSACTION, XA_TRANSACTION);

    /** The transaction settings, declared once: type, default, rule and documentation, in the reference's order. */
    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(SUPPORT, Type.STRING, NO_TRANSACTION, SettingRule.oneOf(NO_TRANSACTION, LOCAL_TRANSACTION,
                    XA_TRANSACTION), Importance.HIGH, "How this definition takes part in JTA transactions. It replaces "
                    + "the resource adapter's transaction-support for this definition.")
            .define(ID_PREFIX, Type.STRING, null, Importance.HIGH, "Prefix of the transactional ids of this "
                    + "definition's transactional engines (<prefix>-<node>-<slot>); required for LocalTransaction and "
                    + "XATransaction, unique per definition in the Kafka cluster, stable across restarts.")
            .define(NODE, Type.STRING, null, Importance.MEDIUM, "Node part of the transactional ids; unset, the "
                    + "system property jboss.node.name. It must differ between the servers that share a Kafka cluster "
                    + "and stay the same across restarts.")
            .define(POOL_SIZE, Type.INT, DEFAULT_POOL_SIZE, SettingRule.atLeast(1, "a whole number of at least 1 (at "
                    + "least the connection pool's max-pool-size)"), Importance.MEDIUM, "Number of transactional ids "
                    + "of this node (slots 0..n-1), so the most transactional engines (one per concurrent "
                    + "transaction) the definition runs: at least its concurrent transactions, which the connection "
                    + "pool's max-pool-size bounds.")
            .define(JOURNAL_TOPIC, Type.STRING, null, Importance.HIGH, "XATransaction only, required: the compacted "
                    + "topic (cleanup.policy=compact) that records prepared branches for recovery. Created by the "
                    + "adapter (1 partition, compacted, replication min(3, brokers)) when missing.")
            .define(TWO_PHASE_COMMIT_MODE, Type.STRING, TWO_PHASE_AUTO, SettingRule.oneOf(TWO_PHASE_AUTO,
                    TWO_PHASE_REQUIRED, TWO_PHASE_OFF), Importance.MEDIUM, "XATransaction only. auto checks at the "
                    + "first transactional use whether the cluster keeps prepared transactions until they are ended "
                    + "(brokers with transaction.two.phase.commit.enable=true and unstable.api.versions.enable=true) "
                    + "and uses it if so; otherwise the broker aborts a prepared branch after transaction.timeout.ms "
                    + "and a later commit is a heuristic rollback (logged as a warning). required refuses "
                    + "transactional engines on a cluster without it; off never asks.")
            .define(COMMIT_TIMEOUT, Type.LONG, DEFAULT_COMMIT_TIMEOUT_MS, SettingRule.atLeast(1, "a whole number of "
                    + "milliseconds of at least 1"), Importance.MEDIUM,
                    "LocalTransaction and XATransaction: how long, in milliseconds, a commit or rollback keeps "
                    + "retrying while the transaction coordinator does not answer (Kafka's rule: a commit that timed "
                    + "out must be retried, not aborted), before the adapter reports its outcome as unknown: "
                    + "XAER_RMFAIL for a prepared XA branch (the transaction manager retries, recovery completes it), "
                    + "XA_HEURHAZ for a one-phase XA commit, an unknown-outcome exception for a LocalTransaction. "
                    + "commit() and the connection's destroy return within it.");

    /** The level, leniently: NoTransaction when unset or not one of the three (validation reports it). */
    public static String levelOf(SettingValues definition) {
        String value = definition.get(SUPPORT);
        return value != null && LEVELS.contains(value.trim()) ? value.trim() : NO_TRANSACTION;
    }

    /** Reads and checks the transaction settings of a definition. */
    public static TransactionSettings of(SettingValues definition) throws InvalidSettingsException {
        List<String> problems = new ArrayList<>();
        Map<String, Object> values = DeclaredSettings.read(DEFINITION, definition, problems);
        String support = (String) values.get(SUPPORT);
        String prefix = (String) values.get(ID_PREFIX);
        String topic = (String) values.get(JOURNAL_TOPIC);
        boolean transactional = LOCAL_TRANSACTION.equals(support) || XA_TRANSACTION.equals(support);
        if (transactional && prefix == null) {
            problems.add(ID_PREFIX + " is required with " + SUPPORT + "=" + support + ": set a prefix that is "
                    + "unique to this connection definition in the Kafka cluster and stays the same across restarts");
        }
        if (XA_TRANSACTION.equals(support) && topic == null) {
            problems.add(JOURNAL_TOPIC + " is required with " + SUPPORT + "=" + XA_TRANSACTION + ": name a "
                    + "compacted topic (cleanup.policy=compact) for the prepared branches");
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(definition, problems, Secrets.valuesOf(definition));
        }
        return new TransactionSettings(support, prefix, (String) values.get(NODE), (Integer) values.get(POOL_SIZE),
                topic, (String) values.get(TWO_PHASE_COMMIT_MODE), (Long) values.get(COMMIT_TIMEOUT));
    }

    public boolean transactional() {
        return !NO_TRANSACTION.equals(support);
    }

    public boolean xa() {
        return XA_TRANSACTION.equals(support);
    }
}
