package io.kafkara.it.tx.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import io.kafkara.it.KafkaBrokerSetup;
import io.kafkara.it.SampleDeployment;
import io.kafkara.it.StrictArchiveValidation;
import io.kafkara.it.Topics;
import io.kafkara.it.tx.NoOpXAResource;

/**
 * The broker freezes (SIGSTOP) just as the application commits: everything was sent and acknowledged, only the
 * commit meets the frozen coordinator (for two-phase commits: the commit of the prepared branch, the prepare and its
 * branch journal write happened before). Frozen for twice {@code maxBlockMs} (6 s), the commit must wait it out and
 * succeed exactly once, for a LocalTransaction and for an XA definition, one-phase and two-phase. Frozen for
 * {@code commitTimeoutMs} plus 10 s (22 s), {@code commit()} must return by the deadline with the documented
 * in-doubt outcome, never "rolled back" for records that become visible, nothing committed twice, and for XA with a
 * database row, row and records must agree once recovery ran (Narayana scans every 5 s in the test server). The
 * LocalTransaction with a database row shows the last-resource window; its measured facts go to the test output.
 * Each scenario has its own topic and order key; read_committed readers count that order's records exactly.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@ServerSetup({StrictArchiveValidation.class, KafkaBrokerSetup.class, FrozenBrokerSetup.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FrozenBrokerCommitIT {

    private static final long MAX_BLOCK_MS = 3_000;
    private static final long COMMIT_TIMEOUT_MS = 12_000;
    /** Scheduling, the destroy of an in-doubt connection and the HTTP round trip on a busy 2-core machine. */
    private static final long SLACK_MS = 3_000;
    private static final Duration SHORT_FREEZE = Duration.ofMillis(2 * MAX_BLOCK_MS);
    private static final Duration LONG_FREEZE = Duration.ofMillis(COMMIT_TIMEOUT_MS + 10_000);
    /** After the resume: for the engine's background EndTxn, or for Narayana's recovery, to finish the commit. */
    private static final Duration AFTER_RESUME = Duration.ofSeconds(60);
    private static final String HEURISTIC_MIXED = "jakarta.transaction.HeuristicMixedException";
    private static final String ROLLBACK = "jakarta.transaction.RollbackException";

    private static final String LOCAL = definition("FrozenLocal", "frozen-local", "LocalTransaction", "");
    private static final String XA = definition("FrozenXA", "frozen-xa", "XATransaction", """
              <config-property name="branchJournalTopic">kafka-ra-branches</config-property>
              <xa-pool><max-pool-size>5</max-pool-size></xa-pool>
              <recovery><recover-credential><user-name>recovery</user-name><password>recovery</password></recover-credential></recovery>
            """);

    private static String definition(String name, String prefix, String support, String more) {
        return """
                <connection-definition class-name="io.kafkara.spi.KafkaManagedConnectionFactory"
                                       jndi-name="java:/kafka/%1$s" pool-name="Kafka%1$s">
                  <config-property name="bootstrapServers">${%2$s}</config-property>
                  <config-property name="keySerializer">org.apache.kafka.common.serialization.StringSerializer</config-property>
                  <config-property name="valueSerializer">org.apache.kafka.common.serialization.StringSerializer</config-property>
                  <config-property name="clientIdPrefix">%3$s</config-property>
                  <config-property name="transactionSupportLevel">%4$s</config-property>
                  <config-property name="transactionalIdPrefix">%3$s</config-property>
                  <config-property name="maxBlockMs">%5$d</config-property>
                  <config-property name="commitTimeoutMs">%6$d</config-property>
                %7$s</connection-definition>
                """.formatted(name, FrozenBrokerSetup.BOOTSTRAP_PROPERTY, prefix, support, MAX_BLOCK_MS,
                COMMIT_TIMEOUT_MS, more);
    }

    @ArquillianResource
    private ManagementClient management;

    private final HttpClient http = HttpClient.newHttpClient();

    @Deployment(testable = false)
    static EnterpriseArchive sample() {
        EnterpriseArchive ear = SampleDeployment.withExtraDefinitions(LOCAL + XA);
        return ear.addAsModule(ShrinkWrap.create(WebArchive.class, "frozen.war")
                .addClasses(FrozenCommitServlet.class, CommitHold.class, HoldingResource.class, NoOpXAResource.class));
    }

    @Test
    @Order(1)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aLocalTransactionCommitsOnceThroughAFreezeOfTwiceMaxBlock() throws Exception {
        Scenario scenario = new Scenario("FrozenLocal", false, false);
        Commit commit = scenario.commitWhileFrozen(SHORT_FREEZE);
        List<String> visible = awaitQuietly(() -> scenario.values().afterMarker(scenario.order, AFTER_RESUME));
        report("local, frozen 6 s", commit, null, visible);

        assertEquals("committed", commit.outcome(), commit.toString());
        assertWithinDeadline(commit);
        assertAnsweredAfterTheResume(commit);
        assertEquals(scenario.three(), visible, "committed exactly once");
    }

    @Test
    @Order(2)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aOnePhaseXaCommitCommitsOnceThroughAFreezeOfTwiceMaxBlock() throws Exception {
        Scenario scenario = new Scenario("FrozenXA", false, false);
        Commit commit = scenario.commitWhileFrozen(SHORT_FREEZE);
        List<String> visible = awaitQuietly(() -> scenario.values().afterMarker(scenario.order, AFTER_RESUME));
        report("XA one-phase, frozen 6 s", commit, null, visible);

        assertEquals("committed", commit.outcome(), commit.toString());
        assertWithinDeadline(commit);
        assertAnsweredAfterTheResume(commit);
        assertEquals(scenario.three(), visible, "committed exactly once");
    }

    @Test
    @Order(3)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aTwoPhaseXaCommitWithADatabaseRowCommitsBothOnceThroughAFreezeOfTwiceMaxBlock() throws Exception {
        Scenario scenario = new Scenario("FrozenXA", true, true);
        Commit commit = scenario.commitWhileFrozen(SHORT_FREEZE);
        boolean row = rowExists(scenario.order);
        List<String> visible = awaitQuietly(() -> scenario.values().afterMarker(scenario.order, AFTER_RESUME));
        report("XA two-phase with a row, frozen 6 s", commit, row, visible);

        assertEquals("committed", commit.outcome(), commit.toString());
        assertWithinDeadline(commit);
        assertAnsweredAfterTheResume(commit);
        assertTrue(row, "the row commits with the records");
        assertEquals(scenario.three(), visible, "committed exactly once");
    }

    @Test
    @Order(4)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aLocalTransactionFrozenPastTheDeadlineIsInDoubtAndEndsCommittedOnce() throws Exception {
        Scenario scenario = new Scenario("FrozenLocal", false, false);
        Commit commit = scenario.commitWhileFrozen(LONG_FREEZE);
        List<String> visible = awaitQuietly(() -> scenario.values().afterMarker(scenario.order, AFTER_RESUME));
        report("local, frozen 22 s", commit, null, visible);

        assertWithinDeadline(commit);
        assertRetriedForTheWholeDeadline(commit);
        assertTrue(commit.outcome().startsWith(HEURISTIC_MIXED), "outcome unknown, not rolled back: " + commit);
        assertEquals(scenario.three(), visible, "the EndTxn sent before the deadline commits once the broker resumes, "
                + "exactly once");
    }

    @Test
    @Order(5)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aOnePhaseXaCommitFrozenPastTheDeadlineIsAHeuristicHazardAndNeverCommitsTwice() throws Exception {
        Scenario scenario = new Scenario("FrozenXA", false, false);
        Commit commit = scenario.commitWhileFrozen(LONG_FREEZE);
        List<String> visible = awaitQuietly(() -> scenario.values().afterMarker(scenario.order, AFTER_RESUME));
        report("XA one-phase, frozen 22 s", commit, null, visible);

        assertWithinDeadline(commit);
        assertRetriedForTheWholeDeadline(commit);
        assertTrue(commit.outcome().startsWith(HEURISTIC_MIXED), "XA_HEURHAZ: " + commit);
        assertTrue(visible.isEmpty() || visible.equals(scenario.three()), "exactly once or not at all: " + visible);
        System.out.println("FrozenBrokerCommitIT XA one-phase, frozen 22 s: the records ended "
                + (visible.isEmpty() ? "invisible (aborted)" : "committed exactly once"));
    }

    @Test
    @Order(6)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aTwoPhaseXaCommitFrozenPastTheDeadlineEndsWithRowAndRecordsCommittedOnceAfterRecovery() throws Exception {
        Scenario scenario = new Scenario("FrozenXA", true, true);
        Commit commit = scenario.commitWhileFrozen(LONG_FREEZE);
        boolean rowAtAnswer = rowExists(scenario.order);
        List<String> visible = awaitQuietly(() -> scenario.values().awaitAtLeast(scenario.order, 3, AFTER_RESUME));
        boolean row = awaitRow(scenario.order, AFTER_RESUME);
        List<String> all = awaitQuietly(() -> scenario.values().afterMarker(scenario.order, AFTER_RESUME));
        report("XA two-phase with a row, frozen 22 s (row when commit() returned: " + rowAtAnswer + ", records "
                + "before the marker: " + visible + ")", commit, row, all);

        assertWithinDeadline(commit);
        assertRetriedForTheWholeDeadline(commit);
        assertTrue(row, "recovery commits the row");
        assertEquals(scenario.three(), all, "recovery commits the records, exactly once");
    }

    @Test
    @Order(7)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aLocalTransactionWithADatabaseRowFrozenPastTheDeadlineShowsTheLastResourceWindow() throws Exception {
        Scenario scenario = new Scenario("FrozenLocal", true, false);
        Commit commit = scenario.commitWhileFrozen(LONG_FREEZE);
        boolean row = rowExists(scenario.order);
        List<String> visible = awaitQuietly(() -> scenario.values().afterMarker(scenario.order, AFTER_RESUME));
        report("LAST-RESOURCE WINDOW: local with a row, frozen 22 s", commit, row, visible);

        assertWithinDeadline(commit);
        assertRetriedForTheWholeDeadline(commit);
        assertTrue(commit.outcome().startsWith(ROLLBACK), "Narayana rolls the database back when the last resource "
                + "fails: " + commit);
        assertFalse(row, "the row is rolled back");
        assertEquals(scenario.three(), visible, "the EndTxn sent before the deadline commits once the broker resumes");
    }

    /**
     * One transaction: its own topic on the frozen broker and its own order key. {@code holdInCommit}: the broker
     * freezes once every branch is prepared (two-phase, see {@link HoldingResource}), else before commit() starts.
     */
    private final class Scenario {

        private final String definition;
        private final boolean row;
        private final boolean holdInCommit;
        private final String topic = "frozen-" + UUID.randomUUID();
        private final String order = "order-" + UUID.randomUUID();

        Scenario(String definition, boolean row, boolean holdInCommit) {
            this.definition = definition;
            this.row = row;
            this.holdInCommit = holdInCommit;
            Topics.create(FrozenBrokerSetup.bootstrapServers(), topic, 1);
        }

        List<String> three() {
            return List.of(order + "/1", order + "/2", order + "/3");
        }

        CommittedValues values() {
            return new CommittedValues(FrozenBrokerSetup.bootstrapServers(), topic);
        }

        /**
         * Runs the transaction up to its commit, freezes the broker, lets the commit start and keeps the broker
         * frozen for {@code freeze} (also when commit() answers earlier: the scenario is the freeze's length), then
         * resumes it and returns what the application saw.
         */
        Commit commitWhileFrozen(Duration freeze) throws Exception {
            CompletableFuture<HttpResponse<String>> call = http.sendAsync(HttpRequest.newBuilder(web("commit?definition="
                    + definition + "&topic=" + topic + "&order=" + order + "&row=" + row + "&holdInCommit=" + holdInCommit))
                    .timeout(Duration.ofMinutes(3)).build(), HttpResponse.BodyHandlers.ofString());
            awaitHeld(call);
            long frozenMs;
            boolean answeredWhileFrozen;
            try (BrokerFreeze frozen = BrokerFreeze.stop(FrozenBrokerSetup.pid())) {
                assertEquals("true", get("release?order=" + order), "the held transaction is released");
                answerOrTimeout(call, freeze.minus(frozen.elapsed()));
                Duration left = freeze.minus(frozen.elapsed());
                if (!left.isNegative()) {
                    // The freeze's length is the scenario's input, not a wait for a condition.
                    TimeUnit.NANOSECONDS.sleep(left.toNanos());
                }
                frozenMs = frozen.elapsed().toMillis();
                answeredWhileFrozen = call.isDone();
            }
            return Commit.parse(call.get(2, TimeUnit.MINUTES).body(), frozenMs, answeredWhileFrozen);
        }

        private void awaitHeld(CompletableFuture<HttpResponse<String>> call) throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!get("reached?order=" + order).equals("true")) {
                if (call.isDone()) {
                    throw new AssertionError("The transaction ended before it reached its commit: "
                            + call.get().body());
                }
                assertTrue(System.nanoTime() < deadline, "the transaction of " + order + " reached its commit in 60 s");
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
    }

    private static void answerOrTimeout(CompletableFuture<HttpResponse<String>> call, Duration within)
            throws InterruptedException, ExecutionException {
        if (within.isNegative()) {
            return;
        }
        try {
            call.get(within.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // Still committing when the freeze ends: the usual case for a short freeze.
        }
    }

    /** What the application saw: {@code committed} or the exception, and how long commit() took. */
    private record Commit(String outcome, long commitMs, long frozenMs, boolean answeredWhileFrozen) {

        static Commit parse(String body, long frozenMs, boolean answeredWhileFrozen) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String line : body.split("\n")) {
                int equals = line.indexOf('=');
                if (equals > 0) {
                    fields.put(line.substring(0, equals), line.substring(equals + 1));
                }
            }
            if (!fields.containsKey("commitMs")) {
                throw new AssertionError("The transaction never reached commit(): " + body);
            }
            return new Commit(fields.get("outcome"), Long.parseLong(fields.get("commitMs")), frozenMs,
                    answeredWhileFrozen);
        }
    }

    /**
     * A frozen coordinator cannot have confirmed a commit: an answer before the resume is a guess or a promise of
     * recovery, while within commitTimeoutMs the adapter keeps retrying until the broker answers.
     */
    private static void assertAnsweredAfterTheResume(Commit commit) {
        assertFalse(commit.answeredWhileFrozen(), "commit() waits for the coordinator's answer while the freeze is "
                + "shorter than commitTimeoutMs=" + COMMIT_TIMEOUT_MS + " ms: " + commit);
    }

    /** The adapter gives up on a frozen coordinator only once commitTimeoutMs has passed. */
    private static void assertRetriedForTheWholeDeadline(Commit commit) {
        assertTrue(commit.commitMs() >= COMMIT_TIMEOUT_MS - 1_000, "commit() retries for commitTimeoutMs="
                + COMMIT_TIMEOUT_MS + " ms before it reports the outcome: " + commit);
    }

    private static void assertWithinDeadline(Commit commit) {
        assertTrue(commit.commitMs() < COMMIT_TIMEOUT_MS + SLACK_MS, "commit() returns within commitTimeoutMs="
                + COMMIT_TIMEOUT_MS + " ms (+" + SLACK_MS + " ms slack): " + commit);
    }

    private static void report(String scenario, Commit commit, Boolean row, List<String> visible) {
        System.out.println("FrozenBrokerCommitIT " + scenario + ": outcome=" + commit.outcome() + ", commit() took "
                + commit.commitMs() + " ms, broker frozen " + commit.frozenMs() + " ms" + (commit.answeredWhileFrozen()
                ? " (answered while frozen)" : "")
                + (row == null ? "" : ", row " + (row ? "present" : "absent")) + ", visible records " + visible);
    }

    @FunctionalInterface
    private interface Read {
        List<String> read();
    }

    /** The values, or the failure as a fact to report, so the later checks still run and report. */
    private static List<String> awaitQuietly(Read read) {
        try {
            return read.read();
        } catch (AssertionError e) {
            return List.of("(" + e.getMessage() + ")");
        }
    }

    private boolean awaitRow(String order, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (!rowExists(order)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        return true;
    }

    private boolean rowExists(String order) throws IOException, InterruptedException {
        String answer = get("row?order=" + order);
        assertTrue(answer.equals("true") || answer.equals("false"), "the row query answered " + answer);
        return Boolean.parseBoolean(answer);
    }

    private String get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(web(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private URI web(String path) {
        return management.getWebUri().resolve("/frozen/" + path);
    }
}
