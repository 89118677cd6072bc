package io.kafkara.it.observe;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import io.kafkara.it.Topics;
import io.kafkara.it.broker.KafkaCluster;
import io.kafkara.it.config.AdapterConfiguration;
import io.kafkara.it.run.LocalWildFly;
import io.kafkara.it.tx.CommittedReader;

/**
 * The adapter under an operator's eye in a WildFly of its own with Micrometer (a Prometheus registry, community
 * stability), MicroProfile Health and OpenTelemetry added by the CLI, the standalone kafka-ra.rar configured with one
 * definition ({@code clientIdPrefix=observed}, {@code maxBlockMs=5000}) on a broker of the test's own, and the
 * sample EAR with the adapter inside: both adapters' definitions show in the metrics (WildFly 39 reports the
 * readiness check of the standalone adapter only, see src/docs/operations.md), the metrics endpoint counts the
 * definition's records exactly, readiness goes down when the broker stops and up when
 * it returns (liveness stays up), and records sent from a traced REST request carry that request's trace id.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ObservabilityIT {

    private static final Duration BOOT = Duration.ofMinutes(3);
    private static final long MAX_BLOCK_MS = 5_000;
    private static final String ADAPTER = "kafka-ra.rar";
    private static final String WAR = "kafkara-observe.war";
    private static final String STRINGS = "org.apache.kafka.common.serialization.StringSerializer";
    private static final Pattern RECORD_SEND_TOTAL = Pattern.compile(
            "^kafka_producer_record_send_total\\{[^}]*kafka_ra_definition=\"observed\"[^}]*} (\\S+)$",
            Pattern.MULTILINE);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private KafkaCluster broker;
    private LocalWildFly server;
    private ModelControllerClient management;
    private String topic;

    @BeforeAll
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void startTheObservedServer() throws Exception {
        broker = KafkaCluster.start(1);
        topic = "observed-" + System.nanoTime();
        Topics.create(broker.bootstrapServers(), topic, 1);
        Path home = Path.of(System.getProperty("jboss.home"));
        Path work = Path.of("target", "observability").toAbsolutePath();
        server = LocalWildFly.prepare(home, work.resolve("wildfly"), LocalWildFly.freePortOffset(1300))
                .serverArguments("--stability=community");
        addTheSubsystems(home, server.baseDir(), work.resolve("observability.cli"));
        // Spans are made but not exported: no collector here.
        server.start(Map.of("kafka.bootstrap.servers", broker.bootstrapServers(),
                "otel.traces.exporter", "none", "otel.metrics.exporter", "none", "otel.logs.exporter", "none"));
        server.awaitBooted(BOOT);
        management = ModelControllerClient.Factory.create("remote+http", "127.0.0.1", managementPort());
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("bootstrapServers", "${kafka.bootstrap.servers}");
        properties.put("keySerializer", STRINGS);
        properties.put("valueSerializer", STRINGS);
        properties.put("clientIdPrefix", "observed");
        properties.put("maxBlockMs", Long.toString(MAX_BLOCK_MS));
        execute(AdapterConfiguration.forArchive(ADAPTER, ADAPTER)
                .definition("Observed", TracedSends.FACTORY, properties).operation());
        server.deploy(Path.of(System.getProperty("kafka.ra.rar")));
        Path war = work.resolve(WAR);
        ShrinkWrap.create(WebArchive.class, WAR).addClasses(TracedSends.class, TracedSends.RestApplication.class)
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml")
                .addAsWebInfResource("admin/jboss-deployment-structure.xml", "jboss-deployment-structure.xml")
                .as(ZipExporter.class).exportTo(war.toFile(), true);
        server.deploy(war);
        // The adapter inside an EAR as well: the sample, with its own activation (sample-local, sample-xa, ...).
        Path sample = Path.of(System.getProperty("sample.ear"));
        server.deploy(sample);
        server.awaitDeployed(ADAPTER, BOOT);
        server.awaitDeployed(WAR, BOOT);
        server.awaitDeployed(sample.getFileName().toString(), BOOT);
    }

    /** Micrometer with a Prometheus registry, MicroProfile Health and OpenTelemetry, added offline before the boot. */
    private static void addTheSubsystems(Path home, Path baseDir, Path script) throws Exception {
        Files.writeString(script, String.join("\n",
                "embed-server --server-config=standalone.xml --stability=community",
                "/extension=org.wildfly.extension.micrometer:add",
                "/subsystem=micrometer:add",
                "/subsystem=micrometer/registry=prometheus:add(context=/prometheus, security-enabled=false)",
                // MicroProfile Health needs MicroProfile Config, which standalone.xml has.
                "/extension=org.wildfly.extension.microprofile.health-smallrye:add",
                "/subsystem=microprofile-health-smallrye:add(security-enabled=false)",
                "/extension=org.wildfly.extension.opentelemetry:add",
                "/subsystem=opentelemetry:add(sampler-type=on)",
                "stop-embedded-server", ""));
        Path output = script.resolveSibling("observability-cli.log");
        ProcessBuilder cli = new ProcessBuilder(home.resolve("bin/jboss-cli.sh").toString(), "--file=" + script)
                .redirectErrorStream(true).redirectOutput(output.toFile());
        cli.environment().put("JAVA_OPTS", "-Djboss.server.base.dir=" + baseDir);
        Process process = cli.start();
        boolean exited = process.waitFor(2, TimeUnit.MINUTES);
        if (!exited) {
            process.destroyForcibly();
        }
        assertTrue(exited && process.exitValue() == 0, "jboss-cli.sh --file=" + script + " failed:\n"
                + Files.readString(output));
        // The embedded server logged its own start there: the boot wait must see the real server's.
        Files.deleteIfExists(baseDir.resolve("log/server.log"));
    }

    @AfterAll
    void stopEverything() throws IOException {
        try (KafkaCluster stopped = broker) {
            if (management != null) {
                management.close();
            }
            if (server != null) {
                server.stop();
            }
        }
    }

    @Test
    @Order(1)
    void theRarBundlesNoObservabilityLibrary() throws IOException {
        try (ZipFile rar = new ZipFile(System.getProperty("kafka.ra.rar"))) {
            List<String> jars = rar.stream().map(ZipEntry::getName).filter(name -> name.endsWith(".jar")).sorted()
                    .toList();
            assertEquals(List.of("kafka-clients-4.3.1.jar", "kafka-ra-classes.jar", "lz4-java-1.10.2.jar",
                    "snappy-java-1.1.10.7.jar", "zstd-jni-1.5.6-10.jar"), jars);
        }
    }

    @Test
    @Order(2)
    void theMetricsEndpointCountsTheDefinitionsRecords() throws Exception {
        double before = recordSendTotal();

        assertEquals(200, get(httpPort(), "/kafkara-observe/rest/send?topic=" + topic + "&count=5").statusCode());

        String scrape = awaitBody(managementPort(), "/prometheus", body -> value(body) >= before + 5,
                Duration.ofSeconds(30));
        String threads = Files.readString(server.threadDump());
        assertAll(scrape,
                () -> assertEquals(before + 5, value(scrape), "kafka_producer_record_send_total of the definition"),
                () -> assertFalse(threads.contains("micrometer-kafka-metrics")
                        || threads.contains("kafka-producer-network-thread"), "no thread of the meters' or Kafka's own"),
                () -> assertTrue(scrape.contains("kafka_producer_request_latency_avg{"), "the request latency"),
                () -> assertTrue(scrape.contains("kafka_ra_transactional_engines_in_use{"), "the pool in use"));
    }

    @Test
    @Order(2)
    void theAdapterInsideAnEarShowsItsDefinitionsMetersToo() throws Exception {
        String scrape = get(managementPort(), "/prometheus").body();

        assertTrue(Pattern.compile("^kafka_ra_transactional_engines_in_use\\{[^}]*kafka_ra_definition=\"sample-local\"",
                Pattern.MULTILINE).matcher(scrape).find(), scrape);
    }

    @Test
    @Order(3)
    void aRecordSentFromATracedRequestCarriesThatRequestsTraceId() throws Exception {
        String tracedTopic = topic + "-traced";
        Topics.create(broker.bootstrapServers(), tracedTopic, 1);

        HttpResponse<String> response = get(httpPort(), "/kafkara-observe/rest/send?topic=" + tracedTopic
                + "&count=1");

        assertEquals(200, response.statusCode(), response.body());
        String traceId = response.body().strip();
        assertTrue(traceId.matches("[0-9a-f]{32}") && !traceId.matches("0+"), "the request's trace id: " + traceId);
        List<ConsumerRecord<String, String>> records = CommittedReader.readUntil(broker.bootstrapServers(),
                tracedTopic, read -> !read.isEmpty());
        Header traceparent = records.get(0).headers().lastHeader("traceparent");
        assertNotNull(traceparent, "the record carries a traceparent");
        String value = new String(traceparent.value(), StandardCharsets.UTF_8);
        assertTrue(value.matches("00-" + traceId + "-[0-9a-f]{16}-0[01]"), value + " carries " + traceId);
    }

    @Test
    @Order(4)
    void readinessGoesDownWhenTheBrokerStopsAndUpWhenItReturnsWhileLivenessStaysUp() throws Exception {
        assertEquals(200, awaitStatus("/health/ready", 200, Duration.ofSeconds(30)).statusCode());

        broker.stop(0);
        long stopped = System.nanoTime();
        HttpResponse<String> down = awaitStatus("/health/ready", 503, Duration.ofMillis(MAX_BLOCK_MS + 30_000));
        long downAfterMs = (System.nanoTime() - stopped) / 1_000_000;
        HttpResponse<String> live = get(managementPort(), "/health/live");

        broker.restart(0);
        long restarted = System.nanoTime();
        HttpResponse<String> up = awaitStatus("/health/ready", 200, Duration.ofSeconds(60));
        long upAfterMs = (System.nanoTime() - restarted) / 1_000_000;

        System.out.printf("ObservabilityIT: readiness DOWN %d ms after the broker stopped, UP %d ms after it was "
                + "back%n", downAfterMs, upAfterMs);
        assertAll("down after " + downAfterMs + " ms: " + down.body() + "; up after " + upAfterMs + " ms: "
                        + up.body(),
                () -> assertTrue(down.body().contains("\"kafka-ra\"") && down.body().contains("observed.reason"),
                        "the adapter's check is the one down, saying why"),
                () -> assertTrue(downAfterMs <= MAX_BLOCK_MS + 10_000, "down within max.block.ms + 10 s"),
                () -> assertEquals(200, live.statusCode(), "liveness stays up: " + live.body()),
                () -> assertTrue(upAfterMs <= 30_000, "up within 30 s of the restart"),
                () -> assertFalse(up.body().contains("observed.reason"), "no reason once up"));
    }

    private double recordSendTotal() throws Exception {
        HttpResponse<String> scrape = get(managementPort(), "/prometheus");
        assertEquals(200, scrape.statusCode(), scrape.body());
        double value = value(scrape.body());
        return Double.isNaN(value) ? 0 : value;
    }

    /** The definition's kafka_producer_record_send_total in a scrape; NaN when it is not there yet. */
    private static double value(String scrape) {
        Matcher found = RECORD_SEND_TOTAL.matcher(scrape);
        return found.find() ? Double.parseDouble(found.group(1)) : Double.NaN;
    }

    private String awaitBody(int port, String path, Predicate<String> done, Duration bound) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            String body = get(port, path).body();
            if (done.test(body) || System.nanoTime() > deadline) {
                return body;
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }

    private HttpResponse<String> awaitStatus(String path, int status, Duration bound) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            HttpResponse<String> response = get(managementPort(), path);
            if (response.statusCode() == status) {
                return response;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(path + " did not answer " + status + " within " + bound.toSeconds()
                        + " s; last " + response.statusCode() + ": " + response.body() + "\n"
                        + Files.readString(server.threadDump()));
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private int managementPort() {
        return 9990 + server.portOffset();
    }

    private int httpPort() {
        return server.httpPort();
    }

    private void execute(ModelNode operation) throws IOException {
        ModelNode result = management.execute(operation);
        assertTrue(Operations.isSuccessfulOutcome(result), "management operation failed: " + result);
    }
}
