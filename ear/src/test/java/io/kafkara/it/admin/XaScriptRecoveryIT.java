package io.kafkara.it.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jboss.shrinkwrap.api.exporter.ZipExporter;
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
import io.kafkara.it.run.LocalWildFly;
import io.kafkara.it.tx.crash.BrokerView;
import io.kafkara.it.tx.crash.CrashDeployment;
import io.kafkara.it.tx.crash.CrashScenarios;
import io.kafkara.it.tx.crash.FileGate;
import io.kafkara.it.tx.crash.GatedCalls;

/**
 * The standalone {@code kafka-ra.rar} configured for XA by the shipped {@code configure-kafka-ra-xa.cli}, and
 * nothing else, recovers a branch after a crash. Tuned for a fast test: Narayana scans every 5 s (backoff 1 s)
 * instead of every 120 s; everything the definition has comes from the script. A WildFly of its own (the first free
 * port offset from 800) runs the script with its own {@code jboss-cli.sh}, then deploys the adapter as built and a
 * {@code crash.war} that sees it through {@code deployment.kafka-ra.rar}. One JTA transaction through
 * {@code java:/kafka/OrdersXA} is stopped after the commit decision, in the commit of a second resource; the
 * server JVM is killed and restarted on the same base directory. Only Narayana's recovery, asking the definition's
 * {@code recover()}, can then commit the branch: the broker's transaction timeout is the brokers' maximum (15 min).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class XaScriptRecoveryIT {

    private static final String WAR = "crash.war";
    private static final String DEFINITION = "OrdersXA";
    private static final Duration BOOT = Duration.ofMinutes(3);
    private static final Duration RECOVERED_WITHIN = Duration.ofMinutes(2);

    private final String topic = "xa-script-" + UUID.randomUUID().toString().substring(0, 8);
    private String bootstrap;
    private BrokerView broker;
    private LocalWildFly server;
    private Path work;

    @BeforeAll
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void configureByTheScriptAndDeploy() throws Exception {
        bootstrap = SharedKafka.get().bootstrapServers();
        broker = new BrokerView(bootstrap);
        Topics.create(bootstrap, topic, 1);

        work = CrashDeployment.workDirectory("xa-script");
        Files.createDirectories(work);
        server = LocalWildFly.prepare(Path.of(System.getProperty("jboss.home")), work.resolve("wildfly"),
                LocalWildFly.freePortOffset(800));
        server.start(systemProperties());
        server.awaitBooted(BOOT);

        // As the README tells an operator: the configuration first, then the adapter and the application.
        JBossCli.runScript("127.0.0.1", 9990 + server.portOffset(), JBossCli.CONFIGURE_XA);
        Path rar = Path.of(System.getProperty("kafka.ra.rar", "target/rar/kafka-ra.rar"));
        assertTrue(Files.isRegularFile(rar), "kafka-ra.rar was not built: " + rar.toAbsolutePath());
        server.deploy(rar);
        Path war = work.resolve(WAR);
        CrashDeployment.crashWar()
                .addAsWebInfResource("admin/jboss-deployment-structure.xml", "jboss-deployment-structure.xml")
                .as(ZipExporter.class).exportTo(war.toFile(), true);
        server.deploy(war);
        server.awaitDeployed("kafka-ra.rar", BOOT);
        server.awaitDeployed(WAR, BOOT);
    }

    /** The broker address, a node name that survives the restart, and Narayana's fast scan. */
    private Map<String, String> systemProperties() {
        return Map.of("kafka.bootstrap.servers", bootstrap,
                "jboss.node.name", "xa-script-node",
                "RecoveryEnvironmentBean.periodicRecoveryPeriod", "5",
                "RecoveryEnvironmentBean.recoveryBackoffPeriod", "1");
    }

    private String serverLog() throws Exception {
        Path log = server.logFile();
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Test
    @Order(1)
    void theScriptsDefinitionIsRegisteredForRecovery() throws Exception {
        assertNoRecoveryDisabled();
    }

    /** IronJacamar's IJ020016 says a definition is left out of XA recovery; the script's only one must not be. */
    private void assertNoRecoveryDisabled() throws Exception {
        List<String> disabled = serverLog().lines().filter(line -> line.contains("IJ020016")).toList();
        assertEquals(List.of(), disabled, "XA recovery is disabled for a definition of the script");
    }

    @Test
    @Order(2)
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aBranchDecidedBeforeAKillIsCommittedExactlyOnceByRecoveryAfterTheRestart() throws Exception {
        Path gates = work.resolve("gates-" + topic);
        CompletableFuture<HttpResponse<String>> decided = GatedCalls.scenario(server.httpPort(),
                CrashScenarios.DECIDED, topic, gates, DEFINITION);
        GatedCalls.awaitGates(List.of(new FileGate(gates, CrashScenarios.DECIDED)), List.of(decided),
                Duration.ofMinutes(2));
        assertEquals(3, broker.logEnd(topic), "the three records are in the log");
        assertEquals(0, broker.lastStable(topic), "prepared, not yet visible to read_committed readers");

        server.kill();
        assertTrue(GatedCalls.failedWithoutAnswer(decided), "the server answered instead of dying");
        server.restart(WAR, systemProperties(), BOOT);
        assertEquals(List.of("decided/1", "decided/2", "decided/3"),
                broker.committedToLogEnd(topic, RECOVERED_WITHIN),
                "Narayana's recovery asked the script's definition for its branches and committed this one once");
        assertNoRecoveryDisabled();
    }

    @AfterAll
    void stopEverything() {
        if (server != null) {
            server.stop();
        }
        if (broker != null) {
            broker.close();
        }
    }
}
