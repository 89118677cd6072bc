package io.kafkara.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The transaction settings of one connection definition: settings the adapter owns (none of them is a Kafka key).
 * Declared here once; the definition's JavaBean properties, their validation and the reference documentation use
 * this table.
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
    private static final Set<String> TWO_PHASE_MODES = Set.of(TWO_PHASE_AUTO, TWO_PHASE_REQUIRED, TWO_PHASE_OFF);

    /** Property name -> what it means, in the order the reference lists them. */
    public static final Map<String, String> PROPERTIES = properties();

    private static Map<String, String> properties() {
        Map<String, String> docs = new LinkedHashMap<>();
        docs.put(SUPPORT, "NoTransaction (default), LocalTransaction or XATransaction: how this definition takes part "
                + "in JTA transactions. It replaces the resource adapter's transaction-support for this definition.");
        docs.put(ID_PREFIX, "Prefix of the transactional ids of this definition's transactional engines "
                + "(<prefix>-<node>-<slot>); required for LocalTransaction and XATransaction, unique per definition "
                + "in the Kafka cluster, stable across restarts.");
        docs.put(NODE, "Node part of the transactional ids; defaults to the system property jboss.node.name. It must "
                + "differ between the servers that share a Kafka cluster and stay the same across restarts.");
        docs.put(POOL_SIZE, "Number of transactional ids of this node (slots 0..n-1), so the most "
                + "transactional engines (one per concurrent transaction) the definition runs: at least its concurrent "
                + "transactions, which the connection pool's max-pool-size bounds. Default " + DEFAULT_POOL_SIZE + ".");
        docs.put(JOURNAL_TOPIC, "XATransaction only, required: the compacted topic (cleanup.policy=compact) that "
                + "records prepared branches for recovery. Created by the adapter (1 partition, compacted, "
                + "replication min(3, brokers)) when missing.");
        docs.put(TWO_PHASE_COMMIT_MODE, "XATransaction only: auto (default), required or off. auto checks at the "
                + "first transactional use whether the cluster keeps prepared transactions until they are ended "
                + "(brokers with transaction.two.phase.commit.enable=true and unstable.api.versions.enable=true) "
                + "and uses it if so; otherwise the broker aborts a prepared branch after transaction.timeout.ms and "
                + "a later commit is a heuristic rollback (logged as a warning). required refuses transactional "
                + "engines on a cluster without it; off never asks.");
        docs.put(COMMIT_TIMEOUT, "LocalTransaction and XATransaction: how long, in milliseconds, a commit or rollback "
                + "keeps retrying while the transaction coordinator does not answer (Kafka's rule: a commit that timed "
                + "out must be retried, not aborted), before the adapter reports its outcome as unknown: XAER_RMFAIL "
                + "for a prepared XA branch (the transaction manager retries, recovery completes it), XA_HEURHAZ for "
                + "a one-phase XA commit, an unknown-outcome exception for a LocalTransaction. commit() and the "
                + "connection's destroy return within it. Default " + DEFAULT_COMMIT_TIMEOUT_MS + ".");
        return Collections.unmodifiableMap(docs);
    }

    /** The level, leniently: NoTransaction when unset or not one of the three (validation reports it). */
    public static String levelOf(SettingValues definition) {
        String value = definition.get(SUPPORT);
        return value != null && LEVELS.contains(value.trim()) ? value.trim() : NO_TRANSACTION;
    }

    /** Reads and checks the transaction settings of a definition. */
    public static TransactionSettings of(SettingValues definition) throws InvalidSettingsException {
        List<String> problems = new ArrayList<>();
        String support = trimmed(definition.get(SUPPORT));
        if (support == null) {
            support = NO_TRANSACTION;
        } else if (!LEVELS.contains(support)) {
            problems.add(SUPPORT + "=" + support + " is not one of " + NO_TRANSACTION + ", " + LOCAL_TRANSACTION
                    + ", " + XA_TRANSACTION);
        }
        String prefix = trimmed(definition.get(ID_PREFIX));
        String node = trimmed(definition.get(NODE));
        String topic = trimmed(definition.get(JOURNAL_TOPIC));
        int poolSize = (int) atLeastOne(definition, POOL_SIZE, DEFAULT_POOL_SIZE, Integer.MAX_VALUE, "a whole number "
                + "of at least 1 (at least the connection pool's max-pool-size)", problems);
        String twoPhase = trimmed(definition.get(TWO_PHASE_COMMIT_MODE));
        if (twoPhase == null) {
            twoPhase = TWO_PHASE_AUTO;
        } else if (!TWO_PHASE_MODES.contains(twoPhase)) {
            problems.add(TWO_PHASE_COMMIT_MODE + "=" + twoPhase + " is not one of " + TWO_PHASE_AUTO + ", "
                    + TWO_PHASE_REQUIRED + ", " + TWO_PHASE_OFF);
        }
        long commitTimeout = atLeastOne(definition, COMMIT_TIMEOUT, DEFAULT_COMMIT_TIMEOUT_MS, Long.MAX_VALUE,
                "a whole number of milliseconds of at least 1 (default " + DEFAULT_COMMIT_TIMEOUT_MS + ")", problems);
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
        return new TransactionSettings(support, prefix, node, poolSize, topic, twoPhase, commitTimeout);
    }

    public boolean transactional() {
        return !NO_TRANSACTION.equals(support);
    }

    public boolean xa() {
        return XA_TRANSACTION.equals(support);
    }

    /**
     * The property's whole number, or its default when unset; a value below 1 or above {@code max} adds a problem
     * naming what it must be.
     */
    private static long atLeastOne(SettingValues definition, String property, long defaultValue, long max,
                                   String mustBe, List<String> problems) {
        String text = trimmed(definition.get(property));
        if (text == null) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            value = 0;
        }
        if (value < 1 || value > max) {
            problems.add(property + "=" + text + " must be " + mustBe);
        }
        return value;
    }

    private static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
