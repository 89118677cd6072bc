package io.kafkara.it.payara;


import java.io.File;
import java.nio.file.Path;
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
import io.kafkara.it.portable.CrashAtCommit;
import io.kafkara.it.portable.OrdersTable;
import io.kafkara.it.portable.Probe;
import io.kafkara.it.tx.crash.CrashDeployment;

/**
 * The adapter deployed standalone on Payara Server ({@code asadmin deploy kafka-ra.rar}), beside an application that
 * does not contain it, as an operator shares one adapter among applications: the connector service's
 * {@code class-loading-policy=global} lets the application see the adapter's API. An EJB sends through a factory of
 * that adapter. Then crash recovery ({@link CrashAtCommit}) with Payara's transaction manager,
 * {@code automatic-recovery=true}: the server halted at the adapter's commit of an XA transaction with a PostgreSQL
 * XA pool, restarted, and Payara's recovery at start commits the branch in doubt through the adapter, each record
 * once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class PayaraStandaloneIT {

    private static final String ADAPTER = "kafka-ra";
    private static final String BRANCH_JOURNAL = "payara-standalone-branches";

    private String bootstrapServers;
    private LocalPostgres database;
    private PayaraDomain domain;
    private Probe probe;
    private CrashAtCommit crash;

    @BeforeAll
    void startDomain() throws Exception {
        bootstrapServers = SharedKafka.get().bootstrapServers();
        database = LocalPostgres.start(CrashDeployment.workDirectory("postgres-dist"),
                CrashDeployment.workDirectory("payara-standalone-postgres"));
        OrdersTable.create(database);
        crash = new CrashAtCommit(CrashDeployment.workDirectory("payara-crash-rules"));

        Path payara = Path.of(System.getProperty("payara.home"));
        File war = payara.resolveSibling("probe.war").toFile();
        ProbeEar.exportWar(war);
        domain = PayaraDomain.create(payara.resolve("glassfish"), "kafkara-standalone");
        domain.start();
        probe = new Probe(domain::get, bootstrapServers, "payara-standalone");
        domain.addLoggingAndJdbcLibraries();
        // An application sees a standalone adapter's classes when it names the adapter's resources in its
        // descriptors ("derived", the default) or, as here, for every standalone adapter ("global").
        domain.asadmin("set", "configs.config.server-config.connector-service.class-loading-policy=global");
        // Payara recovers transactions at start only when told to.
        domain.asadmin("set", "configs.config.server-config.transaction-service.automatic-recovery=true");
        // create-jvm-options separates options with ':', so the colons of the agent's arguments are escaped.
        domain.asadmin("create-jvm-options", crash.agentOption().replace(":", "\\:"));
        domain.asadmin("restart-domain", "kafkara-standalone");
        domain.asadmin("deploy", "--name", ADAPTER, System.getProperty("kafka.ra.rar"));
        domain.createKafkaResource(ADAPTER, "kafka-plain", "NoTransaction", bootstrapServers,
                "clientIdPrefix=payara-standalone-plain");
        domain.createKafkaResource(ADAPTER, "kafka-xa", "XATransaction", bootstrapServers,
                "clientIdPrefix=payara-standalone-xa:transactionSupportLevel=XATransaction"
                        + ":transactionalIdPrefix=payara-standalone-xa:transactionalIdNode=payara1"
                        + ":branchJournalTopic=" + BRANCH_JOURNAL);
        domain.createOrdersDataSource(database);
        domain.asadmin("deploy", "--name", "probe", "--contextroot", "kafkara", war.getAbsolutePath());
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
    void anApplicationWithoutTheAdapterSendsThroughTheStandaloneAdaptersFactory() throws Exception {
        probe.anEjbSendsAndTheBrokerHasEveryRecord(3);
    }

    @Test
    @Order(2)
    void aBranchInDoubtAtTheKillIsCommittedOnceByTheRestartedServersRecovery() throws Exception {
        crash.haltThenRecover(domain, bootstrapServers, database, BRANCH_JOURNAL, "payara");
    }
}
