package io.kafkara.tx;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import jakarta.resource.ResourceException;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkara.config.ResolvedSettings;
import io.kafkara.config.TransactionSettings;
import io.kafkara.engine.ProducerEngine;
import io.kafkara.engine.kafka.AbortOutcome;
import io.kafkara.engine.kafka.ApplicationPlugins;
import io.kafkara.engine.kafka.BrokerTransactionLimit;
import io.kafkara.engine.kafka.CompactedTopicProvisioner;
import io.kafkara.engine.kafka.RecordMemory;
import io.kafkara.engine.kafka.TwoPhaseCommitProbe;
import io.kafkara.observe.EngineRoster;

/**
 * The transaction machinery one connection definition shares between its managed connections: the node's
 * transactional id pool, the branch journal (XA only; its writer is a non-transactional engine of its own) and
 * branch recovery. Built on first use, so a definition that never runs a transaction starts nothing for it.
 */
public final class DefinitionTransactions {

    private static final Logger LOG = LoggerFactory.getLogger(DefinitionTransactions.class);

    /** Bound of a journal write's acknowledgement, of the journal's read at start and of one coordinator call. */
    private static final Duration JOURNAL_TIMEOUT = Duration.ofSeconds(30);
    /** Bound of the abort of a transaction a closed engine left open: the container's destroy() waits for it. */
    private static final Duration LEFT_OPEN_TIMEOUT = Duration.ofSeconds(10);

    private final TransactionHost host;
    private final MemorySource memory;
    private final ResolvedSettings settings;
    private final TransactionSettings transactions;
    private final String clusterIdentity;
    private final XaTransactionTimeout timeout;
    private TwoPhaseCommitDecision twoPhaseCommit;
    private TransactionalIdPool pool;
    private BranchRecovery recovery;
    private OrphanTransactionSweep orphans;
    private InDoubtBranches inDoubt;
    private TransactionalEngineSet<TransactionalEngineLease> engines;
    private final EngineRoster roster;
    private CountingBranchJournal journal;

    /** The definition's record memory, which its transactional engines share with its shared engine. */
    @FunctionalInterface
    public interface MemorySource {
        RecordMemory get() throws ResourceException;
    }

    /** @param roster the definition's application engines, for its metrics: each transactional engine joins it */
    public DefinitionTransactions(TransactionHost host, ResolvedSettings settings, TransactionSettings transactions,
                           MemorySource memory, EngineRoster roster) {
        this.host = host;
        this.roster = roster;
        this.memory = memory;
        this.settings = settings;
        this.transactions = transactions;
        this.clusterIdentity = String.valueOf(settings.settings().get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
        this.timeout = new XaTransactionTimeout(transactions, configuredTransactionTimeoutMs(), this::readBrokerLimit);
    }

    /**
     * The operator's view of the in-doubt branches (XA only, else null): recovery scans and branch starts let it
     * warn about branches near their timeout.
     */
    public synchronized InDoubtBranches inDoubtBranches() throws ResourceException {
        recovery();
        return inDoubt;
    }

    /** The definition's transaction.timeout.ms, or null when it leaves it to the adapter (and Kafka). */
    private Integer configuredTransactionTimeoutMs() {
        Object value = settings.settings().get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
        return value == null ? null : Integer.valueOf(String.valueOf(value).trim());
    }

    private long readBrokerLimit() {
        try (BrokerTransactionLimit limit = BrokerTransactionLimit.open(addressAndSecurity(), host.time(),
                JOURNAL_TIMEOUT.toMillis())) {
            return limit.maxTransactionTimeoutMs();
        }
    }

    /**
     * A transactional engine for a transaction that begins: an idle one of the definition's set, else a new one (a
     * leased transactional id, an engine started with it, its sender loop a Work like any engine's, and
     * initTransactions, which fences an earlier engine of the same id). Given back when the transaction completes.
     */
    public TransactionalEngineLease borrowEngine() throws ResourceException {
        TransactionalEngineSet<TransactionalEngineLease> set;
        synchronized (this) {
            recovery();
            set = engines;
        }
        try {
            return set.borrow();
        } catch (IllegalStateException | IllegalArgumentException | KafkaException e) {
            throw new ResourceException("No transactional Kafka engine for this connection definition: "
                    + settings.hideSecrets(e.getMessage()), e);
        } catch (UncheckedResourceException e) {
            throw e.getCause();
        }
    }

    /** Takes back the engine of a completed transaction (closed when it is no longer usable). */
    public void giveBack(TransactionalEngineLease engine) {
        engines().giveBack(engine);
    }

    /** Closes the engine of a connection the container destroyed while it held it. */
    public void discard(TransactionalEngineLease engine) {
        engines().discard(engine);
    }

    /** Transactional engines lent now (0 before the first transactional use). */
    public synchronized int enginesInUse() {
        return engines == null ? 0 : engines.borrowedCount();
    }

    /** Transactional engines idle in the pool now. */
    public synchronized int enginesIdle() {
        return engines == null ? 0 : engines.idleCount();
    }

    /** The in-doubt branches known so far (null before the first XA use): a look never starts the machinery. */
    public synchronized InDoubtBranches inDoubtIfKnown() {
        return inDoubt;
    }

    /** Writes of the branch journal so far. */
    public synchronized long journalWrites() {
        return journal == null ? 0 : journal.writes();
    }

    /** The definition's transactional engines: lent, and idle (for tests and the operator's view). */
    synchronized TransactionalEngineSet<TransactionalEngineLease> engines() {
        return engines;
    }

    private TransactionalEngineLease openLease() {
        boolean twoPhase;
        try {
            twoPhase = twoPhaseCommit.enabled(probeTransactionalId());
        } catch (ResourceException e) {
            throw new UncheckedResourceException(e);
        }
        return TransactionalEngineLease.open(pool, recovery, clusterIdentity,
                id -> startTransactionalEngine(id, twoPhase),
                new TransactionalEngineLease.Timing(timeoutSeconds(twoPhase), transactions.commitTimeoutMs(),
                        host.time()::milliseconds), this::abortLeftOpen);
    }

    /** Carries a ResourceException of the engine's opening through the set, to the borrower. */
    private static final class UncheckedResourceException extends RuntimeException {
        UncheckedResourceException(ResourceException cause) {
            super(cause);
        }

        @Override
        public synchronized ResourceException getCause() {
            return (ResourceException) super.getCause();
        }
    }

    /**
     * A resource with no engine for the transaction manager's recovery scans and completions. A scan also retries
     * the orphan sweep if the first one failed (the recovery thread repairs; applications are not delayed).
     */
    public KafkaXAResource recoveryResource() throws ResourceException {
        BranchRecovery branches = recovery();
        // Every scan: an engine forced closed, or one whose loop died, may have left a transaction open that nobody
        // will end (in two-phase commit mode the broker never times it out).
        orphans.sweepAgain();
        decideBrokerModeOnRecoveryPath();
        // What an operator enables (logger io.kafkara.tx at DEBUG) to see that the transaction manager scans it.
        LOG.debug("KAFKARA-TX-041: recovery scan of the connection definition with {}={}", TransactionSettings.ID_PREFIX,
                transactions.idPrefix());
        return KafkaXAResource.forRecovery(branches, clusterIdentity);
    }

    /**
     * A server that restarts only to recover knows the broker mode from its first scan, so the in-doubt view does not
     * warn about timeouts a two-phase commit cluster does not have. A failure is retried at the next scan or lease.
     */
    private void decideBrokerModeOnRecoveryPath() {
        if (!transactions.xa()) {
            return;
        }
        try {
            twoPhaseCommit.enabled(probeTransactionalId());
        } catch (ResourceException e) {
            LOG.debug("Broker mode not decided on the recovery path: {}", settings.hideSecrets(e.getMessage()));
        }
    }

    /** The engines' transaction.timeout.ms in seconds, Integer.MAX_VALUE once known to be two-phase commit mode. */
    public int transactionTimeoutSeconds() {
        boolean twoPhase;
        synchronized (this) {
            twoPhase = twoPhaseCommit != null && twoPhaseCommit.knownEnabled();
        }
        return timeoutSeconds(twoPhase);
    }

    /** What XA reports as the engines' timeout: none, in effect, when the broker keeps prepared transactions. */
    private int timeoutSeconds(boolean twoPhase) {
        return twoPhase ? Integer.MAX_VALUE : timeout.milliseconds() / 1000;
    }

    /** For a closed engine's open transaction: aborted now, so it blocks no read_committed reader. Never throws. */
    private void abortLeftOpen(String transactionalId) {
        try (OrphanTransactionSweep.Aborter aborter = OrphanTransactionSweep.Aborter.open(connectionSettings(),
                Duration.ofMillis(Math.min(transactions.commitTimeoutMs(), LEFT_OPEN_TIMEOUT.toMillis())))) {
            AbortOutcome outcome = aborter.abortIfOpen(transactionalId);
            if (outcome == AbortOutcome.ABORTED) {
                LOG.warn("KAFKARA-TX-022: aborted the open Kafka transaction of {}: its engine was closed before it "
                        + "could end it", transactionalId);
            }
        } catch (RuntimeException e) {
            LOG.warn("KAFKARA-TX-023: the open Kafka transaction of {} left by a closed engine could not be aborted "
                    + "({}); the next recovery scan tries again", transactionalId, settings.hideSecrets(e.toString()));
        }
    }

    private ProducerEngine startTransactionalEngine(String transactionalId, boolean twoPhase) {
        Map<String, Object> config = settings.producerConfig(host.nextClientId(settings.clientIdPrefix()));
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        if (twoPhase) {
            // The broker ignores the timeout of a two-phase producer, and Kafka's config refuses the two together.
            config.remove(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
            config.put(ProducerConfig.TRANSACTION_TWO_PHASE_COMMIT_ENABLE_CONFIG, true);
        } else {
            config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, timeout.milliseconds());
        }
        try {
            // The engine loads no application class: each caller brings its own plug-ins.
            Map<String, Object> engineConfig = ApplicationPlugins.withoutPluginClasses(config);
            engineConfig.put(RecordMemory.SETTING, memory.get());
            ProducerEngine engine = host.launch(engineConfig,
                    DefinitionTransactions.class.getClassLoader());
            roster.add(engine);
            return engine;
        } catch (ResourceException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** An id of this definition and node that no engine leases: InitProducerId on it aborts nothing of ours. */
    private String probeTransactionalId() {
        String firstSlot = pool.ids().get(0);
        return firstSlot.substring(0, firstSlot.lastIndexOf('-')) + "-2pc-check";
    }

    private TwoPhaseCommitProbe.Verdict checkCluster(String probeTransactionalId, int transactionTimeoutMs) {
        try (TwoPhaseCommitProbe probe = TwoPhaseCommitProbe.open(connectionSettings(), host.time(),
                JOURNAL_TIMEOUT.toMillis())) {
            return probe.check(probeTransactionalId, transactionTimeoutMs);
        }
    }

    private synchronized BranchRecovery recovery() throws ResourceException {
        if (recovery == null) {
            try {
                pool = TransactionalIdPool.forThisNode(transactions.idPrefix(), transactions.node(),
                        transactions.poolSize());
            } catch (IllegalArgumentException e) {
                throw new ResourceException(e.getMessage(), e);
            }
            twoPhaseCommit = new TwoPhaseCommitDecision(transactions, timeout.milliseconds(), this::checkCluster);
            BranchJournal branchJournal = new NoBranchJournal();
            if (transactions.xa()) {
                journal = new CountingBranchJournal(kafkaJournal());
                branchJournal = journal;
            }
            BranchRecovery branches = new BranchRecovery(branchJournal, new CoordinatorBranchCompleter(
                    connectionSettings(), JOURNAL_TIMEOUT), pool::isOfThisNode);
            if (transactions.xa()) {
                inDoubt = registerInDoubtBranches(branches);
                inDoubt.brokerKeepsPrepared(twoPhaseCommit::knownEnabled);
                inDoubt.otherNodes(pool::isOfOtherNode, pool::nodeOf);
            }
            recovery = branches;
            engines = new TransactionalEngineSet<>(this::openLease, host.time()::milliseconds);
            host.idleEnginesClosedOnDemand(engines::closeAllIdle);
            orphans = new OrphanTransactionSweep(pool, recovery::hasBranchFor,
                    () -> OrphanTransactionSweep.Aborter.open(connectionSettings(), JOURNAL_TIMEOUT));
            // Before the first lease (leases wait for this method): open transactions a crash left behind end now,
            // not after transaction.timeout.ms.
            orphans.sweepIfPending();
        }
        return recovery;
    }

    /** The definition's in-doubt branches as an MBean, until the adapter stops. */
    private InDoubtBranches registerInDoubtBranches(BranchRecovery branches) throws ResourceException {
        ObjectName name;
        try {
            name = new ObjectName(InDoubtBranchesMXBean.DOMAIN + ":type=" + InDoubtBranchesMXBean.TYPE
                    + ",transactionalIdPrefix=" + transactions.idPrefix() + ",node=" + pool.node());
        } catch (MalformedObjectNameException e) {
            throw new ResourceException("No MBean name for the in-doubt branches of " + pool.idHead() + "*: " + e, e);
        }
        InDoubtBranches view = new InDoubtBranches(branches, clusterIdentity, host.time()::milliseconds,
                timeout.milliseconds(), "the MBean " + name + " (JMX)", settings::hideSecrets);
        host.transactionalDefinitions().register(name, new InDoubtBranchesAdministration(view,
                settings::hideSecrets));
        return view;
    }

    private BranchJournal kafkaJournal() {
        Map<String, Object> config = journalWriterConfig(settings.producerConfig(host.nextClientId(
                settings.clientIdPrefix() + "-journal")));
        // The writer starts with the first prepare: a connection that only serves recovery scans starts no engine.
        Supplier<ProducerEngine> writer = () -> {
            try {
                return host.launch(config, KafkaBranchJournal.class.getClassLoader());
            } catch (ResourceException e) {
                throw new IllegalStateException("The branch journal's writer could not start: " + e.getMessage(), e);
            }
        };
        BranchJournal journal = KafkaBranchJournal.withWriterOnFirstWrite(writer, transactions.journalTopic(),
                JOURNAL_TIMEOUT, journalReaders());
        return new TopicEnsuringBranchJournal(journal, new BranchJournalTopic(transactions.journalTopic(),
                () -> CompactedTopicProvisioner.open(addressAndSecurity(), host.time(),
                        JOURNAL_TIMEOUT.toMillis())));
    }

    /**
     * The journal writer's settings from the definition's producer settings: byte arrays, none of the application's
     * interceptors or partitioner, and no linger. Every write is awaited by a prepare or a commit that has nothing
     * else to add to it, so a linger (Kafka's default is 5 ms) would only be added to each two-phase transaction,
     * twice; the writes of concurrent transactions still share requests while one is in flight.
     */
    static Map<String, Object> journalWriterConfig(Map<String, Object> producerConfig) {
        Map<String, Object> config = new HashMap<>(producerConfig);
        config.remove(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG);
        config.remove(ProducerConfig.PARTITIONER_CLASS_CONFIG);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return config;
    }

    /**
     * The connection settings without the application's classes: an administrative client needs none, and the
     * thread that first uses the journal (a JMX or recovery thread) may not see them.
     */
    private Map<String, Object> addressAndSecurity() {
        Map<String, Object> connection = connectionSettings();
        connection.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
        connection.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        connection.remove(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG);
        connection.remove(ProducerConfig.PARTITIONER_CLASS_CONFIG);
        return connection;
    }

    /** The journal's readers: the consumer side of the connection settings (address, security) only. */
    private Supplier<Consumer<byte[], byte[]>> journalReaders() {
        Map<String, Object> consumer = new HashMap<>();
        connectionSettings().forEach((key, value) -> {
            if (ConsumerConfig.configNames().contains(key) && !key.endsWith(".serializer")
                    && !key.equals(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG)) {
                consumer.put(key, value);
            }
        });
        consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, host.nextClientId(settings.clientIdPrefix() + "-journal-reader"));
        return KafkaBranchJournal.classicConsumers(consumer);
    }

    private Map<String, Object> connectionSettings() {
        return new HashMap<>(settings.settings());
    }
}
