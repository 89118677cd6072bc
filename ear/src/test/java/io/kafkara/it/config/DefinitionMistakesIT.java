package io.kafkara.it.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;
import org.jboss.shrinkwrap.api.ShrinkWrap;
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
import io.kafkara.it.admin.JBossCli;
import io.kafkara.it.broker.SharedKafka;
import io.kafkara.it.run.LocalWildFly;

/**
 * An operator's mistakes on the standalone {@code kafka-ra.rar}, configured by the shipped XA script, on a WildFly
 * of its own (first free port offset from 900; Narayana scans every 3 s):
 * <ul>
 * <li>beside the script's XA definition and a good plain one, one definition for each kind of invalid setting: the
 * good ones keep sending, each bad one refuses its connections with a message naming it (by clientIdPrefix) and
 * the problem, never a pool hint;</li>
 * <li>copies of the adapter whose deployment fails: one with a config property name IronJacamar does not know (its
 * message is what the operator sees), one with a bad adapter default, which fails after its XA definition was
 * registered for recovery: WildFly keeps that registration over the closed class loader. Two reloads and a shutdown
 * each complete within 60 s, Narayana's recovery thread keeps scanning the good XA definition after each reload, and
 * the leftover registration answers quietly (one WARN, no ERROR per scan).</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DefinitionMistakesIT {

    private static final Duration BOOT = Duration.ofMinutes(3);
    private static final Duration OPERATION_LIMIT = Duration.ofSeconds(60);
    private static final String ADAPTER = "kafka-ra.rar";
    private static final String BROKEN_ARCHIVE = "kafka-ra-broken.rar";
    private static final String MISSPELT_ARCHIVE = "kafka-ra-misspelt.rar";
    private static final String WAR = "probe.war";
    private static final String STRINGS = "org.apache.kafka.common.serialization.StringSerializer";
    /** DefinitionTransactions' DEBUG line for each recovery scan of a definition, here the script's. */
    private static final String GOOD_SCAN = "KAFKARA-TX-041: recovery scan of the connection definition with "
            + "transactionalIdPrefix=orders-xa";

    private final String topic = "mistakes-" + UUID.randomUUID().toString().substring(0, 8);
    private final HttpClient http = HttpClient.newHttpClient();
    private LocalWildFly server;
    private ModelControllerClient management;

    @BeforeAll
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void configureByTheScriptAddTheMistakesAndDeploy() throws Exception {
        String bootstrap = SharedKafka.get().bootstrapServers();
        Topics.create(bootstrap, topic, 1);
        Path work = Path.of("target", "definition-mistakes").toAbsolutePath();
        server = LocalWildFly.prepare(Path.of(System.getProperty("jboss.home")), work.resolve("wildfly"),
                LocalWildFly.freePortOffset(900));
        server.start(Map.of("kafka.bootstrap.servers", bootstrap,
                "jboss.node.name", "mistakes-node",
                "RecoveryEnvironmentBean.periodicRecoveryPeriod", "3",
                "RecoveryEnvironmentBean.recoveryBackoffPeriod", "1"));
        server.awaitBooted(BOOT);
        management = ModelControllerClient.Factory.create("remote+http", "127.0.0.1", 9990 + server.portOffset());

        JBossCli.runScript("127.0.0.1", 9990 + server.portOffset(), JBossCli.CONFIGURE_XA);
        ModelNode debug = Operations.createAddOperation(Operations.createAddress("subsystem", "logging", "logger",
                "io.kafkara.tx"));
        debug.get("level").set("DEBUG");
        execute(debug);
        execute(mistakes().operation());

        Path rar = Path.of(System.getProperty("kafka.ra.rar", "target/rar/kafka-ra.rar"));
        server.deploy(rar);
        Path war = work.resolve(WAR);
        ShrinkWrap.create(WebArchive.class, WAR).addClass(DefinitionProbeServlet.class)
                .addAsWebInfResource("admin/jboss-deployment-structure.xml", "jboss-deployment-structure.xml")
                .as(ZipExporter.class).exportTo(war.toFile(), true);
        server.deploy(war);
        server.awaitDeployed(ADAPTER, BOOT);
        server.awaitDeployed(WAR, BOOT);
    }

    /** A good plain definition and one definition per kind of mistake, each named by its clientIdPrefix. */
    private static AdapterConfiguration mistakes() {
        AdapterConfiguration definitions = AdapterConfiguration.existing(ADAPTER);
        definitions.definition("Plain", jndi("Plain"), base("plain"));
        BAD.forEach((pool, mistake) -> {
            Map<String, String> properties = new LinkedHashMap<>(base(pool.toLowerCase()));
            properties.putAll(mistake.properties());
            mistake.removed().forEach(properties::remove);
            definitions.definition(pool, jndi(pool), properties);
        });
        return definitions;
    }

    private static Map<String, String> base(String clientIdPrefix) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("bootstrapServers", "${kafka.bootstrap.servers}");
        properties.put("keySerializer", STRINGS);
        properties.put("valueSerializer", STRINGS);
        properties.put("clientIdPrefix", clientIdPrefix);
        return properties;
    }

    private static String jndi(String pool) {
        return "java:/kafka/" + pool;
    }

    /** One mistake: what it sets (or leaves out) over the base properties, and what its refusal must say. */
    private record Mistake(Map<String, String> properties, List<String> removed, String said) {
        static Mistake setting(String property, String value, String said) {
            return new Mistake(Map.of(property, value), List.of(), said);
        }
    }

    private static final Map<String, Mistake> BAD = new LinkedHashMap<>();

    static {
        BAD.put("BadLinger", Mistake.setting("lingerMs", "-1", "linger.ms=-1 (property lingerMs of the connection "
                + "definition)"));
        BAD.put("BadAcks", Mistake.setting("acks", "2", "acks=2 (property acks of the connection definition)"));
        BAD.put("BadKey", Mistake.setting("producerProperties", "lingr.ms=5",
                "lingr.ms is not a Kafka producer setting; did you mean linger.ms?"));
        BAD.put("NoBrokers", new Mistake(Map.of(), List.of("bootstrapServers"),
                "bootstrap.servers is required and not set"));
        BAD.put("BadLevel", Mistake.setting("transactionSupportLevel", "Bogus",
                "transactionSupportLevel=Bogus is not one of NoTransaction"));
        BAD.put("XaNoPrefix", new Mistake(Map.of("transactionSupportLevel", "XATransaction",
                "branchJournalTopic", "kafka-ra-mistakes-branches"), List.of(),
                "transactionalIdPrefix is required with transactionSupportLevel=XATransaction"));
        BAD.put("BadClass", Mistake.setting("keySerializer", "com.example.NoSuchSerializer",
                "Kafka refused its plug-in settings"));
        BAD.put("BadBrokers", Mistake.setting("bootstrapServers", "localhost-9092",
                "'localhost-9092' is not host:port"));
        // The twins share their transactional ids: whichever is activated second is refused (said is checked apart).
        Mistake twin = new Mistake(Map.of("transactionSupportLevel", "LocalTransaction", "transactionalIdPrefix",
                "twins"), List.of(), null);
        BAD.put("TwinA", twin);
        BAD.put("TwinB", twin);
    }

    @Test
    @Order(1)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void eachBadDefinitionRefusesItsConnectionsNamingItselfWhileTheGoodOnesSend() throws Exception {
        assertTrue(probe("Plain", "before").startsWith("200 acknowledged"), "the good definition sends");

        for (Map.Entry<String, Mistake> bad : BAD.entrySet()) {
            if (bad.getValue().said() == null) {
                continue;
            }
            String answer = probe(bad.getKey(), "refused");
            String prefix = bad.getKey().toLowerCase();
            assertTrue(answer.startsWith("503 refused: The connection definition with clientIdPrefix=" + prefix
                    + " cannot serve connections"), bad.getKey() + " names itself: " + answer);
            assertTrue(answer.contains(bad.getValue().said()), bad.getKey() + " names its mistake: " + answer);
            assertFalse(answer.contains("max-pool-size"), bad.getKey() + ": the pool is not the cause: " + answer);
        }
        String twinA = probe("TwinA", "twin");
        String twinB = probe("TwinB", "twin");
        List<String> refusedTwins = List.of(twinA, twinB).stream().filter(answer -> answer.contains("would use the "
                + "same transactional ids")).toList();
        assertEquals(1, refusedTwins.size(), "exactly the second twin is refused: " + twinA + " / " + twinB);
        assertTrue(refusedTwins.get(0).contains("give each definition its own transactionalIdPrefix"),
                refusedTwins.get(0));

        assertTrue(probe("Plain", "after").startsWith("200 acknowledged"), "the good definition still sends");
        List<String> log = logLines();
        for (String pool : BAD.keySet()) {
            if (pool.equals("BadClass") || pool.startsWith("Twin")) {
                continue;
            }
            long reported = log.stream().filter(line -> line.contains("KAFKARA-RA-010") && line.contains(" ERROR ")
                    && line.contains("clientIdPrefix=" + pool.toLowerCase() + " cannot")).count();
            assertEquals(1, reported, pool + " is reported once, at activation");
        }
        assertTrue(log.stream().anyMatch(line -> line.contains("KAFKARA-RA-012") && line.contains(" WARN ")
                        && line.contains("clientIdPrefix=badclass") && line.contains("com.example.NoSuchSerializer")),
                "the class nobody can load is noticed at activation");
    }

    @Test
    @Order(2)
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void afterAFailedActivationReloadsAndTheShutdownCompleteAndRecoveryKeepsScanning() throws Exception {
        // A config property name the adapter does not have: IronJacamar refuses it before any adapter code runs.
        execute(AdapterConfiguration.forArchive("kafka-ra-misspelt", MISSPELT_ARCHIVE)
                .definition("Misspelt", jndi("Misspelt"), Map.of("lingerMss", "5"))
                .operation());
        // As the CLI's deploy command does: one management operation, rolled back when the deployment fails (the
        // deployment scanner would keep it, failed, with its class loader).
        ModelNode misspelt = deployThroughManagement(MISSPELT_ARCHIVE);
        assertFalse(Operations.isSuccessfulOutcome(misspelt), "the misspelt adapter deployed: " + misspelt);
        assertTrue(Operations.getFailureDescription(misspelt).asString().contains("IJ020060: Unable to inject: "
                + "io.kafkara.spi.KafkaManagedConnectionFactory property: lingerMss value: 5"),
                "IronJacamar's own message for a misspelt property: " + misspelt);

        // A bad adapter default fails the adapter's start, which comes after its XA definition was registered for
        // recovery: WildFly keeps that registration over the rolled back deployment's closed class loader.
        execute(AdapterConfiguration.forXaArchive("kafka-ra-broken", BROKEN_ARCHIVE)
                .adapterProperties(Map.of("securityProtocol", "PLAINTEXTT"))
                .definition("BrokenXA", jndi("BrokenXA"), Map.of("recovery-username", "recovery",
                        "recovery-password", "recovery"), brokenXa())
                .operation());
        ModelNode broken = deployThroughManagement(BROKEN_ARCHIVE);
        assertFalse(Operations.isSuccessfulOutcome(broken), "the broken adapter deployed: " + broken);
        assertTrue(Operations.getFailureDescription(broken).asString().contains("security.protocol=PLAINTEXTT"),
                broken.toString());
        awaitLogLine("KAFKARA-RA-011", Duration.ofSeconds(30));
        awaitLogLineAfter(logLength(), GOOD_SCAN, Duration.ofSeconds(30));
        long leftovers = logLines().stream().filter(line -> line.contains("KAFKARA-RA-011")).count();

        for (int reload = 1; reload <= 2; reload++) {
            long mark = logLength();
            reloadWithin(OPERATION_LIMIT);
            awaitLogLineAfter(mark, GOOD_SCAN, Duration.ofSeconds(30));
        }
        assertTrue(probe("Plain", "reloaded").startsWith("200 acknowledged"), "the good definition sends");

        List<String> log = logLines();
        assertEquals(List.of(), log.stream().filter(line -> line.contains("IJ000906")).toList(),
                "no recovery error for the leftover registration");
        assertEquals(List.of(), log.stream().filter(line -> line.contains("Maximum permit count exceeded")).toList());
        assertEquals(List.of(), log.stream().filter(line -> line.contains("NoClassDefFoundError")).toList());
        assertEquals(leftovers, log.stream().filter(line -> line.contains("KAFKARA-RA-011")).count(),
                "each leftover registration is reported once, not at every scan");

        shutdownWithin(OPERATION_LIMIT);
    }

    private static Map<String, String> brokenXa() {
        Map<String, String> properties = new LinkedHashMap<>(base("broken-xa"));
        properties.put("transactionSupportLevel", "XATransaction");
        properties.put("transactionalIdPrefix", "broken-xa");
        properties.put("branchJournalTopic", "kafka-ra-broken-branches");
        return properties;
    }

    private ModelNode deployThroughManagement(String name) throws IOException {
        return BuiltRarDeployment.deploy(management, name);
    }

    /** A reload is over when the server logs that it started again. */
    private void reloadWithin(Duration limit) throws Exception {
        long mark = logLength();
        try {
            ModelNode result = management.execute(Operations.createOperation("reload"));
            assertTrue(Operations.isSuccessfulOutcome(result), "reload refused: " + result);
        } catch (IOException e) {
            // The server may close the connection before its answer arrives: it is reloading.
        }
        long deadline = System.nanoTime() + limit.toNanos();
        while (!startedAfter(mark)) {
            if (System.nanoTime() >= deadline) {
                throw new AssertionError("The reload did not complete within " + limit + "; thread dump: "
                        + server.threadDump());
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    private boolean startedAfter(long mark) throws IOException {
        return linesAfter(mark).stream().anyMatch(line -> line.contains("WFLYSRV0025") || line.contains("WFLYSRV0026"));
    }

    private void shutdownWithin(Duration limit) throws Exception {
        try {
            management.execute(Operations.createOperation("shutdown"));
        } catch (IOException e) {
            // The server may close the connection before its answer arrives: it is stopping.
        }
        if (!server.awaitExit(limit)) {
            throw new AssertionError("The shutdown did not complete within " + limit + "; thread dump: "
                    + server.threadDump());
        }
    }

    private void awaitLogLine(String text, Duration limit) throws Exception {
        awaitLogLineAfter(0, text, limit);
    }

    private void awaitLogLineAfter(long mark, String text, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (linesAfter(mark).stream().noneMatch(line -> line.contains(text))) {
            assertTrue(System.nanoTime() < deadline, "no log line with '" + text + "' within " + limit + "; see "
                    + server.logFile());
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    private long logLength() throws IOException {
        return LogSince.mark(server.logFile());
    }

    private List<String> logLines() throws IOException {
        return linesAfter(0);
    }

    private List<String> linesAfter(long mark) throws IOException {
        return LogSince.lines(server.logFile(), mark);
    }

    /** "status body" of one probe request through the definition of that pool. */
    private String probe(String pool, String value) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.httpPort() + "/probe/probe?jndi="
                + URLEncoder.encode(jndi(pool), StandardCharsets.UTF_8) + "&topic=" + topic + "&value=" + value);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    private void execute(ModelNode operation) throws IOException {
        ModelNode result = management.execute(operation);
        assertTrue(Operations.isSuccessfulOutcome(result), "management operation failed: " + result);
    }

    @AfterAll
    void stopEverything() throws IOException {
        if (management != null) {
            management.close();
        }
        if (server != null) {
            server.stop();
        }
    }
}
