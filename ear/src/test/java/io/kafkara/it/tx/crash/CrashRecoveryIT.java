package io.kafkara.it.tx.crash;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.kafkara.it.SampleDeployment;
import io.kafkara.it.Topics;
import io.kafkara.it.broker.SharedKafka;
import io.kafkara.it.run.LocalWildFly;
import io.kafkara.it.tx.BranchJournalSetup;
import io.kafkara.it.tx.NoOpXAResource;

/**
 * Crash recovery in a real server: a WildFly of its own (port offset of the run + 100) is halted, like kill -9,
 * after the adapter prepared an XA branch and before it committed it; restarted with the same node name and
 * transaction log, Narayana's periodic recovery asks the adapter for its in-doubt branches and commits the branch
 * through the transaction coordinator: the records become visible to read_committed readers, exactly once.
 */
class CrashRecoveryIT {

    private static final String EAR = "kafka-ra-sample.ear";
    private static final String NODE = "crash-node";
    private static final String DEFINITION = """
            <connection-definition class-name="io.kafkara.spi.KafkaManagedConnectionFactory"
                                   jndi-name="java:/kafka/CrashXA" pool-name="KafkaCrashXA">
              <config-property name="bootstrapServers">${kafka.bootstrap.servers}</config-property>
              <config-property name="keySerializer">org.apache.kafka.common.serialization.StringSerializer</config-property>
              <config-property name="valueSerializer">org.apache.kafka.common.serialization.StringSerializer</config-property>
              <config-property name="clientIdPrefix">crash-xa</config-property>
              <config-property name="transactionSupportLevel">XATransaction</config-property>
              <config-property name="transactionalIdPrefix">crash-xa</config-property>
              <config-property name="transactionalIdNode">crash-node</config-property>
              <config-property name="branchJournalTopic">kafka-ra-branches</config-property>
              <config-property name="transactionTimeoutMs">300000</config-property>
              <xa-pool><max-pool-size>2</max-pool-size></xa-pool>
              <recovery><recover-credential><user-name>recovery</user-name><password>recovery</password></recover-credential></recovery>
            </connection-definition>
            """;

    private LocalWildFly server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void aBranchPreparedBeforeTheServerDiedIsCommittedExactlyOnceAfterRestart() throws Exception {
        String bootstrap = SharedKafka.get().bootstrapServers();
        String topic = "crash-" + UUID.randomUUID();
        String order = "order-" + UUID.randomUUID();
        Topics.create(bootstrap, topic, 1);
        BranchJournalSetup.createJournal(bootstrap);
        Path work = Path.of(System.getProperty("kafka.test.work.dir", "target/kafka")).getParent().resolve("crash");
        Files.createDirectories(work);
        Path ear = work.resolve(EAR);
        crashDeployment().as(ZipExporter.class).exportTo(ear.toFile(), true);
        int offset = Integer.parseInt(System.getProperty("wildfly.port.offset")) + 100;
        Map<String, String> properties = Map.of("kafka.bootstrap.servers", bootstrap, "jboss.node.name", NODE,
                "RecoveryEnvironmentBean.periodicRecoveryPeriod", "5",
                "RecoveryEnvironmentBean.recoveryBackoffPeriod", "1");

        server = LocalWildFly.prepare(Path.of(System.getProperty("jboss.home")), work.resolve("wildfly"), offset);
        server.deploy(ear);
        server.start(properties);
        server.awaitDeployed(EAR, Duration.ofMinutes(2));
        int journalBefore = journal(bootstrap).size();

        crashDuringCommit(8080 + offset, topic, order);
        awaitStopped();
        assertEquals(List.of(), committed(bootstrap, topic, 0), "prepared, not committed: invisible");
        assertEquals(3, endOffset(bootstrap, topic), "the three records were written before the crash");
        assertEquals(journalBefore + 1, journal(bootstrap).size(), "the prepared branch is journaled");

        Files.deleteIfExists(work.resolve("wildfly/deployments/" + EAR + ".deployed"));
        server.start(properties);
        server.awaitDeployed(EAR, Duration.ofMinutes(2));

        List<String> values = committed(bootstrap, topic, 3);
        assertEquals(List.of(order + "/1", order + "/2", order + "/3"), values, "committed once by recovery");
        List<ConsumerRecord<byte[], byte[]>> journal = awaitJournal(bootstrap, journalBefore + 2);
        assertTrue(journal.get(journal.size() - 1).value() == null, "recovery removed the branch: " + journal);
        assertEquals(values, committed(bootstrap, topic, 3), "still exactly three records");
    }

    private static EnterpriseArchive crashDeployment() {
        EnterpriseArchive ear = SampleDeployment.withExtraDefinitions(DEFINITION);
        return ear.addAsModule(ShrinkWrap.create(WebArchive.class, "crash.war")
                .addClasses(CrashServlet.class, HaltingResource.class, NoOpXAResource.class));
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

    private void awaitStopped() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (server.isRunning()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("The server did not die within 60 s; see " + server.logFile());
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /** The committed values of the topic, once at least {@code expected} are there (at most 120 s). */
    private static List<String> committed(String bootstrap, String topic, int expected) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            do {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Within 120 s only " + values + " were committed on " + topic);
                }
            } while (values.size() < expected
                    || consumer.position(partition) < consumer.endOffsets(List.of(partition)).get(partition));
            return values;
        }
    }

    private static long endOffset(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = journalConsumer(bootstrap)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            return consumer.endOffsets(List.of(partition)).get(partition);
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> awaitJournal(String bootstrap, int size)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        List<ConsumerRecord<byte[], byte[]>> journal = journal(bootstrap);
        while (journal.size() < size) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Recovery did not complete the branch within 120 s: " + journal.size()
                        + " journal records");
            }
            TimeUnit.MILLISECONDS.sleep(500);
            journal = journal(bootstrap);
        }
        return journal;
    }

    private static List<ConsumerRecord<byte[], byte[]>> journal(String bootstrap) {
        try (KafkaConsumer<byte[], byte[]> consumer = journalConsumer(bootstrap)) {
            TopicPartition partition = new TopicPartition(BranchJournalSetup.TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
            return read;
        }
    }

    private static KafkaConsumer<byte[], byte[]> journalConsumer(String bootstrap) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
    }
}
