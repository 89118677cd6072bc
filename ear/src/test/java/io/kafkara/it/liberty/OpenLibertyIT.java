package io.kafkara.it.liberty;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.FileAsset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
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
import io.kafkara.it.liberty.app.InjectedSender;
import io.kafkara.it.liberty.app.ProbeServlet;
import io.kafkara.it.liberty.app.SendingBean;
import io.kafkara.it.liberty.app.TimeoutSends;
import io.kafkara.it.tx.CommittedReader;
import io.kafkara.it.tx.crash.CrashDeployment;
import io.kafkara.it.tx.timeout.OrderRow;
import io.kafkara.it.tx.timeout.PacedSends;
import io.kafkara.it.tx.timeout.TimeoutRun;
import io.kafkara.it.tx.timeout.UserTransactionScenarios;

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

    private static final String APPLICATION = "kafkara-liberty";
    private static final String ADAPTER_PROPERTIES = "properties." + APPLICATION + ".kafka-ra";
    private static final Duration CONFIGURATION_BOUND = Duration.ofMinutes(2);

    private String bootstrapServers;
    private LocalPostgres database;
    private LibertyServer server;

    @BeforeAll
    void startServer() throws Exception {
        bootstrapServers = SharedKafka.get().bootstrapServers();
        database = LocalPostgres.start(CrashDeployment.workDirectory("postgres-dist"),
                CrashDeployment.workDirectory("liberty-postgres"));
        try (Connection db = database.connect(); Statement create = db.createStatement()) {
            create.execute("create table orders (id varchar(100) primary key, lines integer)");
        }
        Path wlp = Path.of(System.getProperty("liberty.home"));
        File ear = new File(wlp.getParent().toFile(), APPLICATION + ".ear");
        application().as(ZipExporter.class).exportTo(ear, true);
        server = LibertyServer.create(wlp, "kafkara-it", serverXml(ear, true));
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
        assertEquals(List.of("with-row"), rows(), "the database committed and rolled back with Kafka");
        // The two-phase commit went through the adapter's prepare: a branch was journaled, then ended.
        List<ConsumerRecord<byte[], byte[]>> journal = CommittedReader.journal(bootstrapServers, "liberty-branches");
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
        Path wlp = Path.of(System.getProperty("liberty.home"));
        File ear = new File(wlp.getParent().toFile(), APPLICATION + ".ear");

        server.rewriteServerXml(serverXml(ear, false));

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
        List<String> rows = rows();
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

    private List<String> rows() throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection db = database.connect(); Statement query = db.createStatement();
             ResultSet found = query.executeQuery("select id from orders order by id")) {
            while (found.next()) {
                ids.add(found.getString(1));
            }
        }
        return ids;
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

    /** The EAR: the adapter as a connector module, and the probe's web module. */
    private static EnterpriseArchive application() {
        WebArchive probe = ShrinkWrap.create(WebArchive.class, "probe.war")
                .addClasses(ProbeServlet.class, SendingBean.class, InjectedSender.class, TimeoutSends.class,
                        TimeoutRun.class, PacedSends.class, PacedSends.Send.class, OrderRow.class,
                        UserTransactionScenarios.class);
        return ShrinkWrap.create(EnterpriseArchive.class, APPLICATION + ".ear")
                .add(new FileAsset(new File(System.getProperty("kafka.ra.rar"))), "kafka-ra.rar")
                .addAsModule(probe)
                .setApplicationXML(new StringAsset("""
                        <application xmlns="https://jakarta.ee/xml/ns/jakartaee" version="10">
                          <application-name>%s</application-name>
                          <module><connector>kafka-ra.rar</connector></module>
                          <module><web><web-uri>probe.war</web-uri><context-root>/kafkara</context-root></web></module>
                        </application>
                        """.formatted(APPLICATION)));
    }

    /** The server's configuration as an operator writes it; without {@code deployed}, the application is removed. */
    private String serverXml(File ear, boolean deployed) {
        String serializers = "keySerializer=\"org.apache.kafka.common.serialization.StringSerializer\" "
                + "valueSerializer=\"org.apache.kafka.common.serialization.StringSerializer\" bootstrapServers=\""
                + bootstrapServers + "\"";
        // Liberty gives applications no SLF4J, which Kafka's classes and the adapter log through: a library of the
        // API and its java.util.logging provider sends both to messages.log.
        String application = deployed ? "<enterpriseApplication id=\"" + APPLICATION + "\" name=\"" + APPLICATION
                + "\" location=\"" + ear.getAbsolutePath() + "\"><classloader commonLibraryRef=\"slf4j\"/>"
                + "</enterpriseApplication>" : "";
        return """
                <server>
                  <featureManager>
                    <feature>connectors-2.1</feature>
                    <feature>enterpriseBeansLite-4.0</feature>
                    <feature>servlet-6.0</feature>
                    <feature>cdi-4.0</feature>
                    <feature>jdbc-4.3</feature>
                  </featureManager>
                  <httpEndpoint id="defaultHttpEndpoint" host="127.0.0.1" httpPort="${http.port}" httpsPort="-1"/>
                  <applicationManager autoExpand="true"/>
                  <library id="slf4j">
                    <fileset dir="${wlp.install.dir}/../slf4j" includes="*.jar"/>
                  </library>
                  %s
                  <library id="postgresql">
                    <fileset dir="${wlp.install.dir}/../jdbc" includes="*.jar"/>
                  </library>
                  <dataSource id="orders" jndiName="jdbc/orders" type="javax.sql.XADataSource">
                    <jdbcDriver libraryRef="postgresql"/>
                    <properties.postgresql serverName="127.0.0.1" portNumber="%d" databaseName="%s" user="%s"
                        password="%s"/>
                  </dataSource>
                  <connectionFactory id="plain" jndiName="kafka/plain">
                    <%s %s clientIdPrefix="liberty-plain"/>
                  </connectionFactory>
                  <connectionFactory id="local" jndiName="kafka/local">
                    <%s %s clientIdPrefix="liberty-local" transactionSupportLevel="LocalTransaction"
                        transactionalIdPrefix="liberty-local" transactionalIdNode="liberty1"/>
                  </connectionFactory>
                  <connectionFactory id="xa" jndiName="kafka/xa">
                    <%s %s clientIdPrefix="liberty-xa" transactionSupportLevel="XATransaction"
                        transactionalIdPrefix="liberty-xa" transactionalIdNode="liberty1"
                        branchJournalTopic="liberty-branches"/>
                  </connectionFactory>
                  <connectionFactory id="bad" jndiName="kafka/bad">
                    <%s %s clientIdPrefix="liberty-bad" acks="2"/>
                  </connectionFactory>
                </server>
                """.formatted(application, database.port(), LocalPostgres.DATABASE, database.user(),
                database.password(), ADAPTER_PROPERTIES, serializers, ADAPTER_PROPERTIES, serializers,
                ADAPTER_PROPERTIES, serializers, ADAPTER_PROPERTIES, serializers);
    }
}
