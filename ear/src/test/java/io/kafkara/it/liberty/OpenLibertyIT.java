package io.kafkara.it.liberty;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.time.Duration;
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
import io.kafkara.it.portable.JvmThreads;
import io.kafkara.it.portable.OrdersTable;
import io.kafkara.it.portable.Probe;
import io.kafkara.it.tx.crash.CrashDeployment;

/**
 * The adapter on Open Liberty, deployed inside an EAR (there an application sees an embedded adapter's classes; a
 * standalone one needs {@code classProviderRef}, src/docs/servers.md), its connection factories defined in the
 * server's own {@code server.xml}, a real broker: an EJB looks a factory up in JNDI and sends, a CDI bean has one
 * injected by its JNDI name, local and XA transactions of
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
        OrdersTable.create(database);
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
        probe.anEjbSendsAndTheBrokerHasEveryRecord(5);
    }

    @Test
    @Order(1)
    void aCdiBeanSendsThroughAFactoryInjectedByItsJndiName() throws Exception {
        probe.aCdiBeanSendsThroughAnInjectedFactory();
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
        probe.xaWithTheDatabaseCommitsBothOrNeither(() -> OrdersTable.ids(database),
                LibertyApplication.BRANCH_JOURNAL);
    }

    @Test
    @Order(3)
    void aLocalUserTransactionThatTimesOutShowsNothing() throws Exception {
        probe.timesOutAndShowsNothing(() -> OrdersTable.ids(database), "kafka/local", false);
    }

    @Test
    @Order(3)
    void anXaUserTransactionThatTimesOutShowsNothing() throws Exception {
        probe.timesOutAndShowsNothing(() -> OrdersTable.ids(database), "kafka/xa", false);
    }

    @Test
    @Order(3)
    void aLocalUserTransactionThatTimesOutOnAConnectionObtainedBeforeBeginShowsNothing() throws Exception {
        probe.timesOutAndShowsNothing(() -> OrdersTable.ids(database), "kafka/local", true);
    }

    @Test
    @Order(3)
    void anXaUserTransactionThatTimesOutOnAConnectionObtainedBeforeBeginShowsNothing() throws Exception {
        probe.timesOutAndShowsNothing(() -> OrdersTable.ids(database), "kafka/xa", true);
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
        String dump = server.awaitThreadDump(JvmThreads.NO_ADAPTER_THREAD, Duration.ofSeconds(30));
        assertFalse(dump.contains("io.kafkara."), dump);
    }

}
