package io.kafkara.it.liberty;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import io.kafkara.it.broker.SharedKafka;
import io.kafkara.it.db.LocalPostgres;
import io.kafkara.it.portable.Probe;
import io.kafkara.it.tx.CommittedReader;
import io.kafkara.it.tx.crash.CrashDeployment;

/**
 * The adapter on Open Liberty, deployed inside an EAR (there an application sees an embedded adapter's classes; a
 * standalone one needs {@code classProviderRef}, README), its connection factories defined in the server's own
 * {@code server.xml}, a real broker: an EJB looks a factory up in JNDI and sends, a CDI bean has one injected by its
 * JNDI name, local and XA transactions of
 * Liberty's transaction manager commit and roll back (XA also in two phases with a PostgreSQL XA datasource of the
 * server), a user transaction that outlives its timeout shows nothing (the handle obtained inside it or before
 * {@code begin()}), the sender loop runs on Liberty's work manager, a bad setting
 * fails with the adapter's message, and the application's removal leaves no sender thread.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class OpenLibertyIT {

    private static final String APPLICATION = LibertyApplication.NAME;
    private static final Duration CONFIGURATION_BOUND = Duration.ofMinutes(2);

    private String bootstrapServers;
    private LocalPostgres database;
    private LibertyApplication application;
    private LibertyServer server;
    private Probe probe;

    @BeforeAll
    void startServer() throws Exception {
        bootstrapServers = SharedKafka.get().bootstrapServers();
        database = LocalPostgres.start(CrashDeployment.workDirectory("postgres-dist"),
                CrashDeployment.workDirectory("liberty-postgres"));
        LibertyApplication.createOrdersTable(database);
        Path wlp = Path.of(System.getProperty("liberty.home"));
        application = LibertyApplication.export(wlp, bootstrapServers, database);
        server = LibertyServer.create(wlp, "kafkara-it", application.serverXml(true, ""));
        server.start();
        probe = new Probe(server::get, bootstrapServers, "liberty");
        // CWWKZ0001I: the application started (its adapter first: it is a module of the application).
        server.awaitMessage("CWWKZ0001I: Application " + APPLICATION + " started", CONFIGURATION_BOUND);
    }

    @AfterAll
    void stopServer() throws Exception {
        try (LocalPostgres stopped = database) {
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    @Order(1)
    void anEjbSendsThroughAFactoryFromJndiAndTheBrokerHasEveryRecord() throws Exception {
        String topic = probe.topic("plain");

        assertEquals("sent", probe.send("kafka/plain", topic, "plain", 5, false));

        List<ConsumerRecord<String, String>> read = CommittedReader.readUntil(bootstrapServers, topic,
                records -> records.size() >= 5);
        assertEquals(List.of("plain-0", "plain-1", "plain-2", "plain-3", "plain-4"), Probe.values(read));
    }

    @Test
    @Order(1)
    void aCdiBeanSendsThroughAFactoryInjectedByItsJndiName() throws Exception {
        String topic = probe.topic("cdi");

        HttpResponse<String> response = server.get("/kafkara/probe/inject?topic=" + topic + "&key=cdi&count=2");

        assertEquals(200, response.statusCode(), response.body());
        List<ConsumerRecord<String, String>> read = CommittedReader.readUntil(bootstrapServers, topic,
                records -> records.size() >= 2);
        assertEquals(List.of("cdi-0", "cdi-1"), Probe.values(read));
    }

    @Test
    @Order(2)
    void aLocalTransactionOfLibertysTransactionManagerCommitsAndRollsBack() throws Exception {
        probe.commitsAndRollsBack("kafka/local", probe.topic("local"));
    }

    @Test
    @Order(3)
    void anXaTransactionOfLibertysTransactionManagerCommitsAndRollsBack() throws Exception {
        probe.commitsAndRollsBack("kafka/xa", probe.topic("xa"));
    }

    @Test
    @Order(3)
    void anXaTransactionWithADatabaseCommitsBothInTwoPhasesOrNeither() throws Exception {
        String topic = probe.topic("xa-db");

        assertEquals("sent", insertAndSend(topic, "with-row", false));
        assertEquals("sent", insertAndSend(topic, "rolled-back-row", true));
        assertEquals("sent", probe.send("kafka/xa", topic, "after", 1, false));

        List<ConsumerRecord<String, String>> read = CommittedReader.readUntil(bootstrapServers, topic,
                records -> Probe.values(records).contains("after-0"));
        assertEquals(List.of("with-row-0", "with-row-1", "after-0"), Probe.values(read));
        assertEquals(List.of("with-row"), LibertyApplication.orderIds(database), "the database committed and rolled back with Kafka");
        // The two-phase commit went through the adapter's prepare: a branch was journaled, then ended.
        List<ConsumerRecord<byte[], byte[]>> journal = CommittedReader.journal(bootstrapServers, LibertyApplication.BRANCH_JOURNAL);
        assertTrue(journal.stream().anyMatch(record -> record.value() == null), journal.size() + " journal records");
    }

    @Test
    @Order(3)
    void aLocalUserTransactionThatTimesOutShowsNothing() throws Exception {
        timesOutAndShowsNothing("kafka/local", false);
    }

    @Test
    @Order(3)
    void anXaUserTransactionThatTimesOutShowsNothing() throws Exception {
        timesOutAndShowsNothing("kafka/xa", false);
    }

    @Test
    @Order(3)
    void aLocalUserTransactionThatTimesOutOnAConnectionObtainedBeforeBeginShowsNothing() throws Exception {
        timesOutAndShowsNothing("kafka/local", true);
    }

    @Test
    @Order(3)
    void anXaUserTransactionThatTimesOutOnAConnectionObtainedBeforeBeginShowsNothing() throws Exception {
        timesOutAndShowsNothing("kafka/xa", true);
    }

    @Test
    @Order(4)
    void theSenderLoopRunsOnLibertysWorkManagerAndNoThreadOfTheAdaptersOwn() throws Exception {
        // Liberty's work manager runs each Work through its own classes, on its default executor.
        probe.senderLoopsRunOnTheWorkManagerOf("com.ibm.ws.");
    }

    @Test
    @Order(5)
    void aBadSettingFailsWithTheAdaptersMessageNamingIt() throws Exception {
        probe.aBadSettingIsRefusedNamingIt();
    }

    @Test
    @Order(6)
    void removingTheApplicationLeavesNoSenderThread() throws Exception {
        server.rewriteServerXml(application.serverXml(false, ""));

        // CWWKZ0009I: the application stopped; its adapter stopped with it.
        server.awaitMessage("CWWKZ0009I: The application " + APPLICATION + " has stopped", CONFIGURATION_BOUND);
        String dump = server.awaitThreadDump(threads -> !threads.contains("io.kafkara.")
                && !threads.contains("kafka-producer-network-thread"), Duration.ofSeconds(30));
        assertFalse(dump.contains("io.kafkara."), dump);
    }

    /**
     * As TransactionTimeoutIT on WildFly: a transaction with a 2 s timeout that sends for 5 s. The first send after
     * the timeout fails naming it, commit() throws RollbackException, and nothing is visible: no order row, no
     * record to read_committed, although read_uncommitted shows every acknowledged record.
     */
    private void timesOutAndShowsNothing(String factory, boolean beforeBegin) throws Exception {
        String topic = probe.topic("timeout");
        String key = "order-" + UUID.randomUUID();

        String report = server.get("/kafkara/probe/timeout?factory=" + factory + "&topic=" + topic + "&key=" + key
                + "&beforeBegin=" + beforeBegin).body();

        Map<String, String> facts = report.lines().map(line -> line.split(" ", 2)).filter(pair -> pair.length == 2)
                .collect(Collectors.toMap(pair -> pair[0], pair -> pair[1], (first, later) -> first));
        assertEquals("sent", probe.send(factory, topic, "marker", 1, false));
        List<String> committed = valuesOfKey(CommittedReader.readUntil(bootstrapServers, topic,
                records -> Probe.values(records).contains("marker-0")), key);
        List<String> uncommitted = valuesOfKey(CommittedReader.readUntil(bootstrapServers, topic, "read_uncommitted",
                records -> Probe.values(records).contains("marker-0")), key);
        List<String> rows = LibertyApplication.orderIds(database);
        assertAll(report + "; read_committed " + committed + "; read_uncommitted " + uncommitted.size() + "; rows "
                        + rows,
                () -> assertEquals("returned", facts.get("call"), "the scenario handled every failure"),
                () -> assertTrue(Long.parseLong(facts.get("tookMs")) >= 2_000, "the scenario outlived its timeout"),
                () -> assertTrue(Long.parseLong(facts.get("firstFailureAfterMs")) >= 1_900,
                        "the first send failed only once the timeout had struck"),
                () -> assertEquals("true", facts.get("failureNamesTheTimeout"),
                        "the failed send says the transaction timeout rolled it back"),
                () -> assertEquals("jakarta.transaction.RollbackException", facts.get("commitFailure")),
                () -> assertFalse(rows.contains(key), "the order row was rolled back"),
                () -> assertEquals(List.of(), committed, "nothing of the timed-out transaction is visible"),
                () -> assertFalse(uncommitted.isEmpty(), "read_uncommitted shows the records sent before the timeout"),
                () -> assertTrue(uncommitted.size() >= Integer.parseInt(facts.get("sent")),
                        "every acknowledged record is in the log"));
    }

    private static List<String> valuesOfKey(List<ConsumerRecord<String, String>> records, String key) {
        return records.stream().filter(record -> key.equals(record.key())).map(ConsumerRecord::value).toList();
    }



    private String insertAndSend(String topic, String key, boolean rollback) throws Exception {
        HttpResponse<String> response = server.get("/kafkara/probe/insert-and-send?dataSource=jdbc/orders"
                + "&factory=kafka/xa&topic=" + topic + "&key=" + key + "&count=2&rollback=" + rollback);
        assertEquals(200, response.statusCode(), response.body());
        return response.body().strip();
    }



}
