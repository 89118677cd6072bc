package io.kafkara.it.payara;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.kafkara.it.broker.FreePorts;
import io.kafkara.it.db.LocalPostgres;
import io.kafkara.it.portable.CrashAtCommit;
import io.kafkara.it.portable.JvmThreads;

/**
 * One Payara Server domain of the build's unpacked distribution, run as an operator runs it, with its own
 * {@code asadmin}: create-domain on a port base whose every port is free, start-domain, the commands of the test,
 * stop-domain. Every command and wait is bounded; one that runs out fails with the server's thread dump and the end
 * of its log.
 */
final class PayaraDomain implements AutoCloseable, CrashAtCommit.Server {

    /** The ports create-domain derives from its port base (admin, HTTP, HTTPS, IIOP x3, JMS, JMX, OSGi shell, debug). */
    private static final int[] PORT_OFFSETS = {48, 80, 81, 37, 38, 39, 76, 86, 66, 9};
    private static final Duration COMMAND_BOUND = Duration.ofMinutes(3);

    private final Path glassfish;
    private final String name;
    private final int portBase;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private PayaraDomain(Path glassfish, String name, int portBase) {
        this.glassfish = glassfish;
        this.name = name;
        this.portBase = portBase;
    }

    /** A fresh domain (whatever an earlier run left under that name is removed) on free ports. */
    static PayaraDomain create(Path glassfish, String name) throws IOException, InterruptedException {
        PayaraDomain domain = new PayaraDomain(glassfish, name, freePortBase());
        domain.deleteDirectory();
        domain.run("create-domain", "--nopassword=true", "--portbase", Integer.toString(domain.portBase), name);
        return domain;
    }

    /** Starts the domain; it dies with this JVM if {@link #close()} is never called. */
    @Override
    public void start() throws IOException, InterruptedException {
        run("start-domain", name);
        long pid = pid();
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly), "stop-payara-" + name));
    }

    /** Runs an asadmin command against the running domain; fails with its output unless it succeeds. */
    String asadmin(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("--port", Integer.toString(portBase + 48)));
        command.addAll(List.of(arguments));
        return run(command.toArray(String[]::new));
    }

    /**
     * Payara gives applications no SLF4J, which Kafka's classes and the adapter log through: the API and its
     * java.util.logging provider as a common library send both to server.log. And the JDBC driver of the XA
     * datasource. A restart loads them.
     */
    void addLoggingAndJdbcLibraries() throws IOException, InterruptedException {
        Path slf4j = Path.of(System.getProperty("slf4j.dir"));
        asadmin("add-library", "--type", "common", slf4j.resolve("slf4j-api.jar").toString(),
                slf4j.resolve("slf4j-jdk14.jar").toString(),
                slf4j.resolveSibling("jdbc").resolve("postgresql.jar").toString());
    }

    /**
     * A connection pool of the adapter {@code raName} with String serializers and the broker {@code bootstrapServers},
     * and its resource, named {@code kafka/<suffix of name>}.
     */
    void createKafkaResource(String raName, String name, String transactionSupport, String bootstrapServers,
            String properties) throws IOException, InterruptedException {
        // asadmin separates properties with ':', so the colon of the broker address is escaped.
        asadmin("create-connector-connection-pool", "--raname", raName,
                "--connectiondefinition", "io.kafkara.api.KafkaConnectionFactory",
                "--transactionsupport", transactionSupport,
                "--property", "bootstrapServers=" + bootstrapServers.replace(":", "\\:")
                        + ":keySerializer=org.apache.kafka.common.serialization.StringSerializer"
                        + ":valueSerializer=org.apache.kafka.common.serialization.StringSerializer:" + properties,
                name);
        asadmin("create-connector-resource", "--poolname", name, name.replace("kafka-", "kafka/"));
    }

    /** {@code jdbc/orders}: an XA pool of PostgreSQL's own XADataSource on {@code database}. */
    void createOrdersDataSource(LocalPostgres database) throws IOException, InterruptedException {
        asadmin("create-jdbc-connection-pool", "--datasourceclassname", "org.postgresql.xa.PGXADataSource",
                "--restype", "javax.sql.XADataSource", "--property", "serverName=127.0.0.1:portNumber="
                        + database.port() + ":databaseName=" + LocalPostgres.DATABASE + ":user=" + database.user()
                        + ":password=" + database.password(), "orders");
        asadmin("create-jdbc-resource", "--connectionpoolid", "orders", "jdbc/orders");
    }

    /** GET of {@code path} on the domain's HTTP listener: the status and the body. */
    @Override
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (portBase + 80) + path))
                .timeout(Duration.ofMinutes(2)).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new AssertionError("GET " + path + " on Payara got no answer within 2 min\n" + threadDump(), e);
        }
    }

    /** Waits until a thread dump of the server satisfies {@code done}; returns that dump. */
    String awaitThreadDump(Predicate<String> done, Duration bound) throws IOException, InterruptedException {
        return JvmThreads.awaitDump(pid(), done, bound, "Payara domain " + name);
    }

    /** The server JVM's threads (jcmd Thread.print). */
    @Override
    public String threadDump() throws IOException, InterruptedException {
        return Files.exists(domainDirectory().resolve("config/pid")) ? JvmThreads.dump(pid())
                : "(no thread dump: the domain is not running)";
    }

    /** Every line of the domain's server.log. */
    List<String> serverLog() throws IOException {
        Path log = domainDirectory().resolve("logs/server.log");
        return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    }

    /** The end of the domain's server.log. */
    @Override
    public String logTail() {
        try {
            Path log = domainDirectory().resolve("logs/server.log");
            List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
            return "End of " + log + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 80),
                    lines.size()));
        } catch (IOException e) {
            return "(server.log unreadable: " + e + ")";
        }
    }

    /** Whether the domain's JVM runs. */
    @Override
    public boolean isAlive() {
        try {
            return ProcessHandle.of(pid()).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGKILL of the domain's JVM, if it still runs: a crash, no shutdown of any kind. */
    @Override
    public void kill() throws IOException {
        ProcessHandle.of(pid()).ifPresent(process -> {
            process.destroyForcibly();
            process.onExit().join();
        });
    }

    /** Stops the domain; kills its JVM if stop-domain does not stop it. */
    @Override
    public void close() throws IOException, InterruptedException {
        Path pidFile = domainDirectory().resolve("config/pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid = pid();
        try {
            if (isAlive()) {
                run("stop-domain", name);
            }
        } finally {
            ProcessHandle.of(pid).ifPresent(process -> {
                process.destroyForcibly();
                process.onExit().join();
            });
        }
    }

    private long pid() throws IOException {
        return Long.parseLong(Files.readString(domainDirectory().resolve("config/pid")).strip());
    }

    private Path domainDirectory() {
        return glassfish.resolve("domains").resolve(name);
    }

    private String run(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(glassfish.resolve("bin/asadmin").toString());
        command.addAll(List.of(arguments));
        return execute(command, Map.of(), "asadmin " + String.join(" ", arguments));
    }

    /**
     * Runs the shell script {@code script} as an operator runs it against this domain, its {@code asadmin} given
     * as {@code ASADMIN} (with the domain's admin port) beside {@code environment}; fails with its output unless it
     * succeeds.
     */
    String runScript(Path script, Map<String, String> environment, String... arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("sh", script.toString()));
        command.addAll(List.of(arguments));
        Map<String, String> withAsadmin = new HashMap<>(environment);
        withAsadmin.put("ASADMIN", glassfish.resolve("bin/asadmin") + " --port " + (portBase + 48));
        return execute(command, withAsadmin, script.getFileName() + " " + String.join(" ", arguments));
    }

    private String execute(List<String> command, Map<String, String> environment, String shown)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(environment);
        Path output = Files.createTempFile("asadmin-", ".txt");
        builder.redirectOutput(output.toFile());
        Process process = builder.start();
        if (!process.waitFor(COMMAND_BOUND.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(shown + " did not return within " + COMMAND_BOUND.toSeconds()
                    + " s\n" + threadDump() + "\n" + logTail());
        }
        String text = Files.readString(output);
        Files.delete(output);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(shown + " failed (exit " + process.exitValue() + "): " + text
                    + "\n" + logTail());
        }
        return text;
    }

    private static int freePortBase() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = 100 * ThreadLocalRandom.current().nextInt(200, 600);
            boolean free = true;
            for (int offset : PORT_OFFSETS) {
                free &= FreePorts.isFree(base + offset);
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("No port base from 20000 to 60000 with all of Payara's ports free");
    }

    private void deleteDirectory() throws IOException {
        Path directory = domainDirectory();
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
