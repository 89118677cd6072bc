package io.kafkara.it.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The launcher against real Kafka 4.3.1 node JVMs: data flows, a node dies and returns, nothing leaks. */
class KafkaClusterIT {

    private static final long TIMEOUT_SECONDS = 30;

    @Test
    void singleNodeCreatesTopicAndRoundTripsARecord() throws Exception {
        KafkaCluster kafka = SharedKafka.get();
        assertEquals(kafka, SharedKafka.get(), "SharedKafka must start one cluster per JVM");

        try (Admin admin = admin(kafka)) {
            admin.createTopics(List.of(new NewTopic("round-trip", 1, (short) 1))).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals(Set.of(0), brokerIds(admin), "a single-node cluster has broker 0 only");
        }
        try (KafkaProducer<String, String> producer = producer(kafka)) {
            producer.send(new ProducerRecord<>("round-trip", "key", "hello")).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        assertEquals(List.of("hello"), consumeAll(kafka, "round-trip", 1, 1));
    }

    @Test
    void threeNodesKeepAcceptingAcksAllWhileOneIsKilledAndLeaveNoProcessAfterClose() throws Exception {
        List<ProcessHandle> processes;
        KafkaCluster kafka = KafkaCluster.builder().brokers(3).start();
        try (Admin admin = admin(kafka);
                KafkaProducer<String, String> producer = producer(kafka)) {
            admin.createTopics(List.of(new NewTopic("replicated", 3, (short) 3))).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            send(producer, "replicated", 0, "before");
            // The worst victim: the leader of a partition we write to, so leadership has to move.
            int victim = admin.describeTopics(List.of("replicated")).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .get("replicated").partitions().get(0).leader().id();
            long victimPid = kafka.pid(victim);

            kafka.kill(victim);
            assertFalse(ProcessHandle.of(victimPid).map(ProcessHandle::isAlive).orElse(false), "node " + victim + " survived kill");

            // min.insync.replicas=2: the two remaining replicas of every partition are enough for acks=all.
            for (int partition = 0; partition < 3; partition++) {
                send(producer, "replicated", partition, "while-" + victim + "-down-" + partition);
            }

            kafka.restart(victim);
            assertTrue(kafka.isRunning(victim));
            assertEquals(Set.of(0, 1, 2), brokerIds(admin), "node " + victim + " must be registered again after restart");
            send(producer, "replicated", 1, "after");
            assertEquals(5, consumeAll(kafka, "replicated", 3, 5).size(), "every acknowledged record must be readable");

            processes = kafka.processes();
            assertEquals(3, processes.size(), "one JVM per node and no other process: " + processes);
        } finally {
            kafka.close();
        }
        List<ProcessHandle> alive = processes.stream().filter(ProcessHandle::isAlive).toList();
        assertEquals(List.of(), alive, "processes of the cluster still alive after close()");
    }

    @Test
    void stopIsGracefulRestartKeepsThePortsAndCloseIsFinal() throws Exception {
        KafkaCluster kafka = KafkaCluster.start(1);
        long firstPid;
        try {
            String bootstrapServers = kafka.bootstrapServers();
            firstPid = kafka.pid(0);

            kafka.stop(0);
            assertFalse(kafka.isRunning(0));
            // 143 = ended by SIGTERM after its shutdown hooks ran; not the watchdog's halt (1), not SIGKILL (137).
            assertEquals(143, kafka.exitValue(0), "stop() must let the broker shut down by itself");

            kafka.restart(0);
            assertNotEquals(firstPid, kafka.pid(0), "restart must start a new JVM");
            assertEquals(bootstrapServers, kafka.bootstrapServers());
            try (Admin admin = admin(kafka)) {
                assertEquals(Set.of(0), brokerIds(admin), "the restarted node must answer on its old port");
            }
        } finally {
            kafka.close();
        }
        long lastPid = kafka.pid(0);
        kafka.close();
        assertFalse(ProcessHandle.of(lastPid).map(ProcessHandle::isAlive).orElse(false), "node 0 alive after close()");
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> kafka.restart(0));
        assertTrue(refused.getMessage().contains("closed"), refused.getMessage());
    }

    @Test
    void invalidBrokerPropertyFailsTheStartWithTheToolsOutput() {
        KafkaClusterBuilder builder = KafkaCluster.builder().brokerProperty("num.partitions", "many");

        IllegalStateException failure = assertThrows(IllegalStateException.class, builder::start);

        assertTrue(failure.getMessage().contains("Formatting the storage of node 0 failed"), failure.getMessage());
        assertTrue(failure.getMessage().contains("Invalid value many for configuration num.partitions"), failure.getMessage());
    }

    @Test
    void nodeHaltsWhenTheJvmThatStartedItIsKilled() throws Exception {
        Path stderr = Files.createTempFile("kafka-cluster-main", ".log");
        ChildJvm jvm = new ChildJvm(ChildJvm.defaultClasspath(), forwardedProperties());
        Process parent = jvm.command(KafkaClusterMain.class.getName(), List.of("1"))
                .redirectError(stderr.toFile())
                .start();
        try {
            Map<String, String> printed = readUntilPid(parent, stderr);
            long brokerPid = Long.parseLong(printed.get("node 0 pid"));
            ProcessHandle broker = ProcessHandle.of(brokerPid).orElseThrow(() -> new AssertionError("no broker pid " + brokerPid));

            // SIGKILL: the parent's shutdown hook cannot run; only the broker's stdin watchdog can react.
            parent.destroyForcibly();
            try {
                broker.onExit().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                broker.destroyForcibly();
                fail("broker pid " + brokerPid + " outlived its killed parent by " + TIMEOUT_SECONDS + " s");
            }
            String log = Files.readString(Path.of(printed.get("directory"), "0", "server.log"));
            assertTrue(log.contains("ParentWatchdogMain: stdin closed"), "the watchdog, not something else, must stop the broker");
        } finally {
            parent.destroyForcibly();
        }
    }

    /** Lines "key=value" and "node 0 pid N" from KafkaClusterMain, until the pid line. */
    private static Map<String, String> readUntilPid(Process parent, Path stderr) throws Exception {
        CompletableFuture<Map<String, String>> lines = CompletableFuture.supplyAsync(() -> {
            Map<String, String> values = new HashMap<>();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith("node 0 pid ")) {
                        values.put("node 0 pid", line.substring("node 0 pid ".length()));
                        return values;
                    }
                    int equals = line.indexOf('=');
                    if (equals > 0) {
                        values.put(line.substring(0, equals), line.substring(equals + 1));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("KafkaClusterMain ended before printing the pid of node 0");
        });
        try {
            return lines.get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("KafkaClusterMain did not start a node; its stderr:\n" + LogTail.of(stderr, 40), e);
        }
    }

    private static List<String> forwardedProperties() {
        List<String> options = new ArrayList<>();
        for (String name : List.of(ChildJvm.CLASSPATH_FILE_PROPERTY, KafkaCluster.WORK_DIR_PROPERTY)) {
            String value = System.getProperty(name);
            if (value != null) {
                options.add("-D" + name + "=" + value);
            }
        }
        return options;
    }

    private static Admin admin(KafkaCluster kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    private static Set<Integer> brokerIds(Admin admin) throws Exception {
        return admin.describeCluster().nodes().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).stream()
                .map(Node::id).collect(Collectors.toCollection(TreeSet::new));
    }

    private static KafkaProducer<String, String> producer(KafkaCluster kafka) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static void send(KafkaProducer<String, String> producer, String topic, int partition, String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, partition, null, value)).get(TIMEOUT_SECONDS + 5, TimeUnit.SECONDS);
    }

    /** Reads the topic from the start until {@code expected} records arrived, in at most 30 polls. */
    private static List<String> consumeAll(KafkaCluster kafka, String topic, int partitions, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> assigned = new ArrayList<>();
            for (int partition = 0; partition < partitions; partition++) {
                assigned.add(new TopicPartition(topic, partition));
            }
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            for (int poll = 0; poll < 30 && values.size() < expected; poll++) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
                    values.add(record.value());
                }
            }
        }
        assertEquals(expected, values.size(), "records read back from " + topic + ": " + values);
        return values;
    }
}
