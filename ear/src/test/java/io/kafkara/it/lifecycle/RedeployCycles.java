package io.kafkara.it.lifecycle;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.FileInputStream;
import java.net.URL;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.standalone.ServerDeploymentHelper;

import io.kafkara.it.broker.SharedKafka;

/**
 * Undeploys and redeploys one archive that holds the adapter, cycle after cycle, while a {@link SendingClient}
 * keeps publishing through it; after every undeploy the server must hold no engine thread or MBean of the old
 * deployment; at the end Kafka must hold every record it acknowledged, and no more than
 * {@value RetainedLoaderBound#MAX_RETAINED} of the undeployed adapters' class loaders may stay reachable, each only
 * through the server's own holders ({@link ServerHolders}).
 */
final class RedeployCycles {

    static final int CYCLES = 5;
    /** Acknowledgements each new deployment must give before it is undeployed: the client really went through it. */
    private static final int ACKS_PER_DEPLOYMENT = 50;
    private static final Duration DEPLOYED_WAIT = Duration.ofSeconds(60);
    /** Long enough for the server to finish releasing an undeployed adapter; a real leak never goes away. */
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(30);

    private static final long POLL_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final ManagementClient management;
    private final URL probe;
    private final File archive;
    private final String jndiName;
    /** The client run: its topic, and the key under which the probe tracks the adapter loaders it published through. */
    private final String run;

    RedeployCycles(ManagementClient management, URL probe, File archive, String jndiName) {
        if (!archive.isFile()) {
            throw new IllegalStateException("The archive to redeploy was not built: " + archive.getAbsolutePath());
        }
        this.management = management;
        this.probe = probe;
        this.archive = archive;
        this.jndiName = jndiName;
        this.run = "lifecycle-" + archive.getName().replace('.', '-') + "-" + UUID.randomUUID();
    }

    String runtimeName() {
        return archive.getName();
    }

    void run() throws Exception {
        createTopic(run);
        long started = System.nanoTime();
        Set<String> acknowledged;
        SendingClient client = new SendingClient(probe, jndiName, run);
        try {
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                runCycle(cycle, client);
            }
        } finally {
            client.close();
        }
        acknowledged = client.acknowledgedIds();
        log("%d cycles of %s in %d ms: client sent %d, Kafka acknowledged %d, refused %d %s", CYCLES, runtimeName(),
                Duration.ofNanos(System.nanoTime() - started).toMillis(), client.sentCount(), acknowledged.size(),
                client.refusedCount(), client.refusals());
        assertEveryAcknowledgedRecordIsInKafka(run, acknowledged);
        new RetainedLoaderBound(probe, run, archive.getParentFile()).assertHeld(CYCLES);
    }

    private void runCycle(int cycle, SendingClient client) throws Exception {
        long deployStart = System.nanoTime();
        deployment().deploy(runtimeName(), new FileInputStream(archive));
        int acksAtDeploy = client.acknowledgedCount();
        awaitAcknowledgements(client, acksAtDeploy + ACKS_PER_DEPLOYMENT, cycle);
        ServerInspection live = ServerInspection.read(probe, run);
        Set<String> clientIds = live.clientIds();
        assertFalse(clientIds.isEmpty(), "cycle " + cycle + ": no engine MBean while deployed: " + live);
        assertFalse(live.engineThreads().isEmpty(), "cycle " + cycle + ": no sender loop while deployed: " + live);

        long undeployStart = System.nanoTime();
        deployment().undeploy(runtimeName());
        long undeployMs = Duration.ofNanos(System.nanoTime() - undeployStart).toMillis();
        ServerInspection released = awaitReleased(cycle, clientIds);
        log("cycle %d: deployed, %d acks through it, undeployed in %d ms, released after %d ms in total (engines %s, "
                + "%d adapter copies loaded, %d of this run's %d adapter loaders reachable)", cycle,
                client.acknowledgedCount() - acksAtDeploy, undeployMs,
                Duration.ofNanos(System.nanoTime() - deployStart).toMillis(), clientIds, released.adapterClasses(),
                released.reachableLoaders().size(), released.trackedLoaders());
        assertTrue(released.engineThreads().isEmpty(), "cycle " + cycle + ": threads of the old deployment");
    }

    private ServerDeploymentHelper deployment() {
        return new ServerDeploymentHelper(management.getControllerClient());
    }

    private static void awaitAcknowledgements(SendingClient client, int target, int cycle) {
        long deadline = System.nanoTime() + DEPLOYED_WAIT.toNanos();
        while (client.acknowledgedCount() < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("cycle " + cycle + ": the client got " + client.acknowledgedCount()
                        + " acknowledgements, expected " + target + " within " + DEPLOYED_WAIT.toSeconds()
                        + " s of the deployment; refusals: " + client.refusals());
            }
            LockSupport.parkNanos(POLL_INTERVAL_NANOS);
        }
    }

    /**
     * Polls until no engine thread and no MBean of the old engines is left; fails with the last reading after
     * {@link #RELEASE_WAIT}.
     */
    private ServerInspection awaitReleased(int cycle, Set<String> oldClientIds) throws Exception {
        long deadline = System.nanoTime() + RELEASE_WAIT.toNanos();
        ServerInspection reading;
        do {
            reading = ServerInspection.read(probe, run);
            if (reading.engineThreads().isEmpty() && reading.mbeansOf(oldClientIds).isEmpty()
                    && reading.adapterMBeans().isEmpty()) {
                return reading;
            }
            LockSupport.parkNanos(POLL_INTERVAL_NANOS);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("cycle " + cycle + ": " + RELEASE_WAIT.toSeconds() + " s after undeploying "
                + runtimeName() + " the server still holds engine threads " + reading.engineThreads()
                + ", MBeans of the old engines " + reading.mbeansOf(oldClientIds) + " and adapter MBeans "
                + reading.adapterMBeans() + " (expected none)");
    }

    private static void createTopic(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
    }

    private static void assertEveryAcknowledgedRecordIsInKafka(String topic, Set<String> acknowledged) {
        Set<String> missing = new HashSet<>(acknowledged);
        int read = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "verify-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!missing.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    missing.remove(record.value());
                    read++;
                }
            }
        }
        log("read back %d records of topic %s; %d acknowledged ids missing", read, topic, missing.size());
        assertTrue(missing.isEmpty(), missing.size() + " of " + acknowledged.size()
                + " acknowledged records are not in Kafka, e.g. ids " + missing.stream().limit(20).toList());
    }

    private static String bootstrapServers() {
        return SharedKafka.get().bootstrapServers();
    }

    private static void log(String format, Object... args) {
        System.out.printf("[lifecycle] " + format + "%n", args);
    }

    /** Undeploys the archive if a failed test left it deployed, so that later test classes start clean. */
    void undeployIfDeployed() {
        try {
            deployment().undeploy(runtimeName());
        } catch (Exception e) {
            // Not deployed: nothing to clean up.
        }
    }
}
