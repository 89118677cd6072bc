package io.kafkara.it.broker;

import io.kafkara.it.broker.ReadinessProbe.NodeExitedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka 4.3.1 KRaft cluster of one or three nodes, each in its own JVM on 127.0.0.1, so a
 * test can stop, kill -9 and restart single nodes. Every node is broker and controller at once.
 *
 * <pre>{@code
 * try (KafkaCluster kafka = KafkaCluster.builder()
 *         .brokers(3)
 *         .brokerProperty("transaction.max.timeout.ms", "60000")
 *         .start()) {
 *     producerConfig.put("bootstrap.servers", kafka.bootstrapServers());
 *     kafka.kill(1);      // SIGKILL, like a crashed machine
 *     kafka.restart(1);   // same ports and data, returns once the node is back
 * }
 * }</pre>
 *
 * <p>No node outlives the JVM that started it: {@link #close()} kills them, a shutdown hook kills
 * them if the JVM exits first, and {@link ParentWatchdogMain} halts them if this JVM is killed.
 * Logs and data stay under {@code <work dir>/cluster-<n>/<node id>/} for debugging.
 */
public final class KafkaCluster implements AutoCloseable {

    /** Root of all cluster directories; failsafe sets it to {@code ear/target/kafka}. */
    public static final String WORK_DIR_PROPERTY = "kafka.test.work.dir";

    private static final System.Logger LOG = System.getLogger(KafkaCluster.class.getName());
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    /** Tries of a whole start when another process took one of our ports before a node bound it. */
    private static final int START_ATTEMPTS = 3;

    private final Path directory;
    private final List<KafkaNode> nodes;
    private final Duration readyTimeout;
    private final Map<String, String> clientProperties;
    private final ClusterTls tls;
    private final Thread reaper = new Thread(this::killAll, "kafka-cluster-reaper");
    private boolean closed;

    private KafkaCluster(Path directory, List<KafkaNode> nodes, Duration readyTimeout, Map<String, String> clientProperties,
            ClusterTls tls) {
        this.directory = directory;
        this.nodes = nodes;
        this.readyTimeout = readyTimeout;
        this.clientProperties = clientProperties;
        this.tls = tls;
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Starts {@code brokers} nodes (1 or 3) with the default settings and waits until all are ready. */
    public static KafkaCluster start(int brokers) {
        return builder().brokers(brokers).start();
    }

    public static KafkaClusterBuilder builder() {
        return new KafkaClusterBuilder();
    }

    /** The {@code bootstrap.servers} value that names every node. */
    public String bootstrapServers() {
        return nodes.stream().map(node -> node.config().brokerEndpoint()).collect(Collectors.joining(","));
    }

    /**
     * What a client needs besides {@link #bootstrapServers()}: nothing for a plain cluster, the admin user's
     * {@code security.protocol}, {@code sasl.mechanism} and {@code sasl.jaas.config} for a SASL one, the client's
     * {@code ssl.*} stores and passwords for a TLS one.
     */
    public Map<String, String> clientProperties() {
        return clientProperties;
    }

    /** The CA, stores and passwords of a cluster built with {@link KafkaClusterBuilder#tls()}. */
    public ClusterTls tls() {
        if (tls == null) {
            throw new IllegalStateException("The Kafka cluster in " + directory + " was not built with tls()");
        }
        return tls;
    }

    /** The number of nodes; their ids are {@code 0} to {@code size() - 1}. */
    public int size() {
        return nodes.size();
    }

    /** The cluster's directory: one sub-directory per node with server.properties, server.log and data. */
    public Path directory() {
        return directory;
    }

    public Path logFile(int node) {
        return node(node).config().logFile();
    }

    /** The pid of the node's current or last JVM. */
    public long pid(int node) {
        return node(node).pid();
    }

    /** How the node's last JVM ended (143: SIGTERM with shutdown hooks run, 137: SIGKILL), for tests. */
    int exitValue(int node) {
        return node(node).exitValue();
    }

    public boolean isRunning(int node) {
        return node(node).isAlive();
    }

    /** Every node's JVM and its descendants as of now, for tests that prove nothing is left behind. */
    List<ProcessHandle> processes() {
        return nodes.stream().flatMap(node -> node.processTree().stream()).toList();
    }

    /** Graceful stop (SIGTERM, controlled shutdown); kills the node if it takes longer than 15 s. */
    public synchronized void stop(int node) {
        checkOpen();
        node(node).stop(STOP_GRACE);
    }

    /** SIGKILL for the node's JVM and its descendants; returns once they are gone. */
    public synchronized void kill(int node) {
        checkOpen();
        node(node).kill();
    }

    /**
     * Stops the node if it runs, starts it again with the same ports and data, and returns once the
     * node answers and the cluster lists it and every other running node as brokers.
     */
    public synchronized void restart(int node) {
        checkOpen();
        KafkaNode restarted = node(node);
        restarted.stop(STOP_GRACE);
        Set<Integer> expected = nodes.stream().filter(n -> n == restarted || n.isAlive())
                .map(KafkaNode::id).collect(Collectors.toCollection(TreeSet::new));
        long started = System.nanoTime();
        try {
            restarted.launch();
            ReadinessProbe.awaitBrokers(restarted.config().brokerEndpoint(), clientProperties, expected, readyTimeout, List.of(restarted));
            LOG.log(System.Logger.Level.INFO, "Restarted {0} in {1} ms", restarted.describe(), (System.nanoTime() - started) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot restart " + restarted.describe(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while restarting " + restarted.describe(), e);
        }
    }

    /**
     * Kills every node (SIGKILL) and keeps the files. Idempotent. Not a graceful stop: the data is
     * thrown away anyway, and stopping all nodes of a 3-node cluster at once loses the controller
     * quorum midway, so the last node's controlled shutdown waits for a quorum that never returns.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the reaper hook kills the nodes.
        }
        killAll();
    }

    static KafkaCluster launch(KafkaClusterBuilder settings) {
        for (int attempt = 1; ; attempt++) {
            Path directory = newClusterDirectory(settings.workDir());
            try {
                return startOnce(directory, settings);
            } catch (NodeExitedException e) {
                NodeConfig failed = e.node().config();
                boolean portRace = !FreePorts.isFree(failed.brokerPort()) || !FreePorts.isFree(failed.controllerPort());
                if (!portRace || attempt == START_ATTEMPTS) {
                    throw e;
                }
                LOG.log(System.Logger.Level.INFO, "Another process took a port of {0} before it could bind it; starting over "
                        + "with new ports (attempt {1} of {2})", e.node().describe(), attempt + 1, START_ATTEMPTS);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start a Kafka cluster in " + directory, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while starting a Kafka cluster in " + directory, e);
            }
        }
    }

    private static KafkaCluster startOnce(Path directory, KafkaClusterBuilder settings) throws IOException, InterruptedException {
        long started = System.nanoTime();
        List<NodeConfig> configs = allocate(directory, settings.brokers());
        ClusterTls tls = settings.tlsMaterial(directory);
        Map<String, String> clusterSettings = settings.serverSettings(tls);
        ChildJvm jvm = new ChildJvm(settings.classpath(), settings.jvmOptions(BrokerLogging.write(directory)));
        List<KafkaNode> nodes = new ArrayList<>();
        for (NodeConfig config : configs) {
            ServerProperties.write(config, ServerProperties.forNode(config, configs, clusterSettings, settings.clientProtocol()));
            nodes.add(new KafkaNode(config, jvm));
        }
        // The stores are made while the storage tools run: both are JVM starts, and the nodes need both.
        format(nodes, configs, tls == null ? () -> { } : tls::generate);

        KafkaCluster cluster = new KafkaCluster(directory, List.copyOf(nodes), settings.readyTimeout(),
                settings.clientSettings(tls), tls);
        try {
            for (KafkaNode node : nodes) {
                node.launch();
            }
            Set<Integer> ids = configs.stream().map(NodeConfig::id).collect(Collectors.toSet());
            ReadinessProbe.awaitBrokers(cluster.bootstrapServers(), cluster.clientProperties, ids, settings.readyTimeout(), nodes);
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, "Started a {0}-node Kafka cluster in {1} ms, bootstrap.servers={2}, files in {3}",
                nodes.size(), (System.nanoTime() - started) / 1_000_000, cluster.bootstrapServers(), directory);
        return cluster;
    }

    /** {@code meanwhile}: work to do while the storage tools run. */
    private static void format(List<KafkaNode> nodes, List<NodeConfig> configs, Runnable meanwhile)
            throws IOException, InterruptedException {
        String clusterId = Uuid.randomUuid().toString();
        List<Process> formats = new ArrayList<>();
        for (KafkaNode node : nodes) {
            formats.add(node.startFormat(clusterId, ServerProperties.formatOptions(configs)));
        }
        try {
            meanwhile.run();
            for (int i = 0; i < nodes.size(); i++) {
                nodes.get(i).awaitFormat(formats.get(i), FORMAT_TIMEOUT);
            }
        } finally {
            // After a failure the other nodes' tools may still run; they format nothing we keep.
            formats.forEach(Process::destroyForcibly);
        }
    }

    private static List<NodeConfig> allocate(Path directory, int brokers) {
        List<Integer> ports = FreePorts.reserve(2 * brokers);
        return IntStream.range(0, brokers)
                .mapToObj(id -> new NodeConfig(id, ports.get(2 * id), ports.get(2 * id + 1), directory.resolve(Integer.toString(id))))
                .toList();
    }

    /** {@code cluster-1}, {@code cluster-2}, ...: created atomically, so parallel JVMs never share one. */
    private static Path newClusterDirectory(Path workDir) {
        try {
            Files.createDirectories(workDir);
            for (int n = 1; ; n++) {
                try {
                    return Files.createDirectory(workDir.resolve("cluster-" + n));
                } catch (FileAlreadyExistsException e) {
                    // Taken by an earlier cluster; its logs stay for debugging.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a cluster directory under " + workDir
                    + " (system property " + WORK_DIR_PROPERTY + ")", e);
        }
    }

    private void killAll() {
        for (KafkaNode node : nodes) {
            try {
                node.kill();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "Cannot kill " + node.describe(), e);
            }
        }
    }

    private KafkaNode node(int id) {
        if (id < 0 || id >= nodes.size()) {
            throw new IllegalArgumentException("No node " + id + ": this cluster has nodes 0 to " + (nodes.size() - 1));
        }
        return nodes.get(id);
    }

    private synchronized void checkOpen() {
        if (closed) {
            throw new IllegalStateException("The Kafka cluster in " + directory + " is closed; start a new one");
        }
    }
}
