package io.kafkara.it.liberty;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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

import io.kafkara.it.Topics;
import io.kafkara.it.broker.SharedKafka;
import io.kafkara.it.db.LocalPostgres;
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
        String topic = topic("plain");

        assertEquals("sent", send("kafka/plain", topic, "plain", 5, false));

        List<ConsumerRecord<String, String>> read = CommittedReader.readUntil(bootstrapServers, topic,
                records -> records.size() >= 5);
        assertEquals(List.of("plain-0", "plain-1", "plain-2", "plain-3", "plain-4"), values(read));
    }

    @Test
    @Order(1)
    void aCdiBeanSendsThroughAFactoryInjectedByItsJndiName() throws Exception {
        String topic = topic("cdi");

        HttpResponse<String> response = server.get("/kafkara/probe/inject?topic=" + topic + "&key=cdi&count=2");

        assertEquals(200, response.statusCode(), response.body());
        List<ConsumerRecord<String, String>> read = CommittedReader.readUntil(bootstrapServers, topic,
                records -> records.size() >= 2);
        assertEquals(List.of("cdi-0", "cdi-1"), values(read));
    }

    @Test
    @Order(2)
    void aLocalTransactionOfLibertysTransactionManagerCommitsAndRollsBack() throws Exception {
        commitsAndRollsBack("kafka/local", topic("local"));
    }

    @Test
    @Order(3)
    void anXaTransactionOfLibertysTransactionManagerCommitsAndRollsBack() throws Exception {
        commitsAndRollsBack("kafka/xa", topic("xa"));
    }

    @Test
    @Order(3)
    void anXaTransactionWithADatabaseCommitsBothInTwoPhasesOrNeither() throws Exception {
        String topic = topic("xa-db");

        assertEquals("sent", insertAndSend(topic, "with-row", false));
        assertEquals("sent", insertAndSend(topic, "rolled-back-row", true));
        assertEquals("sent", send("kafka/xa", topic, "after", 1, false));

        List<ConsumerRecord<String, String>> read = CommittedReader.readUntil(bootstrapServers, topic,
                records -> values(records).contains("after-0"));
        assertEquals(List.of("with-row-0", "with-row-1", "after-0"), values(read));
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
        send("kafka/plain", topic("threads"), "threads", 1, false);

        String threads = server.get("/kafkara/probe/threads").body();

        List<String> loops = threads.lines().filter(line -> line.startsWith("sender-loop ")).toList();
        assertFalse(loops.isEmpty(), "a sender loop runs: " + threads);
        for (String loop : loops) {
            // Liberty's work manager runs each Work through its own classes, on its default executor.
            assertTrue(loop.contains("called-by com.ibm.ws."), loop);
        }
        assertFalse(threads.contains("kafka-thread "), "no thread of Kafka's own: " + threads);
    }

    @Test
    @Order(5)
    void aBadSettingFailsWithTheAdaptersMessageNamingIt() throws Exception {
        HttpResponse<String> refused = server.get(sendPath("kafka/bad", topic("bad"), "bad", 1, false));

        assertEquals(500, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("acks"), "names the setting: " + refused.body());
        assertEquals("sent", send("kafka/plain", topic("after-bad"), "after", 1, false), "the server keeps serving");
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
        String topic = topic("timeout");
        String key = "order-" + UUID.randomUUID();

        String report = server.get("/kafkara/probe/timeout?factory=" + factory + "&topic=" + topic + "&key=" + key
                + "&beforeBegin=" + beforeBegin).body();

        Map<String, String> facts = report.lines().map(line -> line.split(" ", 2)).filter(pair -> pair.length == 2)
                .collect(Collectors.toMap(pair -> pair[0], pair -> pair[1], (first, later) -> first));
        assertEquals("sent", send(factory, topic, "marker", 1, false));
        List<String> committed = valuesOfKey(CommittedReader.readUntil(bootstrapServers, topic,
                records -> values(records).contains("marker-0")), key);
        List<String> uncommitted = valuesOfKey(CommittedReader.readUntil(bootstrapServers, topic, "read_uncommitted",
                records -> values(records).contains("marker-0")), key);
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

    private void commitsAndRollsBack(String factory, String topic) throws Exception {
        assertEquals("sent", send(factory, topic, "committed", 3, false));
        assertEquals("sent", send(factory, topic, "rolled-back", 3, true));
        assertEquals("sent", send(factory, topic, "after", 1, false));

        List<ConsumerRecord<String, String>> read = CommittedReader.readUntil(bootstrapServers, topic,
                records -> values(records).contains("after-0"));
        assertEquals(List.of("committed-0", "committed-1", "committed-2", "after-0"), values(read),
                "a read_committed reader sees the committed transactions only");
    }

    private String send(String factory, String topic, String key, int count, boolean rollback) throws Exception {
        HttpResponse<String> response = server.get(sendPath(factory, topic, key, count, rollback));
        assertEquals(200, response.statusCode(), response.body());
        return response.body().strip();
    }

    private String insertAndSend(String topic, String key, boolean rollback) throws Exception {
        HttpResponse<String> response = server.get("/kafkara/probe/insert-and-send?dataSource=jdbc/orders"
                + "&factory=kafka/xa&topic=" + topic + "&key=" + key + "&count=2&rollback=" + rollback);
        assertEquals(200, response.statusCode(), response.body());
        return response.body().strip();
    }

    private static String sendPath(String factory, String topic, String key, int count, boolean rollback) {
        return "/kafkara/probe/send?factory=" + URLEncoder.encode(factory, StandardCharsets.UTF_8) + "&topic=" + topic
                + "&key=" + key + "&count=" + count + "&rollback=" + rollback;
    }

    private String topic(String purpose) {
        String topic = "liberty-" + purpose + "-" + System.nanoTime();
        Topics.create(bootstrapServers, topic, 1);
        return topic;
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
