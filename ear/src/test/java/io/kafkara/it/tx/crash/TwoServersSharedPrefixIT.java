package io.kafkara.it.tx.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.ConfigEntry;
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
import io.kafkara.it.run.LocalWildFly;
import io.kafkara.it.tx.BranchJournalSetup;

/**
 * A user who outgrew one server: two WildFly servers of the same distribution (own base directories, ports, node
 * names and Narayana node ids) share one stock broker and one XA definition, same transactionalIdPrefix and branch
 * journal, and run with the defaults of the adapter (no transactionTimeoutMs, the node from jboss.node.name), of the
 * broker and of Narayana (no recovery period or timeout set). First A is killed between prepare and commit (the
 * decision logged) and stays down for longer than Kafka's default transaction timeout, while B keeps committing and
 * holds an open and a prepared transaction of its own: the branch stays prepared, the default recovery of the
 * restarted A commits it exactly once, and nothing of B fails, is fenced, aborted or completed by A. Then B is killed the same way and restarted
 * under another node name: its in-doubt MBean lists the old node's branch as another node's, an operator commits it
 * by hand, and read_committed readers reach the log end. A keeps committing throughout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoServersSharedPrefixIT {

    private static final String EAR = CrashDeployment.EAR;
    private static final String DEFINITION = "SharedXA";
    private static final String PREFIX = "shared-xa";
    private static final Duration BOOT = Duration.ofMinutes(3);
    /**
     * How long A stays down with its branch prepared: past Kafka's default transaction.timeout.ms (60 s) plus the
     * broker's default check for timed-out transactions (every 10 s), so only a Kafka timeout the adapter raised above
     * those defaults keeps the branch. Narayana's own first pass cannot be waited for instead: WildFly runs one at
     * boot (measured: it committed the branch 2 s after the restart's boot), its 120 s period comes after that.
     */
    private static final Duration DOWN_WITH_BRANCH_PREPARED = Duration.ofSeconds(75);
    private static final Duration COMMITTED_WITHIN = Duration.ofMinutes(4);
    /** Fragments of the settings the tuned crash tests use; none may reach these servers. */
    private static final List<String> TUNING = List.of("RecoveryEnvironmentBean", "CoordinatorEnvironmentBean",
            "periodicRecoveryPeriod", "recoveryBackoffPeriod", "defaultTimeout", "transaction.timeout",
            "transactionTimeout", "pool.size");

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final Durations durations = new Durations();
    private final List<CommitLoop> loops = new ArrayList<>();
    private final String definitionXml = new XaDefinitionXml(DEFINITION, PREFIX, BranchJournalSetup.TOPIC, 5).xml();
    private KafkaCluster kafka;
    private BrokerView broker;
    private LocalWildFly serverA;
    private LocalWildFly serverB;
    private Path work;

    private String topic(String name) {
        return "two-servers-" + run + "-" + name;
    }

    @BeforeAll
    void startBrokerAndBothServers() throws Exception {
        durations.timed("broker", () -> kafka = KafkaCluster.start(1));
        broker = new BrokerView(kafka.bootstrapServers());
        for (String name : List.of("a-first", "b-loop", "a-decided", "b-decided", "b-sending", "a-loop",
                "b2-decided", "b2-first")) {
            Topics.create(kafka.bootstrapServers(), topic(name), 1);
        }
        BranchJournalSetup.createJournal(kafka.bootstrapServers());

        work = CrashDeployment.workDirectory("two-servers");
        Path ear = CrashDeployment.export(work, definitionXml, CommitServlet.class, InDoubtListingServlet.class);
        Path home = Path.of(System.getProperty("jboss.home"));
        int offsetA = LocalWildFly.freePortOffset(800);
        serverA = LocalWildFly.prepare(home, work.resolve("node-a"), offsetA);
        serverB = LocalWildFly.prepare(home, work.resolve("node-b"), LocalWildFly.freePortOffset(offsetA + 100));
        serverA.deploy(ear);
        serverB.deploy(ear);
        durations.timed("boot A", () -> {
            serverA.start(properties("node-a", "tx-node-a"));
            serverA.awaitDeployed(EAR, BOOT);
        });
        durations.timed("boot B", () -> {
            serverB.start(properties("node-b", "tx-node-b"));
            serverB.awaitDeployed(EAR, BOOT);
        });
    }

    /** The broker address, the node name and Narayana's node id: nothing else. */
    private Map<String, String> properties(String node, String txNode) {
        return Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(), "jboss.node.name", node,
                "jboss.tx.node.id", txNode);
    }

    @Test
    @Order(1)
    void theBrokerTheServersAndTheDefinitionRunOnTheirDefaults() throws Exception {
        Properties file = new Properties();
        try (var in = Files.newBufferedReader(kafka.directory().resolve("0/server.properties"))) {
            file.load(in);
        }
        for (String key : file.stringPropertyNames()) {
            assertFalse(key.startsWith("transaction") && (key.contains("timeout") || key.contains("interval")
                    || key.contains("two.phase")), "the broker's server.properties sets " + key);
        }
        ConfigEntry maxTimeout = broker.brokerSetting("transaction.max.timeout.ms");
        assertEquals("900000", maxTimeout.value(), maxTimeout.toString());
        assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, maxTimeout.source(), maxTimeout.toString());

        assertServerDefaults(serverA, "node-a", "tx-node-a");
        assertServerDefaults(serverB, "node-b", "tx-node-b");
        for (String setting : List.of("transactionTimeoutMs", "transactionalIdNode", "transactionalIdPoolSize",
                "transaction.timeout.ms", "twoPhaseCommitMode")) {
            assertFalse(definitionXml.contains(setting), "the shared definition sets " + setting + ": "
                    + definitionXml);
        }
    }

    private void assertServerDefaults(LocalWildFly server, String node, String txNode) throws Exception {
        List<String> arguments = server.serverArguments();
        assertTrue(arguments.contains("-Djboss.node.name=" + node), arguments.toString());
        assertTrue(arguments.contains("-Djboss.tx.node.id=" + txNode), arguments.toString());
        for (String argument : arguments) {
            for (String tuning : TUNING) {
                assertFalse(argument.contains(tuning), "the server JVM of " + node + " runs with " + argument);
            }
        }
        String standalone = Files.readString(server.baseDir().resolve("configuration/standalone.xml"));
        assertTrue(standalone.contains("<core-environment node-identifier=\"${jboss.tx.node.id:1}\">"),
                "Narayana's node id comes from jboss.tx.node.id");
        assertFalse(standalone.contains("default-timeout"), "the transactions subsystem keeps its default timeout");
    }

    @Test
    @Order(2)
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void aServerKilledAfterTheDecisionIsCommittedOnceByDefaultRecoveryAndTheOtherNeverNotices() throws Exception {
        CommitLoop loopB = loop("B", serverB, "b-loop");
        Path gatesA = work.resolve("gates-a-" + run);
        Path gatesB = work.resolve("gates-b-" + run);
        try {
            CommitLoop firstA = loop("A", serverA, "a-first");
            durations.timed("both commit", () -> {
                firstA.awaitCommitted(5, Duration.ofMinutes(2));
                loopB.awaitCommitted(5, Duration.ofMinutes(2));
            });
            firstA.stop();
            assertEquals(List.of(), firstA.failures(), firstA.toString());
            assertExactlyOnce(firstA);

            CompletableFuture<HttpResponse<String>> decidedA = GatedCalls.scenario(serverA.httpPort(),
                    CrashScenarios.DECIDED, topic("a-decided"), gatesA, DEFINITION);
            CompletableFuture<HttpResponse<String>> decidedB = GatedCalls.scenario(serverB.httpPort(),
                    CrashScenarios.DECIDED, topic("b-decided"), gatesB, DEFINITION);
            CompletableFuture<HttpResponse<String>> sendingB = GatedCalls.scenario(serverB.httpPort(),
                    CrashScenarios.SENDING, topic("b-sending"), gatesB, DEFINITION);
            durations.timed("A decided, B holds two", () -> GatedCalls.awaitGates(List.of(
                    new FileGate(gatesA, CrashScenarios.DECIDED), new FileGate(gatesB, CrashScenarios.DECIDED),
                    new FileGate(gatesB, CrashScenarios.SENDING)), List.of(decidedA, decidedB, sendingB),
                    Duration.ofMinutes(2)));
            assertHeldBack("a-decided");

            durations.timed("kill A", serverA::kill);
            long killed = System.nanoTime();
            assertTrue(GatedCalls.failedWithoutAnswer(decidedA), "A answered instead of dying");
            int committedByBAtKill = loopB.committedCount();
            durations.timed("A down, its branch held back", () -> assertStaysHeldBack("a-decided",
                    killed + DOWN_WITH_BRANCH_PREPARED.toNanos()));
            long restarted = System.nanoTime();
            durations.timed("restart A", () -> serverA.restart(EAR, properties("node-a", "tx-node-a"), BOOT));
            assertServerDefaults(serverA, "node-a", "tx-node-a");
            durations.timed("A's branch committed after A's boot", () -> assertEquals(
                    List.of("decided/1", "decided/2", "decided/3"), broker.committedToLogEnd(topic("a-decided"),
                            Duration.ofNanos(restarted + COMMITTED_WITHIN.toNanos() - System.nanoTime())),
                    "A's recovery commits its decided branch exactly once, within " + COMMITTED_WITHIN
                            + " of the restart"));

            new FileGate(gatesB, CrashScenarios.DECIDED).release();
            new FileGate(gatesB, CrashScenarios.SENDING).release();
            assertEquals("200 Scenario decided committed without crashing", GatedCalls.answer(decidedB,
                    Duration.ofSeconds(90)).strip(), "B's prepared transaction outlived A's restart and recovery");
            assertEquals("200 Scenario sending committed without crashing", GatedCalls.answer(sendingB,
                    Duration.ofSeconds(90)).strip(), "B's open transaction outlived A's restart and recovery");
            assertEquals(List.of("decided/1", "decided/2", "decided/3"),
                    broker.committedToLogEnd(topic("b-decided"), Duration.ofSeconds(60)));
            assertEquals(List.of("sending/1", "sending/2", "sending/3"),
                    broker.committedToLogEnd(topic("b-sending"), Duration.ofSeconds(60)));

            assertTrue(loopB.committedCount() > committedByBAtKill, "B kept committing while A was down and "
                    + "recovering: " + loopB);
            loopB.stop();
            assertEquals(List.of(), loopB.failures(), "B never failed: " + loopB);
            assertExactlyOnce(loopB);
        } finally {
            System.out.println("TwoServersSharedPrefixIT, A's crash: " + loops);
            releaseIfReached(gatesB, CrashScenarios.DECIDED);
            releaseIfReached(gatesB, CrashScenarios.SENDING);
            loopB.close();
            // The next test needs both servers, also after a failure between the kill and the restart.
            if (!serverA.isRunning()) {
                serverA.restart(EAR, properties("node-a", "tx-node-a"), BOOT);
            }
        }
    }

    @Test
    @Order(3)
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aServerRenamedAfterItsCrashListsTheOldNodesBranchAndAnOperatorCommitsItByHand() throws Exception {
        CommitLoop loopA = loop("A", serverA, "a-loop");
        Path gates = work.resolve("gates-b2-" + run);
        try {
            loopA.awaitCommitted(3, Duration.ofMinutes(2));
            CompletableFuture<HttpResponse<String>> decided = GatedCalls.scenario(serverB.httpPort(),
                    CrashScenarios.DECIDED, topic("b2-decided"), gates, DEFINITION);
            durations.timed("B decided", () -> GatedCalls.awaitGates(List.of(
                    new FileGate(gates, CrashScenarios.DECIDED)), List.of(decided), Duration.ofMinutes(2)));
            assertHeldBack("b2-decided");

            durations.timed("kill B", serverB::kill);
            assertTrue(GatedCalls.failedWithoutAnswer(decided), "B answered instead of dying");
            durations.timed("restart B as node-b2", () -> serverB.restart(EAR, properties("node-b2", "tx-node-b"),
                    BOOT));
            assertServerDefaults(serverB, "node-b2", "tx-node-b");
            // The definition's first use registers its MBean; it also shows that the renamed server commits.
            assertEquals("200 committed", GatedCalls.answer(GatedCalls.get(serverB.httpPort(),
                    "/crash/commit?definition=" + DEFINITION + "&topic=" + topic("b2-first") + "&value=b2/1",
                    Duration.ofSeconds(90))), "node-b2 commits");

            Map<String, String> branch = awaitListedBranchOf("node-b");
            assertEquals("node-b", item(branch, "node"), "the node part of its transactional id: " + branch);
            assertEquals("true", item(branch, "otherNode"), "marked as another node's: " + branch);
            assertHeldBack("b2-decided");

            String xid = item(branch, "xid");
            String outcome = GatedCalls.answer(GatedCalls.get(serverB.httpPort(), inDoubtQuery("node-b2")
                    + "&commit=" + xid, Duration.ofSeconds(90)));
            assertTrue(outcome.startsWith("200 Committed"), "the operator's commit: " + outcome);
            assertEquals(List.of("decided/1", "decided/2", "decided/3"),
                    broker.committedToLogEnd(topic("b2-decided"), Duration.ofSeconds(60)),
                    "committed by hand, exactly once; read_committed readers reach the log end");

            loopA.stop();
            assertEquals(List.of(), loopA.failures(), "A never failed while B crashed and was renamed: " + loopA);
            assertExactlyOnce(loopA);
        } finally {
            System.out.println("TwoServersSharedPrefixIT, B's crash and rename: " + loopA);
            loopA.close();
        }
    }

    private CommitLoop loop(String name, LocalWildFly server, String topicName) {
        CommitLoop loop = new CommitLoop(name, server.httpPort(), DEFINITION, topic(topicName));
        loops.add(loop);
        return loop.start();
    }

    /** Every value the loop committed, nothing else, each once, in the order committed (one partition). */
    private void assertExactlyOnce(CommitLoop loop) throws Exception {
        assertEquals(loop.committed(), broker.committedToLogEnd(loop.topic(), Duration.ofSeconds(60)),
                loop.toString());
    }

    /** The three records of a held transaction are in the log, invisible to read_committed readers. */
    private void assertHeldBack(String topicName) throws Exception {
        assertEquals(3, broker.logEnd(topic(topicName)), topicName + ": the three records are in the log");
        assertEquals(0, broker.lastStable(topic(topicName)), topicName + ": prepared, not yet visible");
    }

    /** Held back (prepared, neither committed nor aborted) at every look until the deadline. */
    private void assertStaysHeldBack(String topicName, long deadlineNanos) throws Exception {
        while (System.nanoTime() < deadlineNanos) {
            long logEnd = broker.logEnd(topic(topicName));
            long stable = broker.lastStable(topic(topicName));
            if (logEnd != 3 || stable != 0) {
                throw new AssertionError(topicName + " was completed " + TimeUnit.NANOSECONDS.toSeconds(
                        deadlineNanos - System.nanoTime()) + " s before " + DOWN_WITH_BRANCH_PREPARED + " after A's "
                        + "kill, while A was down: log end " + logEnd + ", last stable offset " + stable
                        + ", read_committed reads " + broker.committedToLogEnd(topic(topicName),
                        Duration.ofSeconds(30)) + " (nothing: aborted)");
            }
            TimeUnit.SECONDS.sleep(2);
        }
    }

    private String inDoubtQuery(String node) {
        return "/crash/in-doubt?prefix=" + PREFIX + "&node=" + node;
    }

    /** The branch of {@code node}'s transactional ids that the renamed server's MBean lists, within 90 s. */
    private Map<String, String> awaitListedBranchOf(String node) throws Exception {
        String ids = PREFIX + "-" + node + "-";
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            String listing = GatedCalls.answer(GatedCalls.get(serverB.httpPort(), inDoubtQuery("node-b2"),
                    Duration.ofSeconds(30)));
            if (listing.startsWith("200 ")) {
                List<String> lines = listing.substring(4).lines().toList();
                for (String line : lines) {
                    Map<String, String> branch = items(line);
                    if (line.startsWith("branch\t") && item(branch, "transactionalId").startsWith(ids)) {
                        String xid = item(branch, "xid");
                        assertTrue(lines.stream().anyMatch(summary -> summary.startsWith("summary\t")
                                && summary.contains(xid) && summary.contains("node=" + node)
                                && summary.contains("other node")), "its summary names node=" + node
                                + " and 'other node': " + listing);
                        return branch;
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Within 90 s, the in-doubt MBean of node-b2 listed no branch of " + ids
                        + "*: " + listing);
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }

    private static Map<String, String> items(String line) {
        Map<String, String> items = new LinkedHashMap<>();
        Arrays.stream(line.split("\t")).skip(1).map(item -> item.split("=", 2))
                .forEach(pair -> items.put(pair[0], pair.length > 1 ? pair[1] : ""));
        return items;
    }

    /** An item of the branch's composite, whatever the case of its first letter (MXBean items start lower case). */
    private static String item(Map<String, String> branch, String name) {
        return branch.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst()
                .orElseThrow(() -> new AssertionError("No item " + name + " in the listed branch " + branch));
    }

    private static void releaseIfReached(Path gates, String name) throws Exception {
        FileGate gate = new FileGate(gates, name);
        if (gate.isReached()) {
            gate.release();
        }
    }

    @AfterAll
    void stopEverything() {
        loops.forEach(CommitLoop::close);
        if (serverA != null) {
            serverA.stop();
        }
        if (serverB != null) {
            serverB.stop();
        }
        if (broker != null) {
            broker.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        System.out.println("TwoServersSharedPrefixIT durations: " + durations);
    }
}
