package io.kafkara.it.tx.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.kafkara.it.Topics;
import io.kafkara.it.run.LocalWildFly;
import io.kafkara.it.tx.BranchJournalSetup;
import io.kafkara.it.tx.CommittedReader;

/**
 * Crash recovery in a real server, killed with SIGKILL from outside, with settings tuned for a fast test. A WildFly
 * of its own (the first free port offset from 300, node name {@code crash-node}, Narayana scanning every 5 s) runs
 * five JTA transactions at once, each stopped at its own point ({@link CrashScenarios}: prepared and undecided, decided, half committed, sending before any
 * prepare, and one released into its commit as the kill is sent); then the server JVM is killed and restarted on
 * the same base directory (same transaction log, same transactional ids) with crash-xa's
 * {@code transactionalIdPoolSize} lowered from 5 to 1, so its branches and open transaction sit on slots beyond the
 * new pool. Every Kafka transaction uses {@code transaction.timeout.ms} 300000, so only recovery, not the
 * broker's timeout, can end them within the test. Checked after the restart: what the transaction manager committed
 * is visible exactly once, everything else is invisible, read_committed readers reach the log end of every touched
 * partition, no transaction of the adapter's ids stays open, and every journaled branch ends with a tombstone.
 * Subclasses choose the brokers: a stock one ({@link TunedCrashRecoveryIT}) or one that keeps prepared transactions
 * ({@link TunedTwoPhaseCommitCrashRecoveryIT}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class KilledServerRecovery {

    private static final String EAR = CrashDeployment.EAR;
    /** crash-xa's transactionalIdPoolSize: 5 at the first boot, 1 at the restart. */
    private static final String POOL_SIZE_PROPERTY = "crash.xa.pool.size";
    private static final List<String> PREFIXES = List.of("crash-xa-", "crash-xb-");
    private static final Duration RECOVERY = Duration.ofSeconds(150);

    /** Starts (or finds) the brokers of this run; called first. */
    protected abstract String startBrokers() throws Exception;

    /** Stops what {@link #startBrokers()} started; called last. */
    protected abstract void stopBrokers();

    /** Config properties both XA definitions get on top of the common ones (the broker mode). */
    protected abstract String modeProperties();

    /** The code of the line the adapter logs for each XA definition when it decides the broker mode. */
    protected abstract String decisionLine();

    /** This run's working directory name under the build directory (server base dir, gates, the EAR). */
    protected abstract String workName();

    private String definitions() {
        // crash-xa's id pool is an expression: the restart lowers it, so its branches sit on slots beyond the pool.
        return definition("CrashXA", "crash-xa", "${" + POOL_SIZE_PROPERTY + ":5}", 5)
                + definition("CrashXB", "crash-xb", "3", 3);
    }

    private String definition(String name, String prefix, String poolSize, int maxPoolSize) {
        return new XaDefinitionXml(name, prefix, BranchJournalSetup.TOPIC, maxPoolSize)
                .property("transactionalIdNode", "crash-node")
                .property("transactionalIdPoolSize", poolSize)
                .property("transactionTimeoutMs", "300000")
                .withXml(modeProperties())
                .xml();
    }

    private String bootstrap;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final Durations durations = new Durations();
    private LocalWildFly server;
    private BrokerView broker;
    private long journalStart;
    private Map<String, TransactionState> openAtCrash;
    private String sendingId;
    private boolean racingVisibleAtCrash;

    private String topic(String scenario) {
        return "crash-" + run + "-" + scenario;
    }

    @BeforeAll
    void crashAndRestart() throws Exception {
        bootstrap = startBrokers();
        broker = new BrokerView(bootstrap);
        for (String topic : List.of(topic(CrashScenarios.UNDECIDED), topic(CrashScenarios.DECIDED),
                topic(CrashScenarios.COMMITTING) + "-1", topic(CrashScenarios.COMMITTING) + "-2",
                topic(CrashScenarios.SENDING), topic(CrashScenarios.RACING))) {
            Topics.create(bootstrap, topic, 1);
        }
        BranchJournalSetup.createJournal(bootstrap);
        journalStart = broker.logEnd(BranchJournalSetup.TOPIC);

        Path work = CrashDeployment.workDirectory(workName());
        Path gates = work.resolve("gates-" + run);
        Path ear = CrashDeployment.export(work, definitions());
        server = LocalWildFly.prepare(Path.of(System.getProperty("jboss.home")), work.resolve("wildfly"),
                LocalWildFly.freePortOffset(300));
        server.deploy(ear);
        durations.timed("first boot", () -> startAndAwaitDeployed(Map.of()));

        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        List<FileGate> gatesToReach = new ArrayList<>();
        for (String scenario : List.of(CrashScenarios.UNDECIDED, CrashScenarios.DECIDED, CrashScenarios.COMMITTING,
                CrashScenarios.SENDING, CrashScenarios.RACING)) {
            calls.add(GatedCalls.scenario(server.httpPort(), scenario, topic(scenario), gates, null));
            gatesToReach.add(new FileGate(gates, scenario));
        }
        durations.timed("scenarios reach their gates",
                () -> GatedCalls.awaitGates(gatesToReach, calls, Duration.ofMinutes(2)));
        assertStateAtCrash();

        durations.timed("release racing, kill -9", () -> {
            new FileGate(gates, CrashScenarios.RACING).release();
            server.kill();
        });
        racingVisibleAtCrash = broker.lastStable(topic(CrashScenarios.RACING)) > 0;
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            assertTrue(GatedCalls.failedWithoutAnswer(call), "the server answered instead of dying: " + call);
        }
        // crash-xa held four transactions at once, so at least three of them sit beyond the restarted pool's slot 0.
        durations.timed("restart with crash-xa's id pool lowered to 1", () -> server.restart(EAR,
                systemProperties(Map.of(POOL_SIZE_PROPERTY, "1")), Duration.ofMinutes(2)));
    }

    /** Before the kill: every scenario stopped where it should, as the broker and the journal show. */
    private void assertStateAtCrash() throws Exception {
        openAtCrash = openOnceSettled();
        assertEquals(5, openAtCrash.size(), "undecided, decided, the second branch of committing, sending and racing "
                + "are open; the first branch of committing is committed: " + openAtCrash);
        for (String id : openAtCrash.keySet()) {
            if (broker.topicOf(id).equals(topic(CrashScenarios.SENDING))) {
                sendingId = id;
            }
        }
        assertTrue(sendingId != null, "the sending scenario's transaction is open: " + openAtCrash);
        assertTrue(openAtCrash.keySet().stream().anyMatch(id -> id.startsWith("crash-xa-") && !id.endsWith("-0")),
                "crash-xa has open transactions beyond slot 0, the only slot after the restart: " + openAtCrash);
        assertEquals(List.of("committing/1", "committing/2", "committing/3"),
                broker.committedToLogEnd(topic(CrashScenarios.COMMITTING) + "-1", Duration.ofSeconds(30)),
                "the branch before the blocking resource in commit order is committed");
        for (String topic : List.of(topic(CrashScenarios.UNDECIDED), topic(CrashScenarios.DECIDED),
                topic(CrashScenarios.COMMITTING) + "-2", topic(CrashScenarios.SENDING),
                topic(CrashScenarios.RACING))) {
            assertEquals(3, broker.logEnd(topic), topic + ": the three records are in the log");
            assertEquals(0, broker.lastStable(topic), topic + ": invisible to read_committed readers");
        }
        List<ConsumerRecord<byte[], byte[]>> journal = journalOfThisRun();
        assertEquals(6, journal.size(), "five prepared branches journaled, the committed one removed again: "
                + describe(journal));
    }

    /**
     * The open transactions once none is between its commit or abort and its markers: EndTxn answers when the
     * coordinator logged PrepareCommit, so the branch the committing scenario committed can still show it briefly.
     */
    private Map<String, TransactionState> openOnceSettled() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<String, TransactionState> open = broker.openTransactions(PREFIXES);
        while (open.containsValue(TransactionState.PREPARE_COMMIT)
                || open.containsValue(TransactionState.PREPARE_ABORT)) {
            assertTrue(System.nanoTime() < deadline, "transactions still completing after 30 s: " + open);
            TimeUnit.MILLISECONDS.sleep(100);
            open = broker.openTransactions(PREFIXES);
        }
        return open;
    }

    @Test
    void aBranchPreparedWithoutADecisionIsRolledBack() throws Exception {
        assertEquals(List.of(), broker.committedToLogEnd(topic(CrashScenarios.UNDECIDED), RECOVERY),
                "presumed abort: the transaction manager never decided, so recovery rolled the branch back");
    }

    @Test
    void aBranchPreparedAfterTheDecisionIsCommittedExactlyOnce() throws Exception {
        assertEquals(List.of("decided/1", "decided/2", "decided/3"),
                broker.committedToLogEnd(topic(CrashScenarios.DECIDED), RECOVERY));
    }

    @Test
    void bothBranchesOfATransactionKilledMidCommitAreCommittedExactlyOnce() throws Exception {
        List<String> values = List.of("committing/1", "committing/2", "committing/3");
        assertEquals(values, broker.committedToLogEnd(topic(CrashScenarios.COMMITTING) + "-2", RECOVERY),
                "the branch still prepared at the crash is committed by recovery");
        assertEquals(values, broker.committedToLogEnd(topic(CrashScenarios.COMMITTING) + "-1", RECOVERY),
                "the branch committed before the crash is not committed twice");
    }

    @Test
    void aBranchWhoseCommitRacedTheKillIsCommittedExactlyOnce() throws Exception {
        assertEquals(List.of("racing/1", "racing/2", "racing/3"),
                broker.committedToLogEnd(topic(CrashScenarios.RACING), RECOVERY),
                "committed " + (racingVisibleAtCrash ? "before the kill, not again by recovery" : "by recovery"));
    }

    @Test
    void anOpenTransactionNothingPreparedIsAbortedByTheAdapterAtStart() throws Exception {
        assertEquals(List.of(), broker.committedToLogEnd(topic(CrashScenarios.SENDING), RECOVERY),
                "no transaction manager knows it; the adapter aborted it (not the broker: timeout 300 s)");
        String log = Files.readString(server.logFile());
        assertTrue(log.contains("KAFKARA-TX-020") && log.contains(sendingId), "the adapter says it aborted "
                + sendingId);
    }

    @Test
    void noTransactionOfTheAdapterStaysOpen() throws Exception {
        long deadline = System.nanoTime() + RECOVERY.toNanos();
        Map<String, TransactionState> open = broker.openTransactions(PREFIXES);
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(500);
            open = broker.openTransactions(PREFIXES);
        }
        assertEquals(Map.of(), open, "open at the crash were " + openAtCrash);
    }

    @Test
    void everyJournaledBranchEndsWithATombstone() throws Exception {
        long deadline = System.nanoTime() + RECOVERY.toNanos();
        Map<String, byte[]> last = lastValueByKey(journalOfThisRun());
        while (last.values().stream().anyMatch(value -> value != null) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(500);
            last = lastValueByKey(journalOfThisRun());
        }
        assertEquals(5, last.size(), "undecided, decided, racing and both branches of committing were journaled");
        for (Map.Entry<String, byte[]> entry : last.entrySet()) {
            assertNull(entry.getValue(), "branch " + entry.getKey() + " was completed and removed");
        }
    }

    @Test
    void theAdapterSaidWhichBrokerModeItUses() throws Exception {
        List<String> log = Files.readAllLines(server.logFile());
        for (String prefix : List.of("crash-xa", "crash-xb")) {
            String expected = decisionLine() + ": XA definition transactionalIdPrefix=" + prefix + ":";
            assertTrue(log.stream().anyMatch(line -> line.contains(expected)), "no line with " + expected);
        }
    }

    @AfterAll
    void stopServer() {
        if (broker != null) {
            broker.close();
        }
        if (server != null) {
            server.stop();
        }
        stopBrokers();
        System.out.println(getClass().getSimpleName() + " durations: " + durations + "; the racing commit had "
                + (racingVisibleAtCrash ? "" : "not ") + "reached the broker when the server died");
    }

    private void startAndAwaitDeployed(Map<String, String> more) throws Exception {
        server.start(systemProperties(more));
        server.awaitDeployed(EAR, Duration.ofMinutes(2));
    }

    private Map<String, String> systemProperties(Map<String, String> more) {
        Map<String, String> properties = new LinkedHashMap<>(Map.of("kafka.bootstrap.servers", bootstrap,
                "jboss.node.name", "crash-node",
                "RecoveryEnvironmentBean.periodicRecoveryPeriod", "5",
                "RecoveryEnvironmentBean.recoveryBackoffPeriod", "1"));
        properties.putAll(more);
        return properties;
    }

    private List<ConsumerRecord<byte[], byte[]>> journalOfThisRun() {
        return CommittedReader.journal(bootstrap, BranchJournalSetup.TOPIC).stream()
                .filter(record -> record.offset() >= journalStart).toList();
    }

    private static Map<String, byte[]> lastValueByKey(List<ConsumerRecord<byte[], byte[]>> journal) {
        Map<String, byte[]> last = new LinkedHashMap<>();
        journal.forEach(record -> last.put(new String(record.key(), StandardCharsets.ISO_8859_1),
                record.value()));
        return last;
    }

    private static String describe(List<ConsumerRecord<byte[], byte[]>> journal) {
        return journal.stream().map(record -> record.offset() + (record.value() == null ? ":tombstone" : ":branch"))
                .collect(Collectors.joining(", "));
    }

}
