package io.kafkara.it.payara;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
import io.kafkara.it.liberty.app.ProbeEar;
import io.kafkara.it.portable.JvmThreads;
import io.kafkara.it.portable.OrdersTable;
import io.kafkara.it.portable.Probe;
import io.kafkara.it.tx.crash.CrashDeployment;

/**
 * The adapter on Payara Server 6, deployed inside an EAR, its connection pools and resources created with Payara's
 * own asadmin as an operator does ({@code create-connector-connection-pool --raname <application>#kafka-ra},
 * {@code create-connector-resource}), a real broker: an EJB looks a factory up in JNDI and sends, a CDI bean has one
 * injected, local and XA transactions of Payara's transaction manager commit and roll back (XA also in two phases with
 * a PostgreSQL XA pool of the server), the sender loop runs on
 * Payara's work manager, a bad setting fails with the adapter's message, and undeploying leaves no adapter thread.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class PayaraIT {

    private static final String APPLICATION = "kafkara-payara";

    private String bootstrapServers;
    private LocalPostgres database;
    private PayaraDomain domain;
    private Probe probe;

    @BeforeAll
    void startDomain() throws Exception {
        bootstrapServers = SharedKafka.get().bootstrapServers();
        database = LocalPostgres.start(CrashDeployment.workDirectory("postgres-dist"),
                CrashDeployment.workDirectory("payara-postgres"));
        OrdersTable.create(database);
        Path payara = Path.of(System.getProperty("payara.home"));
        File ear = payara.resolveSibling(APPLICATION + ".ear").toFile();
        ProbeEar.export(APPLICATION, ear);
        domain = PayaraDomain.create(payara.resolve("glassfish"), "kafkara-it");
        domain.start();
        probe = new Probe(domain::get, bootstrapServers, "payara");
        domain.addLoggingAndJdbcLibraries();
        domain.asadmin("restart-domain", "kafkara-it");
        domain.asadmin("deploy", "--name", APPLICATION, ear.getAbsolutePath());
        pool("kafka-plain", "NoTransaction", "clientIdPrefix=payara-plain");
        pool("kafka-local", "LocalTransaction", "clientIdPrefix=payara-local:transactionSupportLevel=LocalTransaction"
                + ":transactionalIdPrefix=payara-local:transactionalIdNode=payara1");
        pool("kafka-xa", "XATransaction", "clientIdPrefix=payara-xa:transactionSupportLevel=XATransaction"
                + ":transactionalIdPrefix=payara-xa:transactionalIdNode=payara1:branchJournalTopic=payara-branches");
        pool("kafka-bad", "NoTransaction", "clientIdPrefix=payara-bad:acks=2");
        domain.createOrdersDataSource(database);
    }

    /** A pool of the embedded adapter ({@code <application>#<module>}) and its resource. */
    private void pool(String name, String transactionSupport, String properties) throws Exception {
        domain.createKafkaResource(APPLICATION + "#kafka-ra", name, transactionSupport, bootstrapServers, properties);
    }

    @AfterAll
    void stopDomain() throws Exception {
        try (LocalPostgres stopped = database) {
            if (domain != null) {
                domain.close();
            }
        }
    }

    @Test
    @Order(1)
    void anEjbSendsThroughAFactoryFromJndiAndTheBrokerHasEveryRecord() throws Exception {
        probe.anEjbSendsAndTheBrokerHasEveryRecord(3);
    }

    @Test
    @Order(1)
    void aCdiBeanSendsThroughAFactoryInjectedByItsJndiName() throws Exception {
        probe.aCdiBeanSendsThroughAnInjectedFactory();
    }

    @Test
    @Order(2)
    void aLocalTransactionOfPayarasTransactionManagerCommitsAndRollsBack() throws Exception {
        probe.commitsAndRollsBack("kafka/local", probe.topic("local"));
    }

    @Test
    @Order(2)
    void anXaTransactionOfPayarasTransactionManagerCommitsAndRollsBack() throws Exception {
        probe.commitsAndRollsBack("kafka/xa", probe.topic("xa"));
    }

    @Test
    @Order(2)
    void anXaTransactionWithADatabaseCommitsBothInTwoPhasesOrNeither() throws Exception {
        probe.xaWithTheDatabaseCommitsBothOrNeither(() -> OrdersTable.ids(database), "payara-branches");
    }

    /*
     * Payara's transaction manager notices the timeout of a transaction that reached its JTS layer (here every one:
     * the order table's pool is XA) only when its timeout thread next looks, every 10 s at the least
     * (com.sun.jts.timeoutInterval cannot go lower); a commit before that succeeds, for the database as for Kafka.
     * So the application sends for 15 s, past the 2 s timeout and the thread's next look.
     */
    private static final Duration PAST_PAYARAS_TIMEOUT_CHECK = Duration.ofSeconds(15);

    @Test
    @Order(2)
    void aLocalTransactionThatOutlivesItsTimeoutShowsNothing() throws Exception {
        probe.timesOutAndShowsNothing(() -> OrdersTable.ids(database), "kafka/local", false,
                PAST_PAYARAS_TIMEOUT_CHECK);
    }

    @Test
    @Order(2)
    void aLocalTransactionThatOutlivesItsTimeoutShowsNothingWithTheHandleObtainedBeforeBegin() throws Exception {
        probe.timesOutAndShowsNothing(() -> OrdersTable.ids(database), "kafka/local", true,
                PAST_PAYARAS_TIMEOUT_CHECK);
    }

    @Test
    @Order(2)
    void anXaTransactionThatOutlivesItsTimeoutShowsNothing() throws Exception {
        probe.timesOutAndShowsNothing(() -> OrdersTable.ids(database), "kafka/xa", false, PAST_PAYARAS_TIMEOUT_CHECK);
    }

    @Test
    @Order(2)
    void anXaTransactionThatOutlivesItsTimeoutShowsNothingWithTheHandleObtainedBeforeBegin() throws Exception {
        probe.timesOutAndShowsNothing(() -> OrdersTable.ids(database), "kafka/xa", true, PAST_PAYARAS_TIMEOUT_CHECK);
    }

    @Test
    @Order(3)
    void theSenderLoopRunsOnPayarasWorkManagerAndNoThreadOfTheAdaptersOwn() throws Exception {
        // Payara's work manager runs each Work through its own classes, on its thread pool.
        probe.senderLoopsRunOnTheWorkManagerOf("com.sun.enterprise.connectors.work.");
    }

    @Test
    @Order(4)
    void aBadSettingFailsWithTheAdaptersMessageNamingIt() throws Exception {
        probe.aBadSettingIsRefusedNamingIt();
    }

    @Test
    @Order(4)
    void theAdaptersClassesLoadWithoutANoteFromPayarasCdi() throws Exception {
        // Payara's Weld loads every class of a bean archive to look for beans: the classes that name server APIs
        // Payara lacks (Micrometer) are excluded from discovery, so none fails to load there.
        List<String> notes = domain.serverLog().stream()
                .filter(line -> line.contains("WELD-000119") && line.contains("io.kafkara")).toList();
        assertEquals(List.of(), notes);
    }

    @Test
    @Order(5)
    void undeployingTheApplicationLeavesNoAdapterThread() throws Exception {
        // --cascade: the application's connector resources go with it.
        domain.asadmin("undeploy", "--cascade=true", APPLICATION);

        String dump = domain.awaitThreadDump(JvmThreads.NO_ADAPTER_THREAD, Duration.ofSeconds(30));
        assertFalse(dump.contains("io.kafkara."), dump);
    }
}
