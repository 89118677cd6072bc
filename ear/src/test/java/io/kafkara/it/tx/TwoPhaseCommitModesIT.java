package io.kafkara.it.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.kafkara.engine.ProducerEngine;
import io.kafkara.engine.kafka.TwoPhaseCommitProbe;
import io.kafkara.it.broker.KafkaCluster;
import io.kafkara.it.broker.KafkaClusterBuilder;
import io.kafkara.tx.BranchJournal;
import io.kafkara.tx.BranchRecovery;
import io.kafkara.tx.BranchXid;
import io.kafkara.tx.KafkaXAResource;
import io.kafkara.tx.PreparedBranch;
import io.kafkara.tx.TransactionalEngineLease;
import io.kafkara.tx.TransactionalIdPool;
import io.kafkara.tx.TxAccess;

/**
 * XA with Kafka 4.3.1 in both broker modes, against real broker processes and without WildFly: the adapter's
 * two-phase commit check, a transactional engine (its sender loop on a test thread) and its KafkaXAResource. Both
 * brokers cap transaction.max.timeout.ms at 3 s and look for timed-out transactions every 500 ms.
 *
 * <ul>
 * <li>Stock broker: the check says stock; a branch prepared with transaction.timeout.ms=3000 is aborted by the
 * broker; the commit after that is XA_HEURRB, from the live engine and from recovery after the engine is gone
 * alike; the records stay invisible to read_committed, nothing stays open.</li>
 * <li>Two-phase commit broker: the check says enabled; a prepared branch is still open three timeouts later and
 * its commit (live engine, or recovery's EndTxn after the engine is gone) makes the records visible exactly
 * once.</li>
 * </ul>
 * One cluster of each kind serves the class; each test has its own topic and transactional ids.
 */
class TwoPhaseCommitModesIT {

    private static final int TIMEOUT_MS = 3_000;
    private static final List<String> VALUES = List.of("order-1", "order-2", "order-3");
    private static final AtomicInteger CASES = new AtomicInteger();

    private static KafkaCluster stock;
    private static KafkaCluster twoPhase;

    @AfterAll
    static void stopClusters() {
        for (KafkaCluster cluster : new KafkaCluster[] {stock, twoPhase}) {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    @Test
    void aStockBrokerAbortsAPreparedBranchAfterTheTimeoutAndTheLateCommitIsAHeuristicRollback() throws Exception {
        Case c = new Case(stockCluster());
        TwoPhaseCommitProbe.Verdict verdict = c.check();
        assertFalse(verdict.twoPhaseCommit(), verdict.reason());
        assertTrue(verdict.reason().contains("unstable.api.versions.enable"), verdict.reason());

        try (Branch branch = new Branch(c, verdict)) {
            branch.sendAndPrepare();
            long preparedAt = System.nanoTime();
            c.awaitState(TransactionState.COMPLETE_ABORT, Duration.ofSeconds(60), true);
            System.out.printf("stock broker: prepared branch aborted by the broker %d ms after prepare "
                    + "(transaction.timeout.ms=%d)%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - preparedAt),
                    TIMEOUT_MS);

            XAException late = assertThrows(XAException.class, () -> branch.xa().commit(branch.xid, false));
            assertEquals(XAException.XA_HEURRB, late.errorCode, late.getMessage());
        }
        c.assertAbortedAndNothingOpen();
    }

    @Test
    void aStockBrokerAbortsTheBranchOfAGoneEngineAndRecoveryReportsAHeuristicRollback() throws Exception {
        Case c = new Case(stockCluster());
        try (Branch branch = new Branch(c, c.check())) {
            branch.sendAndPrepare();
            // The engine goes away (a graceful close leaves the prepared transaction to the broker), as in a crash.
            branch.closeEngine();
            c.awaitState(TransactionState.COMPLETE_ABORT, Duration.ofSeconds(60), true);

            XAException late = assertThrows(XAException.class, () -> branch.recoveryXa().commit(branch.xid, false));
            assertEquals(XAException.XA_HEURRB, late.errorCode, late.getMessage());
            assertEquals(1, branch.journal.size(), "kept until the transaction manager forgets the heuristic");
        }
        c.assertAbortedAndNothingOpen();
    }

    @Test
    void aTwoPhaseCommitBrokerKeepsAPreparedBranchPastTheTimeoutAndCommitsItOnce() throws Exception {
        Case c = new Case(twoPhaseCluster());
        TwoPhaseCommitProbe.Verdict verdict = c.check();
        assertTrue(verdict.twoPhaseCommit(), verdict.reason());

        try (Branch branch = new Branch(c, verdict)) {
            branch.sendAndPrepare();
            c.staysPreparedForThreeTimeouts();
            branch.xa().commit(branch.xid, false);
        }
        c.assertCommittedOnceAndNothingOpen();
    }

    @Test
    void aTwoPhaseCommitBrokerKeepsTheBranchOfAGoneEngineUntilRecoveryCommitsIt() throws Exception {
        Case c = new Case(twoPhaseCluster());
        try (Branch branch = new Branch(c, c.check())) {
            branch.sendAndPrepare();
            branch.closeEngine();
            c.staysPreparedForThreeTimeouts();
            branch.recoveryXa().commit(branch.xid, false);
            assertEquals(0, branch.journal.size(), "a completed branch leaves the journal");
        }
        c.assertCommittedOnceAndNothingOpen();
    }

    /** The broker's refusal as the check reads it: v6 offered (unstable versions on) but two-phase commit off. */
    @Test
    void aBrokerWithUnstableVersionsButWithoutTwoPhaseCommitRefusesEnable2Pc() throws Exception {
        try (KafkaCluster unstableOnly = KafkaCluster.builder()
                .brokerProperty("unstable.api.versions.enable", "true").start()) {
            TwoPhaseCommitProbe.Verdict verdict = new Case(unstableOnly).check();
            assertFalse(verdict.twoPhaseCommit(), verdict.reason());
            assertTrue(verdict.reason().contains("TRANSACTIONAL_ID_AUTHORIZATION_FAILED"), verdict.reason());
        }
    }

    private static synchronized KafkaCluster stockCluster() {
        if (stock == null) {
            stock = cluster(false);
        }
        return stock;
    }

    private static synchronized KafkaCluster twoPhaseCluster() {
        if (twoPhase == null) {
            twoPhase = cluster(true);
        }
        return twoPhase;
    }

    /** Both kinds cap transaction timeouts at 3 s and look for timed-out transactions every 500 ms. */
    private static KafkaCluster cluster(boolean twoPhaseCommit) {
        KafkaClusterBuilder builder = KafkaCluster.builder()
                .brokerProperty("transaction.max.timeout.ms", Integer.toString(TIMEOUT_MS))
                .brokerProperty("transaction.abort.timed.out.transaction.cleanup.interval.ms", "500");
        return (twoPhaseCommit ? builder.twoPhaseCommit() : builder).start();
    }

    /** One test's cluster, topic (one partition) and transactional ids (a pool of one). */
    private static final class Case {
        final KafkaCluster kafka;
        final String topic;
        final TransactionalIdPool pool;
        final String transactionalId;

        Case(KafkaCluster kafka) throws Exception {
            int n = CASES.incrementAndGet();
            this.kafka = kafka;
            this.topic = "twopc-orders-" + n;
            this.pool = TxAccess.pool("twopc" + n, "it", 1);
            this.transactionalId = TxAccess.ids(pool).get(0);
            try (Admin admin = admin()) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
        }

        /** The adapter's two-phase commit check, with a probe id of this case. */
        TwoPhaseCommitProbe.Verdict check() {
            try (TwoPhaseCommitProbe probe = TwoPhaseCommitProbe.open(connection(), Time.SYSTEM, 30_000)) {
                return probe.check(transactionalId.substring(0, transactionalId.lastIndexOf('-')) + "-2pc-check",
                        TIMEOUT_MS);
            }
        }

        Map<String, Object> connection() {
            Map<String, Object> settings = new HashMap<>(kafka.clientProperties());
            settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            return settings;
        }

        Admin admin() {
            return Admin.create(connection());
        }

        TransactionState state(Admin admin) throws Exception {
            return admin.describeTransactions(List.of(transactionalId)).description(transactionalId)
                    .get(30, TimeUnit.SECONDS).state();
        }

        /**
         * Polls the coordinator's view of the branch, paced by a read_committed reader's polls; with
         * {@code nothingVisible} that reader must see none of the branch's records meanwhile.
         */
        void awaitState(TransactionState expected, Duration bound, boolean nothingVisible) throws Exception {
            long deadline = System.nanoTime() + bound.toNanos();
            List<TransactionState> seen = new ArrayList<>();
            try (Admin admin = admin(); KafkaConsumer<String, String> reader = consumer("read_committed")) {
                reader.assign(List.of(new TopicPartition(topic, 0)));
                while (true) {
                    TransactionState state = state(admin);
                    if (seen.isEmpty() || seen.get(seen.size() - 1) != state) {
                        seen.add(state);
                    }
                    if (state == expected) {
                        return;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("Within " + bound + " transaction " + transactionalId
                                + " went through " + seen + ", never " + expected);
                    }
                    int visible = reader.poll(Duration.ofMillis(200)).count();
                    assertTrue(!nothingVisible || visible == 0, visible + " records visible while prepared or aborted");
                }
            }
        }

        /** Three timeouts (plus the broker's cleanup interval each): a stock broker would have aborted it. */
        void staysPreparedForThreeTimeouts() throws Exception {
            long until = System.nanoTime() + Duration.ofMillis(3L * (TIMEOUT_MS + 500)).toNanos();
            try (Admin admin = admin(); KafkaConsumer<String, String> reader = consumer("read_committed")) {
                reader.assign(List.of(new TopicPartition(topic, 0)));
                while (System.nanoTime() < until) {
                    assertEquals(TransactionState.ONGOING, state(admin), "still prepared at the broker");
                    assertEquals(0, reader.poll(Duration.ofMillis(500)).count(), "visible before the commit");
                }
            }
        }

        void assertAbortedAndNothingOpen() throws Exception {
            assertEquals(List.of(), valuesToEnd("read_committed"), "an aborted branch is invisible to read_committed");
            assertEquals(VALUES, valuesToEnd("read_uncommitted"), "the records were written, then aborted");
            assertNothingOpen();
        }

        void assertCommittedOnceAndNothingOpen() throws Exception {
            // The coordinator writes the commit markers after answering EndTxn.
            awaitState(TransactionState.COMPLETE_COMMIT, Duration.ofSeconds(30), false);
            assertEquals(VALUES, valuesToEnd("read_committed"), "visible exactly once after the commit");
            assertNothingOpen();
        }

        private void assertNothingOpen() throws Exception {
            try (Admin admin = admin()) {
                List<String> open = admin.listTransactions(new ListTransactionsOptions().filterStates(List.of(
                        TransactionState.ONGOING, TransactionState.PREPARE_ABORT, TransactionState.PREPARE_COMMIT)))
                        .all().get(30, TimeUnit.SECONDS).stream().map(TransactionListing::transactionalId)
                        .filter(transactionalId::equals).toList();
                assertEquals(List.of(), open, "nothing left open");
            }
        }

        /** The values of the topic's partition up to the offset the isolation level lets the reader see. */
        List<String> valuesToEnd(String isolation) {
            TopicPartition partition = new TopicPartition(topic, 0);
            try (KafkaConsumer<String, String> consumer = consumer(isolation)) {
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                long end = consumer.endOffsets(List.of(partition)).get(partition);
                List<String> values = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (consumer.position(partition) < end) {
                    assertTrue(System.nanoTime() < deadline, "a " + isolation + " reader did not reach offset " + end);
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        values.add(record.value());
                    }
                }
                return values;
            }
        }

        KafkaConsumer<String, String> consumer(String isolation) {
            Map<String, Object> settings = connection();
            settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
            settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            return new KafkaConsumer<>(settings);
        }
    }

    /**
     * One transactional engine with its sender loop on a test thread, its lease and one XA branch; and, as after a
     * crash, a recovery resource over the same journal that completes the branch without the engine.
     */
    private static final class Branch implements AutoCloseable {
        final Xid xid = TxAccess.xid(7, "modes-it".getBytes(StandardCharsets.UTF_8), new byte[] {1});
        final Map<BranchXid, PreparedBranch> journal = new LinkedHashMap<>();
        private final Case c;
        private final Thread senderLoop;
        private final BranchRecovery recovery;
        private final TransactionalEngineLease lease;

        Branch(Case c, TwoPhaseCommitProbe.Verdict verdict) {
            this.c = c;
            Map<String, Object> settings = c.connection();
            settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            settings.put(ProducerConfig.CLIENT_ID_CONFIG, c.transactionalId);
            settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, c.transactionalId);
            // As the adapter does (DefinitionTransactions): the check's verdict picks the engine's mode.
            if (verdict.twoPhaseCommit()) {
                settings.put(ProducerConfig.TRANSACTION_TWO_PHASE_COMMIT_ENABLE_CONFIG, true);
            } else {
                settings.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TIMEOUT_MS);
            }
            ProducerEngine engine = ProducerEngine.create(settings, getClass().getClassLoader());
            senderLoop = new Thread(engine.senderWork(), "kafka-ra-sender-" + c.transactionalId);
            senderLoop.start();
            recovery = TxAccess.recovery(new MapJournal(journal),
                    TxAccess.coordinatorCompleter(c.connection(), Duration.ofSeconds(30)), TxAccess.owns(c.pool));
            lease = TxAccess.lease(c.pool, recovery, c.kafka.bootstrapServers(), id -> engine,
                    new TransactionalEngineLease.Timing(TIMEOUT_MS / 1000, 30_000, System::currentTimeMillis),
                    id -> { });
        }

        XAResource xa() {
            return lease.xaResource();
        }

        /** What the transaction manager's recovery gets when no engine holds the branch. */
        XAResource recoveryXa() {
            return TxAccess.recoveryResource(recovery, c.kafka.bootstrapServers());
        }

        void sendAndPrepare() throws Exception {
            xa().start(xid, XAResource.TMNOFLAGS);
            for (String value : VALUES) {
                lease.engine().send(new ProducerRecord<>(c.topic, 0, "key", value), null);
            }
            xa().end(xid, XAResource.TMSUCCESS);
            assertEquals(XAResource.XA_OK, xa().prepare(xid));
            assertEquals(1, journal.size(), "prepare journals the branch");
        }

        /** Closes the engine (idempotent): its prepared branch is left to the broker, as after a crash. */
        void closeEngine() throws InterruptedException {
            TxAccess.close(lease, Duration.ofSeconds(10));
            senderLoop.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(senderLoop.isAlive(), "the sender loop ends when the engine closes");
        }

        @Override
        public void close() throws InterruptedException {
            closeEngine();
        }
    }

    private record MapJournal(Map<BranchXid, PreparedBranch> branches) implements BranchJournal {
        @Override
        public void record(PreparedBranch branch) {
            branches.put(branch.xid(), branch);
        }

        @Override
        public void remove(BranchXid xid) {
            branches.remove(xid);
        }

        @Override
        public Collection<PreparedBranch> inDoubt() {
            return new ArrayList<>(branches.values());
        }
    }
}
