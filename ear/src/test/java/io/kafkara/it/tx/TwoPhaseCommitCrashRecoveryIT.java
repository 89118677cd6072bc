package io.kafkara.it.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.kafkara.it.SampleDeployment;
import io.kafkara.it.Topics;
import io.kafkara.it.broker.KafkaCluster;
import io.kafkara.it.run.LocalWildFly;

/**
 * Crash recovery in two-phase commit mode, in a real server: a broker with transaction.two.phase.commit.enable and
 * unstable.api.versions.enable (and transaction.max.timeout.ms=3000, so any stock transaction would be aborted within
 * about 3.5 s); a WildFly of its own (port offset of the run + 100) whose XA definition sets transactionTimeoutMs=3000.
 * The crash test's servlet and halting resource ({@code io.kafkara.it.tx.crash}) halt the server after the adapter
 * prepared the branch. The branch then stays prepared at the broker while the server is down for three timeouts,
 * and after a restart Narayana's recovery commits it through the adapter: visible exactly once.
 */
class TwoPhaseCommitCrashRecoveryIT {

    private static final String EAR = "kafka-ra-sample.ear";
    private static final int TIMEOUT_MS = 3_000;
    private static final String PREFIX = "twopc-crash";
    private static final String NODE = "crash-node";
    private static final String TRANSACTIONAL_ID = PREFIX + "-" + NODE + "-0";
    private static final String DEFINITION = """
            <connection-definition class-name="io.kafkara.spi.KafkaManagedConnectionFactory"
                                   jndi-name="java:/kafka/CrashXA" pool-name="KafkaTwoPhaseCrashXA">
              <config-property name="bootstrapServers">${kafka.bootstrap.servers}</config-property>
              <config-property name="keySerializer">org.apache.kafka.common.serialization.StringSerializer</config-property>
              <config-property name="valueSerializer">org.apache.kafka.common.serialization.StringSerializer</config-property>
              <config-property name="clientIdPrefix">twopc-crash</config-property>
              <config-property name="transactionSupportLevel">XATransaction</config-property>
              <config-property name="transactionalIdPrefix">twopc-crash</config-property>
              <config-property name="transactionalIdNode">crash-node</config-property>
              <config-property name="branchJournalTopic">kafka-ra-branches</config-property>
              <config-property name="transactionTimeoutMs">3000</config-property>
              <config-property name="twoPhaseCommitMode">required</config-property>
              <xa-pool><max-pool-size>1</max-pool-size></xa-pool>
              <recovery><recover-credential><user-name>recovery</user-name><password>recovery</password></recover-credential></recovery>
            </connection-definition>
            """;

    private KafkaCluster kafka;
    private LocalWildFly server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aBranchPreparedBeforeTheServerDiedOutlivesTheTimeoutAndIsCommittedOnceAfterRestart() throws Exception {
        kafka = KafkaCluster.builder().twoPhaseCommit()
                .brokerProperty("transaction.max.timeout.ms", Integer.toString(TIMEOUT_MS))
                .brokerProperty("transaction.abort.timed.out.transaction.cleanup.interval.ms", "500")
                .start();
        String bootstrap = kafka.bootstrapServers();
        String topic = "twopc-crash-" + UUID.randomUUID();
        String order = "order-" + UUID.randomUUID();
        Topics.create(bootstrap, topic, 1);
        BranchJournalSetup.createJournal(bootstrap);
        Path work = Path.of(System.getProperty("kafka.test.work.dir", "target/kafka")).getParent()
                .resolve("twopc-crash");
        Files.createDirectories(work);
        Path ear = work.resolve(EAR);
        deployment().as(ZipExporter.class).exportTo(ear.toFile(), true);
        int offset = Integer.parseInt(System.getProperty("wildfly.port.offset")) + 100;
        Map<String, String> properties = Map.of("kafka.bootstrap.servers", bootstrap, "jboss.node.name", NODE,
                "RecoveryEnvironmentBean.periodicRecoveryPeriod", "5",
                "RecoveryEnvironmentBean.recoveryBackoffPeriod", "1");

        server = LocalWildFly.prepare(Path.of(System.getProperty("jboss.home")), work.resolve("wildfly"), offset);
        server.deploy(ear);
        server.start(properties);
        server.awaitDeployed(EAR, Duration.ofMinutes(2));
        int journalBefore = CommittedReader.journal(bootstrap, BranchJournalSetup.TOPIC).size();

        crashDuringCommit(8080 + offset, topic, order);
        List<String> decisions = Files.readAllLines(server.logFile()).stream()
                .filter(line -> line.contains("KAFKARA-TX-02")).toList();
        assertEquals(1, decisions.size(), "one decision line: " + decisions);
        assertTrue(decisions.get(0).contains("transactionalIdPrefix=" + PREFIX + ": two-phase commit enabled on the "
                + "cluster: prepared branches do not expire"), decisions.get(0));
        assertEquals(journalBefore + 1, CommittedReader.journal(bootstrap, BranchJournalSetup.TOPIC).size(),
                "the prepared branch is journaled");

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
             KafkaConsumer<String, String> reader = committedReader(bootstrap, topic)) {
            // Down for three timeouts (plus the broker's 500 ms check each): a stock broker would have aborted it.
            long until = System.nanoTime() + Duration.ofMillis(3L * (TIMEOUT_MS + 500)).toNanos();
            boolean serverDown = false;
            while (System.nanoTime() < until || !serverDown) {
                serverDown = !server.isRunning();
                assertTrue(System.nanoTime() < until + Duration.ofSeconds(60).toNanos(), "the server did not die");
                assertEquals(TransactionState.ONGOING, admin.describeTransactions(List.of(TRANSACTIONAL_ID))
                        .description(TRANSACTIONAL_ID).get(30, TimeUnit.SECONDS).state(), "still prepared");
                assertEquals(0, reader.poll(Duration.ofMillis(500)).count(), "prepared, not committed: invisible");
            }
        }

        Files.deleteIfExists(work.resolve("wildfly/deployments/" + EAR + ".deployed"));
        server.start(properties);
        server.awaitDeployed(EAR, Duration.ofMinutes(2));

        List<String> expected = List.of(order + "/1", order + "/2", order + "/3");
        List<String> committed = CommittedReader.readUntil(bootstrap, topic, read -> read.size() >= 3).stream()
                .map(ConsumerRecord::value).toList();
        assertEquals(expected, committed, "committed by recovery");
        awaitTombstone(bootstrap, journalBefore + 2);
        assertEquals(expected, CommittedReader.readUntil(bootstrap, topic, read -> read.size() >= 3).stream()
                .map(ConsumerRecord::value).toList(), "still exactly three records");
    }

    /** The sample EAR with the definition above and the crash test's servlet and halting resource. */
    private static EnterpriseArchive deployment() {
        EnterpriseArchive ear = SampleDeployment.withExtraDefinitions(DEFINITION);
        return ear.addAsModule(ShrinkWrap.create(WebArchive.class, "crash.war")
                .addClass("io.kafkara.it.tx.crash.CrashServlet")
                .addClass("io.kafkara.it.tx.crash.HaltingResource"));
    }

    private static void crashDuringCommit(int httpPort, String topic, String order) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                + "/crash/crash?topic=" + topic + "&order=" + order)).timeout(Duration.ofSeconds(90)).build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request,
                    HttpResponse.BodyHandlers.ofString());
            throw new AssertionError("The server answered instead of dying: " + response.statusCode() + " "
                    + response.body());
        } catch (IOException expected) {
            // The server halted while committing: the connection was cut.
        }
    }

    private static KafkaConsumer<String, String> committedReader(String bootstrap, String topic) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
        consumer.assign(List.of(new TopicPartition(topic, 0)));
        return consumer;
    }

    /** Recovery ends with the branch's tombstone in the journal; polled with a bound (the journal read paces it). */
    private static void awaitTombstone(String bootstrap, int size) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        List<ConsumerRecord<byte[], byte[]>> journal = CommittedReader.journal(bootstrap, BranchJournalSetup.TOPIC);
        while (journal.size() < size) {
            assertTrue(System.nanoTime() < deadline, "recovery did not remove the branch within 120 s: "
                    + journal.size() + " journal records");
            journal = CommittedReader.journal(bootstrap, BranchJournalSetup.TOPIC);
        }
        assertTrue(journal.get(journal.size() - 1).value() == null, "recovery removed the branch: " + journal);
    }
}
