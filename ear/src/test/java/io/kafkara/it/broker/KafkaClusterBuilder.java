package io.kafkara.it.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of a {@link KafkaCluster} before it starts.
 *
 * <pre>{@code
 * // Brokers that keep prepared transactions until the client ends them (two-phase commit mode).
 * KafkaCluster kafka = KafkaCluster.builder()
 *         .brokers(1)
 *         .twoPhaseCommit()
 *         .start();
 *
 * // A client listener that requires SASL/PLAIN; clients add secured.clientProperties() (the admin user's).
 * KafkaCluster secured = KafkaCluster.builder()
 *         .saslPlain("admin", "admin-secret", Map.of("app", "app-secret"))
 *         .start();
 *
 * // A client listener that requires TLS with a client certificate; tls.tls() has the stores and passwords.
 * KafkaCluster tls = KafkaCluster.builder().tls().start();
 * }</pre>
 */
public final class KafkaClusterBuilder {

    /** Written by the launcher from ports, ids and directories; a caller's value would break it. */
    private static final Set<String> MANAGED = Set.of("node.id", "process.roles", "listeners",
            "advertised.listeners", "controller.listener.names", "listener.security.protocol.map", "log.dirs",
            "metadata.log.dir", "controller.quorum.voters", "controller.quorum.bootstrap.servers");

    /** Half of Kafka's own script default (1 GB): three test nodes share a small machine. */
    private static final String HEAP = "-Xmx512m";

    private int brokers = 1;
    private final Map<String, String> brokerProperties = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private Path workDir;
    private String classpath;
    private Duration readyTimeout = Duration.ofSeconds(60);
    private SaslPlain sasl;
    private boolean tls;

    KafkaClusterBuilder() {
    }

    /** 1 (a plain broker) or 3 (a quorum and replication that survive the loss of one node). */
    public KafkaClusterBuilder brokers(int count) {
        if (count != 1 && count != 3) {
            throw new IllegalArgumentException("brokers must be 1 or 3, was " + count
                    + ": 1 for a plain broker, 3 for fault tests (one node may fail)");
        }
        this.brokers = count;
        return this;
    }

    /** A server.properties entry for every node; overrides the launcher's size-dependent defaults. */
    public KafkaClusterBuilder brokerProperty(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value of " + key);
        if (MANAGED.contains(key)) {
            throw new IllegalArgumentException("Broker property " + key + " is set by KafkaCluster from its ports, "
                    + "node ids and directories and cannot be overridden");
        }
        brokerProperties.put(key, value);
        return this;
    }

    /**
     * Brokers that accept InitProducerId v6 with enable2Pc: {@code transaction.two.phase.commit.enable=true}, and
     * {@code unstable.api.versions.enable=true} because v6 is still unstable in Kafka 4.3.1.
     */
    public KafkaClusterBuilder twoPhaseCommit() {
        brokerProperty("transaction.two.phase.commit.enable", "true");
        return brokerProperty("unstable.api.versions.enable", "true");
    }

    /**
     * Requires SASL/PLAIN on the client listener. The broker accepts {@code adminUser} and every entry of
     * {@code users} (name to password); the launcher and {@link KafkaCluster#clientProperties()} use the admin.
     */
    public KafkaClusterBuilder saslPlain(String adminUser, String adminPassword, Map<String, String> users) {
        rejectSaslWithTls(tls);
        this.sasl = new SaslPlain(adminUser, adminPassword, Objects.requireNonNull(users, "users"));
        return this;
    }

    /**
     * Requires TLS with a client certificate on the client listener ({@code ssl.client.auth=required}): the
     * launcher generates a CA and PKCS12 stores with random passwords in the cluster's directory (see
     * {@link ClusterTls}); {@link KafkaCluster#clientProperties()} then holds the client's SSL settings.
     */
    public KafkaClusterBuilder tls() {
        rejectSaslWithTls(sasl != null);
        this.tls = true;
        return this;
    }

    /** SASL_SSL would need the JAAS and the TLS settings merged per listener; no test needs it yet. */
    private static void rejectSaslWithTls(boolean both) {
        if (both) {
            throw new IllegalArgumentException("saslPlain(...) and tls() cannot be combined: the launcher offers "
                    + "SASL_PLAINTEXT or SSL on the client listener, not SASL_SSL");
        }
    }

    /** An extra option for every node's JVM, e.g. {@code -Xmx1g} (the last heap option wins). */
    public KafkaClusterBuilder jvmOption(String option) {
        jvmOptions.add(Objects.requireNonNull(option, "option"));
        return this;
    }

    /** Where cluster directories go; default: system property {@code kafka.test.work.dir}, else {@code target/kafka}. */
    public KafkaClusterBuilder workDir(Path directory) {
        this.workDir = Objects.requireNonNull(directory, "directory");
        return this;
    }

    /**
     * The classpath of the node JVMs (Kafka's server jars plus this class's location); default: the
     * file named by system property {@code kafka.test.classpath.file}, else this JVM's classpath.
     */
    public KafkaClusterBuilder classpath(String value) {
        this.classpath = Objects.requireNonNull(value, "value");
        return this;
    }

    /** The deadline for all nodes to register, and for a restarted node; default 60 s. */
    public KafkaClusterBuilder readyTimeout(Duration timeout) {
        this.readyTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    public KafkaCluster start() {
        return KafkaCluster.launch(this);
    }

    int brokers() {
        return brokers;
    }

    /** Where the stores of a TLS cluster go and their passwords (not yet generated); null without {@link #tls()}. */
    ClusterTls tlsMaterial(Path clusterDirectory) {
        return tls ? ClusterTls.plan(clusterDirectory.resolve("tls")) : null;
    }

    /** {@code tlsMaterial}: from {@link #tlsMaterial}. */
    Map<String, String> serverSettings(ClusterTls tlsMaterial) {
        Map<String, String> settings = ServerProperties.sizedDefaults(brokers);
        if (sasl != null) {
            settings.putAll(sasl.brokerSettings());
        }
        if (tlsMaterial != null) {
            settings.putAll(tlsMaterial.brokerSettings());
        }
        settings.putAll(brokerProperties);
        return settings;
    }

    List<String> jvmOptions(String loggingOption) {
        List<String> options = new ArrayList<>(List.of(HEAP, loggingOption));
        options.addAll(jvmOptions);
        return options;
    }

    Path workDir() {
        return (workDir != null ? workDir : Path.of(System.getProperty(KafkaCluster.WORK_DIR_PROPERTY, "target/kafka")))
                .toAbsolutePath();
    }

    String classpath() {
        return classpath != null ? classpath : ChildJvm.defaultClasspath();
    }

    /** PLAINTEXT, SASL_PLAINTEXT after {@link #saslPlain}, SSL after {@link #tls()}. */
    String clientProtocol() {
        return tls ? "SSL" : SaslPlain.clientProtocol(sasl);
    }

    /** The security settings of the launcher's own clients: none, the admin user's, or the TLS client's. */
    Map<String, String> clientSettings(ClusterTls tlsMaterial) {
        if (tlsMaterial != null) {
            return tlsMaterial.clientSettings();
        }
        return sasl == null ? Map.of() : SaslPlain.clientSettings(sasl.adminUser(), sasl.adminPassword());
    }

    Duration readyTimeout() {
        return readyTimeout;
    }
}
