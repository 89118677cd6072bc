package io.kafkara.it.payara;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import io.kafkara.it.broker.SharedKafka;
import io.kafkara.it.portable.SampleOnServer;

/**
 * The sample EAR, unchanged but for a probe WAR, on Payara Server, configured only by the Payara definitions beside
 * it ({@code ear/src/main/payara/kafka-sample.sh}, run as the README says, with the domain's asadmin): its
 * DemoTraffic publishes, its OrderService commits and rolls back an order row of the script's H2 XA pool with its
 * events through the LocalTransaction and the XA factory, and its CDI bean sends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class SampleOnPayaraIT {

    private PayaraDomain domain;
    private SampleOnServer sample;

    @BeforeAll
    void startDomain() throws Exception {
        String bootstrapServers = SharedKafka.get().bootstrapServers();
        Path payara = Path.of(System.getProperty("payara.home"));
        File ear = payara.resolveSibling("kafka-ra-sample-probed.ear").toFile();
        SampleOnServer.export(ear);
        sample = new SampleOnServer(path -> domain.get(path), bootstrapServers);
        sample.createDemoTopic();
        domain = PayaraDomain.create(payara.resolve("glassfish"), "kafkara-sample");
        domain.start();
        domain.addLoggingAndJdbcLibraries();
        domain.asadmin("create-jvm-options", "-Dsample.demo.topic=" + sample.demoTopic());
        domain.asadmin("restart-domain", "kafkara-sample");
        domain.runScript(SampleOnServer.definitions("payara/kafka-sample.sh"),
                Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers), ear.getAbsolutePath());
    }

    @AfterAll
    void stopDomain() throws Exception {
        if (domain != null) {
            domain.close();
        }
    }

    @Test
    void theSamplesDemoTrafficReachesTheBroker() {
        sample.theDemoTrafficReachesTheBroker();
    }

    @Test
    void theSamplesOrdersCommitAndRollBackWithTheDatabaseThroughTheLocalTransactionFactory() throws Exception {
        sample.ordersCommitAndRollBackWithTheDatabase("LOCAL");
    }

    @Test
    void theSamplesOrdersCommitAndRollBackWithTheDatabaseThroughTheXaFactory() throws Exception {
        sample.ordersCommitAndRollBackWithTheDatabase("XA");
    }

    @Test
    void theSamplesCdiBeanSends() throws Exception {
        sample.aShipmentIsSentTheCdiWay();
    }
}
