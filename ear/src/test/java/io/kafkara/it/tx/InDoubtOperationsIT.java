package io.kafkara.it.tx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import io.kafkara.it.KafkaBrokerSetup;
import io.kafkara.it.SampleDeployment;
import io.kafkara.it.StrictArchiveValidation;
import io.kafkara.it.Topics;
import io.kafkara.it.broker.SharedKafka;
import io.kafkara.it.tx.ops.InDoubtServlet;
import io.kafkara.tx.BranchXid;
import io.kafkara.tx.TxAccess;

/**
 * An operator completes an in-doubt branch by hand, as a client of the server's remote JMX (management port): a JTA
 * transaction stops between prepare and commit (a resource enlisted first blocks in its commit), the adapter's
 * branch shows in the definition's InDoubtBranches MBean with its age, its records are invisible to read_committed
 * readers; the MBean's commit makes them visible exactly once and the branch is gone from the listing and the
 * journal. The definition's journal topic did not exist: the adapter created it, compacted. A branch nobody
 * completes is announced in the log before its transaction.timeout.ms, and the broker's abort then lets
 * read_committed readers move on.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@ServerSetup({StrictArchiveValidation.class, KafkaBrokerSetup.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InDoubtOperationsIT {

    /** A journal topic of this run only: the adapter must create it. */
    private static final String JOURNAL = "kafka-ra-ops-branches-" + UUID.randomUUID();
    private static final long TRANSACTION_TIMEOUT_MS = 300_000;
    private static final long SHORT_TIMEOUT_MS = 8_000;
    private static final String DEFINITION = """
            <connection-definition class-name="io.kafkara.spi.KafkaManagedConnectionFactory"
                                   jndi-name="java:/kafka/OpsXA" pool-name="KafkaOpsXA">
              <config-property name="bootstrapServers">${kafka.bootstrap.servers}</config-property>
              <config-property name="keySerializer">org.apache.kafka.common.serialization.StringSerializer</config-property>
              <config-property name="valueSerializer">org.apache.kafka.common.serialization.StringSerializer</config-property>
              <config-property name="clientIdPrefix">ops-xa</config-property>
              <config-property name="transactionSupportLevel">XATransaction</config-property>
              <config-property name="transactionalIdPrefix">ops-xa</config-property>
              <config-property name="branchJournalTopic">%s</config-property>
              <config-property name="transactionTimeoutMs">%d</config-property>
              <xa-pool><max-pool-size>2</max-pool-size></xa-pool>
              <recovery><recover-credential><user-name>recovery</user-name><password>recovery</password></recover-credential></recovery>
            </connection-definition>
            """.formatted(JOURNAL, TRANSACTION_TIMEOUT_MS);
    /** An XA definition whose prepared branches the broker aborts after 8 s. */
    private static final String SHORT_DEFINITION = DEFINITION.replace("OpsXA", "OpsShortXA")
            .replace(">ops-xa<", ">ops-short<").replace(">" + TRANSACTION_TIMEOUT_MS + "<", ">" + SHORT_TIMEOUT_MS + "<");

    @ArquillianResource
    private ManagementClient management;

    @Deployment(testable = false)
    static EnterpriseArchive sample() {
        EnterpriseArchive ear = SampleDeployment.withExtraDefinitions(DEFINITION + SHORT_DEFINITION);
        return ear.addAsModule(ShrinkWrap.create(WebArchive.class, "in-doubt.war")
                .addPackage(InDoubtServlet.class.getPackage()).addClass(NoOpXAResource.class));
    }

    @Test
    @Order(1)
    void anOperatorSeesTheInDoubtBranchWithItsAgeAndCommitsItByHandExactlyOnce() throws Exception {
        String bootstrap = SharedKafka.get().bootstrapServers();
        String topic = "in-doubt-" + UUID.randomUUID();
        String order = "order-" + UUID.randomUUID();
        Topics.create(bootstrap, topic, 1);
        HttpClient http = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> transaction = http.sendAsync(HttpRequest.newBuilder(
                webUri("prepare?definition=OpsXA&topic=" + topic + "&order=" + order)).timeout(Duration.ofMinutes(4)).build(),
                HttpResponse.BodyHandlers.ofString());
        try (JMXConnector connector = JMXConnectorFactory.connect(management.getRemoteJMXURL())) {
            MBeanServerConnection jmx = connector.getMBeanServerConnection();
            ObjectName branches = inDoubtBranchesOf(jmx, "ops-xa");

            CompositeData branch = awaitOneBranch(jmx, branches, transaction);
            String xid = (String) branch.get("xid");
            assertTrue(((String) branch.get("transactionalId")).startsWith("ops-xa-"), branch.toString());
            assertEquals(true, branch.get("heldByLiveEngine"), "the engine that prepared it still holds it");
            long age = (Long) branch.get("ageMs");
            long left = (Long) branch.get("timeLeftMs");
            assertTrue(age >= 0 && age < 120_000, "age " + age);
            assertTrue(left > 0 && left <= TRANSACTION_TIMEOUT_MS - age, "time left " + left + ", age " + age);
            assertEquals(List.of(), values(CommittedReader.readUntil(bootstrap, topic, read -> true)),
                    "prepared, not committed: read_committed readers see nothing");

            String outcome = (String) jmx.invoke(branches, "commit", new Object[] {xid},
                    new String[] {String.class.getName()});

            assertTrue(outcome.startsWith("Committed " + xid + " -> transactional id " + branch.get("transactionalId")),
                    outcome);
            assertEquals(List.of(order + "/1", order + "/2", order + "/3"), values(CommittedReader.readUntil(
                    bootstrap, topic, read -> read.size() >= 3)), "committed by hand: visible");
            assertEquals(0, jmx.getAttribute(branches, "BranchCount"), "no longer in doubt");
            assertArrayEquals(new String[0], (String[]) jmx.getAttribute(branches, "BranchSummaries"));
            assertNull(lastJournalValue(bootstrap, TxAccess.parseXid(xid)),
                    "the journal ends with the branch's tombstone");
        } finally {
            http.send(HttpRequest.newBuilder(webUri("release")).build(), HttpResponse.BodyHandlers.ofString());
        }
        // Narayana's own commit of the branch, after the operator's, finds nothing (XAER_NOTA): a heuristic for it.
        String transactionEnd = transaction.get(3, TimeUnit.MINUTES).body();
        assertTrue(transactionEnd.startsWith("jakarta.transaction.HeuristicMixedException"), transactionEnd);
        List<ConsumerRecord<String, String>> after = CommittedReader.readUntil(bootstrap, topic, read -> read.size() >= 3);
        assertEquals(List.of(order + "/1", order + "/2", order + "/3"), values(after), "still exactly once");
    }

    @Test
    @Order(2)
    void theAdapterCreatedTheMissingJournalTopicCompacted() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedKafka.get().bootstrapServers()))) {
            awaitTopic(admin);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, JOURNAL);
            Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
            assertEquals("compact", config.get("cleanup.policy").value());
            TopicDescription description = admin.describeTopics(List.of(JOURNAL)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(JOURNAL);
            assertEquals(1, description.partitions().size());
            assertEquals(1, description.partitions().get(0).replicas().size(), "min(3, brokers) with one broker");
        }
    }

    @Test
    @Order(3)
    void aForgottenBranchIsAnnouncedBeforeItsTimeoutAndTheBrokerThenUnblocksReadCommittedReaders() throws Exception {
        String bootstrap = SharedKafka.get().bootstrapServers();
        String topic = "in-doubt-short-" + UUID.randomUUID();
        Topics.create(bootstrap, topic, 1);
        HttpClient http = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> transaction = http.sendAsync(HttpRequest.newBuilder(
                webUri("prepare?definition=OpsShortXA&topic=" + topic + "&order=forgotten"))
                .timeout(Duration.ofMinutes(4)).build(), HttpResponse.BodyHandlers.ofString());
        try (JMXConnector connector = JMXConnectorFactory.connect(management.getRemoteJMXURL())) {
            MBeanServerConnection jmx = connector.getMBeanServerConnection();
            ObjectName branches = inDoubtBranchesOf(jmx, "ops-short");
            String xid = (String) awaitOneBranch(jmx, branches, transaction).get("xid");
            try {
                // Narayana's recovery scans every 5 s in these tests: one of them sees the branch past 80% of 8 s.
                String warning = awaitLogLine("KAFKARA-TX-010: in-doubt XA branch " + xid);
                assertTrue(warning.contains("transaction.timeout.ms=8000") && warning.contains("operations commit or "
                        + "rollback and this Xid on the MBean io.kafkara:type=InDoubtBranches,transactionalIdPrefix="
                        + "ops-short"), warning);
                // The broker aborts it after transaction.timeout.ms (checked every 10 s): the readers move on.
                awaitNoOpenTransaction(bootstrap, topic);
                assertEquals(List.of(), values(CommittedReader.readUntil(bootstrap, topic, read -> true)),
                        "aborted by the broker: never visible");
                CompositeData expired = ((CompositeData[]) jmx.getAttribute(branches, "Branches"))[0];
                assertEquals(0L, expired.get("timeLeftMs"), "still listed until someone completes it: " + expired);
            } finally {
                http.send(HttpRequest.newBuilder(webUri("release")).build(), HttpResponse.BodyHandlers.ofString());
                String end = transaction.get(3, TimeUnit.MINUTES).body();
                assertTrue(end.startsWith("jakarta.transaction.Heuristic"), "a commit after the broker's abort is "
                        + "a heuristic rollback: " + end);
                if ((Integer) jmx.getAttribute(branches, "BranchCount") > 0) {
                    jmx.invoke(branches, "rollback", new Object[] {xid}, new String[] {String.class.getName()});
                }
            }
        }
    }

    /** The first test used the journal, which made the adapter create it; the broker may still be propagating it. */
    private static void awaitTopic(Admin admin) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(JOURNAL)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("The journal topic " + JOURNAL + " does not exist 60 s after the definition's "
                        + "first XA transaction");
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    /** A line of the server's log that contains the text, within 60 s. */
    private String awaitLogLine(String text) throws Exception {
        ModelNode read = Operations.createOperation("read-log-file",
                Operations.createAddress("subsystem", "logging", "log-file", "server.log"));
        read.get("lines").set(2000);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            ModelNode result = management.getControllerClient().execute(read);
            for (ModelNode line : Operations.readResult(result).asList()) {
                if (line.asString().contains(text)) {
                    return line.asString();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("No log line with '" + text + "' within 60 s");
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }

    /** Until read_committed readers can read to the end of the topic (its last stable offset is its end). */
    private static void awaitNoOpenTransaction(String bootstrap, String topic) throws Exception {
        TopicPartition partition = new TopicPartition(topic, 0);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (KafkaConsumer<byte[], byte[]> committed = consumer(bootstrap, "read_committed");
             KafkaConsumer<byte[], byte[]> uncommitted = consumer(bootstrap, "read_uncommitted")) {
            while (committed.endOffsets(List.of(partition)).get(partition)
                    < uncommitted.endOffsets(List.of(partition)).get(partition)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("The transaction on " + topic + " still blocks read_committed readers "
                            + "60 s after its branch was listed");
                }
                TimeUnit.MILLISECONDS.sleep(500);
            }
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String isolation) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
    }

    private static ObjectName inDoubtBranchesOf(MBeanServerConnection jmx, String prefix) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        ObjectName pattern = new ObjectName("io.kafkara:type=InDoubtBranches,transactionalIdPrefix=" + prefix + ",*");
        Set<ObjectName> names = jmx.queryNames(pattern, null);
        while (names.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("No MBean " + pattern + " within 60 s; io.kafkara MBeans: "
                        + jmx.queryNames(new ObjectName("io.kafkara:*"), null));
            }
            TimeUnit.MILLISECONDS.sleep(200);
            names = jmx.queryNames(pattern, null);
        }
        assertEquals(1, names.size(), names.toString());
        return names.iterator().next();
    }

    private static CompositeData awaitOneBranch(MBeanServerConnection jmx, ObjectName name,
                                                CompletableFuture<HttpResponse<String>> transaction) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        CompositeData[] branches = (CompositeData[]) jmx.getAttribute(name, "Branches");
        while (branches.length == 0) {
            if (transaction.isDone()) {
                throw new AssertionError("The transaction ended without blocking: " + transaction.get().body());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("No in-doubt branch listed within 90 s");
            }
            TimeUnit.MILLISECONDS.sleep(200);
            branches = (CompositeData[]) jmx.getAttribute(name, "Branches");
        }
        assertEquals(1, branches.length, Arrays.toString(branches));
        return branches[0];
    }

    private static byte[] lastJournalValue(String bootstrap, BranchXid xid) {
        byte[] key = TxAccess.key(xid);
        byte[] last = null;
        boolean seen = false;
        for (ConsumerRecord<byte[], byte[]> record : CommittedReader.journal(bootstrap, JOURNAL)) {
            if (Arrays.equals(key, record.key())) {
                last = record.value();
                seen = true;
            }
        }
        assertTrue(seen, "the branch was journaled");
        return last;
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    private URI webUri(String path) {
        return management.getWebUri().resolve("/in-doubt/" + path);
    }
}
