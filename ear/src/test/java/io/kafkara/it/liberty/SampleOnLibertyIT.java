package io.kafkara.it.liberty;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import io.kafkara.it.portable.JvmThreads;
import io.kafkara.it.portable.SampleOnServer;

/**
 * The sample EAR, unchanged but for a probe WAR, on Open Liberty, configured only by the Liberty definitions beside
 * it ({@code ear/src/main/liberty/kafka-sample.xml}, included from a server.xml that sets its variables, as the
 * README says): its DemoTraffic publishes, its OrderService commits and rolls back an order row of the fragment's H2
 * XA datasource with its events through the LocalTransaction and the XA factory, and its CDI bean sends; removing it
 * leaves no sender thread.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SampleOnLibertyIT {

    private static final String APPLICATION = "kafka-ra-sample";

    private LibertyServer server;
    private SampleOnServer sample;

    @BeforeAll
    void startServer() throws Exception {
        String bootstrapServers = SharedKafka.get().bootstrapServers();
        Path wlp = Path.of(System.getProperty("liberty.home"));
        File ear = new File(wlp.getParent().toFile(), "kafka-ra-sample-probed.ear");
        SampleOnServer.export(ear);
        Path libraries = Files.createDirectories(wlp.resolveSibling("sample-lib"));
        Path slf4j = Path.of(System.getProperty("slf4j.dir"));
        for (Path jar : List.of(slf4j.resolve("slf4j-api.jar"), slf4j.resolve("slf4j-jdk14.jar"),
                slf4j.resolveSibling("h2").resolve("h2.jar"))) {
            Files.copy(jar, libraries.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        String include = """
                <include location="%s"/>
                <variable name="kafka.bootstrap.servers" value="%s"/>
                <variable name="kafka.sample.ear" value="%s"/>
                <variable name="kafka.sample.lib.dir" value="%s"/>
                """.formatted(SampleOnServer.definitions("liberty/kafka-sample.xml"), bootstrapServers,
                ear.getAbsolutePath(), libraries);
        sample = new SampleOnServer(path -> server.get(path), bootstrapServers);
        sample.createDemoTopic();
        server = LibertyServer.create(wlp, "kafkara-sample", serverXml(include),
                List.of("-Dsample.demo.topic=" + sample.demoTopic()));
        server.start();
        server.awaitMessage("CWWKZ0001I: Application " + APPLICATION + " started", Duration.ofMinutes(2));
    }

    @AfterAll
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** With {@code include}, the sample's definitions; without, the same features and no sample. */
    private static String serverXml(String include) {
        return """
                <server>
                  %s
                  <featureManager>
                    <feature>connectors-2.1</feature>
                    <feature>enterpriseBeansLite-4.0</feature>
                    <feature>cdi-4.0</feature>
                    <feature>jdbc-4.3</feature>
                    <feature>servlet-6.0</feature>
                  </featureManager>
                  <httpEndpoint id="defaultHttpEndpoint" host="127.0.0.1" httpPort="${http.port}" httpsPort="-1"/>
                </server>
                """.formatted(include);
    }

    @Test
    @Order(1)
    void theSamplesDemoTrafficReachesTheBroker() {
        sample.theDemoTrafficReachesTheBroker();
    }

    @Test
    @Order(1)
    void theSamplesOrdersCommitAndRollBackWithTheDatabaseThroughTheLocalTransactionFactory() throws Exception {
        sample.ordersCommitAndRollBackWithTheDatabase("LOCAL");
    }

    @Test
    @Order(1)
    void theSamplesOrdersCommitAndRollBackWithTheDatabaseThroughTheXaFactory() throws Exception {
        sample.ordersCommitAndRollBackWithTheDatabase("XA");
    }

    @Test
    @Order(1)
    void theSamplesCdiBeanSends() throws Exception {
        sample.aShipmentIsSentTheCdiWay();
    }

    /**
     * Liberty removes the EAR's class cache before it stops the adapter inside it (the EAR is not expanded here): a
     * class first needed at the stop cannot be loaded, and that must not keep any engine's sender loop running.
     */
    @Test
    @Order(2)
    void removingTheSampleLeavesNoSenderThread() throws Exception {
        server.rewriteServerXml(serverXml(""));

        server.awaitMessage("CWWKZ0009I: The application " + APPLICATION + " has stopped", Duration.ofMinutes(1));
        String dump = server.awaitThreadDump(JvmThreads.NO_ADAPTER_THREAD, Duration.ofSeconds(30));
        assertFalse(dump.contains("io.kafkara."), dump);
    }
}
