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
import org.junit.jupiter.api.Test;

import io.kafkara.engine.ProducerEngine;
import io.kafkara.engine.kafka.TwoPhaseCommitProbe;
import io.kafkara.it.broker.KafkaCluster;
import io.kafkara.tx.BranchJournal;
import io.kafkara.tx.BranchRecovery;
import io.kafkara.tx.BranchXid;
import io.kafkara.tx.CoordinatorBranchCompleter;
import io.kafkara.tx.PreparedBranch;
import io.kafkara.tx.TransactionalEngineLease;
import io.kafkara.tx.TransactionalIdPool;

/**
 * XA with Kafka 4.3.1 in both broker modes, against real broker processes and without WildFly: the adapter's
 * two-phase commit check, a transactional engine (its sender loop on a test thread) and its KafkaXAResource. Both
 * brokers cap transaction.max.timeout.ms at 3 s and look for timed-out transactions every 500 ms.
 *
 * <ul>
 * <li>Stock broker: the check says stock; a branch prepared with transaction.timeout.ms=3000 is aborted by the
 * broker; the commit after that is XA_HEURRB, the records stay invisible to read_committed, nothing stays open.</li>
 * <li>Two-phase commit broker: the check says enabled; a prepared branch is still open three timeouts later and
 * its commit makes the records visible exactly once.</li>
 * </ul>
 */
class TwoPhaseCommitModesIT {

    private static final int TIMEOUT_MS = 3_000;
    private static final String TOPIC = "twopc-orders";
    private static final TransactionalIdPool POOL = new TransactionalIdPool("twopc", "it", 1);
    private static final String TX_ID = "twopc-it-0";
    private static final String PROBE_ID = "twopc-it-2pc-check";
    private static final List<String> VALUES = List.of("order-1", "order-2", "order-3");

    @Test
    void aStockBrokerAbortsAPreparedBranchAfterTheTimeoutAndTheLateCommitIsAHeuristicRollback() throws Exception {
        try (KafkaCluster kafka = cluster(false); Admin admin = admin(kafka)) {
            TwoPhaseCommitProbe.Verdict verdict = check(kafka);
            assertFalse(verdict.twoPhaseCommit(), verdict.reason());
            assertTrue(verdict.reason().contains("unstable.api.versions.enable"), verdict.reason());

            try (Branch branch = new Branch(kafka, verdict)) {
                branch.sendAndPrepare();
                long preparedAt = System.nanoTime();
                awaitState(kafka, admin, TransactionState.COMPLETE_ABORT, Duration.ofSeconds(60), true);
                long abortedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - preparedAt);

                XAException late = assertThrows(XAException.class, () -> branch.xa().commit(branch.xid, false));
                assertEquals(XAException.XA_HEURRB, late.errorCode, late.getMessage());
                System.out.printf("stock broker: prepared branch aborted by the broker %d ms after prepare "
                        + "(transaction.timeout.ms=%d)%n", abortedAfterMs, TIMEOUT_MS);
            }
            assertEquals(List.of(), committedValues(kafka), "an aborted branch is invisible to read_committed");
            assertEquals(VALUES, uncommittedValues(kafka), "the records were written, then aborted");
            assertEquals(List.of(), openTransactions(admin), "nothing left open");
        }
    }

    @Test
    void aTwoPhaseCommitBrokerKeepsAPreparedBranchPastTheTimeoutAndCommitsItOnce() throws Exception {
        try (KafkaCluster kafka = cluster(true); Admin admin = admin(kafka)) {
            TwoPhaseCommitProbe.Verdict verdict = check(kafka);
            assertTrue(verdict.twoPhaseCommit(), verdict.reason());

            try (Branch branch = new Branch(kafka, verdict)) {
                branch.sendAndPrepare();
                // Three timeouts (plus the broker's cleanup interval each): a stock broker would have aborted it.
                long until = System.nanoTime() + Duration.ofMillis(3L * (TIMEOUT_MS + 500)).toNanos();
                try (KafkaConsumer<String, String> reader = consumer(kafka, "read_committed")) {
                    reader.assign(List.of(new TopicPartition(TOPIC, 0)));
                    while (System.nanoTime() < until) {
                        assertEquals(TransactionState.ONGOING, state(admin), "still prepared at the broker");
                        reader.poll(Duration.ofMillis(500)).forEach(r -> {
                            throw new AssertionError("visible before commit: " + r.value());
                        });
                    }
                }
                branch.xa().commit(branch.xid, false);
            }
            // The coordinator writes the commit markers after answering EndTxn.
            awaitState(kafka, admin, TransactionState.COMPLETE_COMMIT, Duration.ofSeconds(30), false);
            assertEquals(VALUES, committedValues(kafka), "visible exactly once after the commit");
            assertEquals(List.of(), openTransactions(admin), "nothing left open");
        }
    }

    /** One transactional engine with its sender loop on a test thread, its lease, and one XA branch. */
    private static final class Branch implements AutoCloseable {
        final Xid xid = BranchXid.of(7, "modes-it".getBytes(StandardCharsets.UTF_8), new byte[] {1});
        private final Map<BranchXid, PreparedBranch> journal = new LinkedHashMap<>();
        private final Thread senderLoop;
        private final TransactionalEngineLease lease;

        Branch(KafkaCluster kafka, TwoPhaseCommitProbe.Verdict verdict) {
            Map<String, Object> settings = new HashMap<>(connection(kafka));
            settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            settings.put(ProducerConfig.CLIENT_ID_CONFIG, "twopc-it");
            settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TX_ID);
            // As the adapter does (DefinitionTransactions): the check's verdict picks the engine's mode.
            if (verdict.twoPhaseCommit()) {
                settings.put(ProducerConfig.TRANSACTION_TWO_PHASE_COMMIT_ENABLE_CONFIG, true);
            } else {
                settings.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TIMEOUT_MS);
            }
            ProducerEngine engine = ProducerEngine.create(settings, getClass().getClassLoader());
            senderLoop = new Thread(engine.senderWork(), "kafka-ra-sender-twopc-it");
            senderLoop.start();
            BranchRecovery recovery = new BranchRecovery(new MapJournal(journal),
                    new CoordinatorBranchCompleter(connection(kafka), Duration.ofSeconds(30)), POOL::owns);
            lease = TransactionalEngineLease.open(POOL, recovery, kafka.bootstrapServers(), id -> engine,
                    TIMEOUT_MS / 1000, System::currentTimeMillis);
        }

        XAResource xa() {
            return lease.xaResource();
        }

        void sendAndPrepare() throws Exception {
            xa().start(xid, XAResource.TMNOFLAGS);
            for (String value : VALUES) {
                lease.engine().send(new ProducerRecord<>(TOPIC, 0, "key", value), null);
            }
            xa().end(xid, XAResource.TMSUCCESS);
            assertEquals(XAResource.XA_OK, xa().prepare(xid));
            assertEquals(1, journal.size(), "prepare journals the branch");
        }

        @Override
        public void close() throws InterruptedException {
            lease.close(Duration.ofSeconds(10));
            senderLoop.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(senderLoop.isAlive(), "the sender loop ends when the engine closes");
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

    private static KafkaCluster cluster(boolean twoPhaseCommit) throws Exception {
        var builder = KafkaCluster.builder()
                .brokerProperty("transaction.max.timeout.ms", Integer.toString(TIMEOUT_MS))
                .brokerProperty("transaction.abort.timed.out.transaction.cleanup.interval.ms", "500");
        KafkaCluster kafka = (twoPhaseCommit ? builder.twoPhaseCommit() : builder).start();
        try (Admin admin = admin(kafka)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        return kafka;
    }

    private static TwoPhaseCommitProbe.Verdict check(KafkaCluster kafka) {
        try (TwoPhaseCommitProbe probe = TwoPhaseCommitProbe.open(connection(kafka), Time.SYSTEM, 30_000)) {
            return probe.check(PROBE_ID, TIMEOUT_MS);
        }
    }

    private static Map<String, Object> connection(KafkaCluster kafka) {
        Map<String, Object> settings = new HashMap<>(kafka.clientProperties());
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return settings;
    }

    private static Admin admin(KafkaCluster kafka) {
        return Admin.create(connection(kafka));
    }

    private static TransactionState state(Admin admin) throws Exception {
        return admin.describeTransactions(List.of(TX_ID)).description(TX_ID).get(30, TimeUnit.SECONDS).state();
    }

    /**
     * Polls the coordinator's view of the branch, paced by a read_committed reader's polls; with
     * {@code nothingVisible} that reader must see none of the branch's records meanwhile.
     */
    private static void awaitState(KafkaCluster kafka, Admin admin, TransactionState expected, Duration bound,
                                   boolean nothingVisible) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        List<TransactionState> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> reader = consumer(kafka, "read_committed")) {
            reader.assign(List.of(new TopicPartition(TOPIC, 0)));
            while (true) {
                TransactionState state = state(admin);
                if (seen.isEmpty() || seen.get(seen.size() - 1) != state) {
                    seen.add(state);
                }
                if (state == expected) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Within " + bound + " transaction " + TX_ID + " went through " + seen
                            + ", never " + expected);
                }
                int visible = reader.poll(Duration.ofMillis(200)).count();
                assertTrue(!nothingVisible || visible == 0, visible + " records visible while prepared or aborted");
            }
        }
    }

    private static List<TransactionListing> openTransactions(Admin admin) throws Exception {
        return new ArrayList<>(admin.listTransactions(new ListTransactionsOptions().filterStates(List.of(
                TransactionState.ONGOING, TransactionState.PREPARE_ABORT, TransactionState.PREPARE_COMMIT)))
                .all().get(30, TimeUnit.SECONDS));
    }

    private static List<String> committedValues(KafkaCluster kafka) {
        return valuesToEnd(kafka, "read_committed");
    }

    private static List<String> uncommittedValues(KafkaCluster kafka) {
        return valuesToEnd(kafka, "read_uncommitted");
    }

    /** The values of the topic's partition up to the offset the isolation level lets the reader see. */
    private static List<String> valuesToEnd(KafkaCluster kafka, String isolation) {
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        try (KafkaConsumer<String, String> consumer = consumer(kafka, isolation)) {
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

    private static KafkaConsumer<String, String> consumer(KafkaCluster kafka, String isolation) {
        Map<String, Object> settings = connection(kafka);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(settings);
    }
}
