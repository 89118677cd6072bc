package io.kafkara.it.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.kafkara.it.broker.KafkaCluster;

/**
 * The README's run command: a local Kafka broker, a WildFly with the sample EAR (adapter + EJB) deployed, the
 * sample publishing an order event per second through the adapter, and a plain consumer printing what arrives.
 * Runs until Ctrl-C, then stops the server and the broker.
 */
public final class RunSample {

    static final String TOPIC = "orders";
    private static final String JNDI_NAME = "java:/kafka/Sample";
    private static final String BRANCH_JOURNAL = "kafka-ra-branches";

    private RunSample() {
    }

    public static void main(String[] args) throws Exception {
        Path target = Path.of(required("run.target.dir"));
        Path wildflyHome = Path.of(required("jboss.home"));
        // The first offset from the configured one on at which every port of the server is free now.
        int portOffset = LocalWildFly.freePortOffset(Integer.parseInt(required("wildfly.port.offset")));
        Path ear = Path.of(required("sample.ear"));

        KafkaCluster kafka = KafkaCluster.builder().brokers(1).workDir(target.resolve("run/kafka")).start();
        createBranchJournal(kafka.bootstrapServers());
        String password = newPassword();
        LocalWildFly server = LocalWildFly.prepare(wildflyHome, target.resolve("run/wildfly"), portOffset);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping WildFly and Kafka...");
            server.stop();
            kafka.close();
        }, "run-sample-shutdown"));

        server.addManagementUser("admin", password);
        server.deploy(ear);
        // A stable node name, as the README's XA checklist asks of every server: the sample's transactional ids then
        // survive a new host name (and the adapter has no reason to warn about one taken from the host name).
        server.start(Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(), "sample.demo.topic", TOPIC,
                "jboss.node.name", "kafka-ra-sample"));
        server.awaitDeployed(ear.getFileName().toString(), Duration.ofMinutes(3));

        System.out.printf("%n"
                + "  Kafka broker      %s%n"
                + "  WildFly console   http://127.0.0.1:%d/console/index.html   (user admin, password %s)%n"
                + "  WildFly CLI       %s --connect --controller=127.0.0.1:%d --user=admin --password=%s%n"
                + "  Connection factory %s (sample EAR %s)%n"
                + "  Server log        %s%n"
                + "  The sample EJB publishes one order event per second to topic '%s'; they are printed below.%n"
                + "  Press Ctrl-C to stop everything.%n%n",
                kafka.bootstrapServers(), 9990 + portOffset, password,
                wildflyHome.toAbsolutePath().resolve("bin/jboss-cli.sh"), 9990 + portOffset, password, JNDI_NAME,
                ear.getFileName(),
                server.logFile(), TOPIC);
        printArrivingRecords(kafka.bootstrapServers(), server);
    }

    private static void printArrivingRecords(String bootstrapServers, LocalWildFly server) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "run-sample-printer",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(TOPIC));
            while (server.isRunning()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
                    System.out.printf("  received %s-%d@%d  %s = %s%n", record.topic(), record.partition(),
                            record.offset(), record.key(), record.value());
                }
            }
        }
        System.out.println("WildFly stopped.");
    }

    /** The XA definition of the sample journals its prepared branches here (see README, Transactions). */
    private static void createBranchJournal(String bootstrapServers) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(BRANCH_JOURNAL, 1, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();
        }
    }

    /** A fresh password per run, meeting WildFly's add-user rules (letters, digits and a symbol). */
    private static String newPassword() {
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder("Kr-");
        for (int i = 0; i < 12; i++) {
            password.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return password.append('7').toString();
    }

    private static String required(String property) throws IOException {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IOException("System property " + property + " is not set: start this through the README's run command");
        }
        return value;
    }

    public static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
