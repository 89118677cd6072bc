package io.kafkara.it.tx.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.kafkara.it.SampleDeployment;
import io.kafkara.it.Topics;
import io.kafkara.it.run.LocalWildFly;
import io.kafkara.it.tx.BranchJournalSetup;
import io.kafkara.it.tx.CommittedReader;
import io.kafkara.it.tx.NoOpXAResource;

/**
 * Crash recovery in a real server, killed with SIGKILL from outside. A WildFly of its own (port offset of the run +
 * 100, node name {@code crash-node}, Narayana scanning every 5 s) runs five JTA transactions at once, each stopped
 * at its own point ({@link CrashScenarios}: prepared and undecided, decided, half committed, sending before any
 * prepare, and one released into its commit as the kill is sent); then the server JVM is killed and restarted on
 * the same base directory (same transaction log, same transactional ids). Every Kafka transaction uses {@code transaction.timeout.ms} 300000, so only recovery, not the
 * broker's timeout, can end them within the test. Checked after the restart: what the transaction manager committed
 * is visible exactly once, everything else is invisible, read_committed readers reach the log end of every touched
 * partition, no transaction of the adapter's ids stays open, and every journaled branch ends with a tombstone.
 * Subclasses choose the brokers: a stock one ({@link CrashRecoveryIT}) or one that keeps prepared transactions
 * ({@link TwoPhaseCommitCrashRecoveryIT}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class KilledServerRecovery {

    private static final String EAR = "kafka-ra-sample.ear";
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
        return definition("CrashXA", "crash-xa", 5) + definition("CrashXB", "crash-xb", 3);
    }

    private String definition(String name, String prefix, int poolSize) {
        return """
                <connection-definition class-name="io.kafkara.spi.KafkaManagedConnectionFactory"
                                       jndi-name="java:/kafka/%1$s" pool-name="Kafka%1$s">
                  <config-property name="bootstrapServers">${kafka.bootstrap.servers}</config-property>
                  <config-property name="keySerializer">org.apache.kafka.common.serialization.StringSerializer</config-property>
                  <config-property name="valueSerializer">org.apache.kafka.common.serialization.StringSerializer</config-property>
                  <config-property name="clientIdPrefix">%2$s</config-property>
                  <config-property name="transactionSupportLevel">XATransaction</config-property>
                  <config-property name="transactionalIdPrefix">%2$s</config-property>
                  <config-property name="transactionalIdNode">crash-node</config-property>
                  <config-property name="transactionalIdPoolSize">%3$d</config-property>
                  <config-property name="branchJournalTopic">kafka-ra-branches</config-property>
                  <config-property name="transactionTimeoutMs">300000</config-property>
                  %4$s
                  <xa-pool><max-pool-size>%3$d</max-pool-size></xa-pool>
                  <recovery><recover-credential><user-name>recovery</user-name><password>recovery</password></recover-credential></recovery>
                </connection-definition>
                """.formatted(name, prefix, poolSize, modeProperties());
    }

    private String bootstrap;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, Long> durations = new LinkedHashMap<>();
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

        Path work = Path.of(System.getProperty("kafka.test.work.dir", "target/kafka")).getParent().resolve(workName());
        Path gates = work.resolve("gates-" + run);
        Files.createDirectories(work);
        Path ear = work.resolve(EAR);
        crashDeployment().as(ZipExporter.class).exportTo(ear.toFile(), true);
        int offset = Integer.parseInt(System.getProperty("wildfly.port.offset")) + 100;
        server = LocalWildFly.prepare(Path.of(System.getProperty("jboss.home")), work.resolve("wildfly"), offset);
        server.deploy(ear);
        timed("first boot", () -> startAndAwaitDeployed(work));

        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        List<FileGate> gatesToReach = new ArrayList<>();
        for (String scenario : List.of(CrashScenarios.UNDECIDED, CrashScenarios.DECIDED, CrashScenarios.COMMITTING,
                CrashScenarios.SENDING, CrashScenarios.RACING)) {
            calls.add(call(8080 + offset, scenario, gates));
            gatesToReach.add(new FileGate(gates, scenario));
        }
        timed("scenarios reach their gates", () -> awaitGates(gatesToReach, calls));
        assertStateAtCrash();

        timed("release racing, kill -9", () -> {
            new FileGate(gates, CrashScenarios.RACING).release();
            server.kill();
        });
        racingVisibleAtCrash = broker.lastStable(topic(CrashScenarios.RACING)) > 0;
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            assertTrue(failedWithoutAnswer(call), "the server answered instead of dying: " + call);
        }
        timed("restart", () -> {
            Files.deleteIfExists(work.resolve("wildfly/deployments/" + EAR + ".deployed"));
            startAndAwaitDeployed(work);
        });
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
        System.out.println(getClass().getSimpleName() + " durations (ms): " + durations + "; the racing commit had "
                + (racingVisibleAtCrash ? "" : "not ") + "reached the broker when the server died");
    }

    private EnterpriseArchive crashDeployment() {
        EnterpriseArchive ear = SampleDeployment.withExtraDefinitions(definitions());
        return ear.addAsModule(ShrinkWrap.create(WebArchive.class, "crash.war")
                .addClasses(CrashServlet.class, CrashScenarios.class, BlockingResource.class,
                        BlockingResource.Phase.class, FileGate.class, NoOpXAResource.class));
    }

    private void startAndAwaitDeployed(Path work) throws Exception {
        server.start(Map.of("kafka.bootstrap.servers", bootstrap, "jboss.node.name", "crash-node",
                "RecoveryEnvironmentBean.periodicRecoveryPeriod", "5",
                "RecoveryEnvironmentBean.recoveryBackoffPeriod", "1"));
        server.awaitDeployed(EAR, Duration.ofMinutes(2));
    }

    private CompletableFuture<HttpResponse<String>> call(int httpPort, String scenario, Path gates) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                + "/crash/crash?scenario=" + scenario + "&topic=" + topic(scenario) + "&gates="
                + gates.toAbsolutePath())).timeout(Duration.ofMinutes(4)).build();
        return HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitGates(List<FileGate> gates, List<CompletableFuture<HttpResponse<String>>> calls)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!gates.stream().allMatch(FileGate::isReached)) {
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                if (call.isDone()) {
                    throw new AssertionError("A scenario ended before its gate: " + answer(call));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Within 2 min only these gates were reached: " + gates.stream()
                        .filter(FileGate::isReached).toList());
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private static boolean failedWithoutAnswer(CompletableFuture<HttpResponse<String>> call)
            throws InterruptedException {
        try {
            call.get(60, TimeUnit.SECONDS);
            return false;
        } catch (ExecutionException e) {
            return e.getCause() instanceof IOException;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("A request to the killed server neither failed nor was answered in 60 s", e);
        }
    }

    private static String answer(CompletableFuture<HttpResponse<String>> call) {
        try {
            HttpResponse<String> response = call.get();
            return response.statusCode() + " " + response.body();
        } catch (InterruptedException | ExecutionException e) {
            return e.toString();
        }
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

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private void timed(String what, Step step) throws Exception {
        long start = System.nanoTime();
        step.run();
        durations.put(what, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }
}
