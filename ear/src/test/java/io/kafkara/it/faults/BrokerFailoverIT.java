package io.kafkara.it.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.kafkara.it.StrictArchiveValidation;
import io.kafkara.it.Topics;
import io.kafkara.it.admin.StandaloneAdapter;
import io.kafkara.it.broker.KafkaCluster;
import io.kafkara.it.check.CheckReport;
import io.kafkara.it.tx.fault.BrokerFreeze;

/**
 * Broker failures under load through the adapter in WildFly, on three real brokers (replication 3,
 * min.insync.replicas=2, idempotence and acks at Kafka's defaults): callers on container threads keep sending
 * while the leader of a partition is killed (SIGKILL) and restarted, or frozen (SIGSTOP) beyond the definitions'
 * request timeout. Each scenario proves its fault took effect (the partition's leader changed while traffic flowed),
 * then the checker reads every partition back and must find no anomaly: every acknowledged record exactly once and
 * in per-key order, every committed transaction whole, nothing of a rolled-back one. The amounts are short here;
 * the faults campaign runs the same scenarios longer.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@ServerSetup({StrictArchiveValidation.class, FaultClusterSetup.class})
class BrokerFailoverIT {

    private static final int PARTITIONS = 3;
    private static final int REPLICAS = 3;
    private static final Duration FAULT_LIMIT = Duration.ofSeconds(60);
    /** Longer than the definitions' request.timeout.ms, so requests to the frozen broker time out. */
    private static final Duration FREEZE = Duration.ofSeconds(10);
    private static final int RUN_WAIT_SECONDS = 240;
    /** Answers that show traffic flows: acknowledgements of sends, or ended transactions. */
    private static final int RECORD_ANSWERS = 200;
    private static final int TRANSACTION_ANSWERS = 2;

    private static final int RECORD_CALLERS = Integer.getInteger("faults.records.callers", 4);
    /** At most; the callers stop when the faults are over. */
    private static final int RECORDS_PER_CALLER = Integer.getInteger("faults.records.perCaller", 500_000);
    private static final int TRANSACTION_CALLERS = Integer.getInteger("faults.transactions.callers", 2);
    /** At most; the callers stop when the faults are over. */
    private static final int TRANSACTIONS_PER_CALLER = Integer.getInteger("faults.transactions.perCaller", 10_000);
    private static final int TRANSACTION_SIZE = Integer.getInteger("faults.transactions.size", 20);
    /** The faults campaign kills the leader more often, then restarts every broker in turn, and freezes more. */
    private static final int LEADER_KILLS = Integer.getInteger("faults.leaderKills", 1);
    private static final boolean ROLLING_RESTART = Boolean.getBoolean("faults.rollingRestart");
    private static final int FREEZES = Integer.getInteger("faults.freezes", 1);
    /** The records scenario's callers go on until they sent at least this many records in all. */
    private static final int RECORDS_MINIMUM = Integer.getInteger("faults.records.minimum", 0);
    /** Each scenario's bound; the campaign's longer scenarios need more than the build's short ones. */
    private static final Duration SCENARIO_LIMIT = Duration.ofMinutes(Integer.getInteger("faults.scenario.minutes", 6));
    /** Where the faults campaign collects each scenario's figures for src/docs/reliability.md; unset in a build. */
    private static final String REPORT_DIR = System.getProperty("faults.report.dir", "");

    private final HttpClient http = HttpClient.newHttpClient();

    @ArquillianResource
    @OperateOnDeployment("application")
    private URL application;

    @Deployment(name = "adapter", order = 1, testable = false)
    static ResourceAdapterArchive adapter() {
        return StandaloneAdapter.asBuilt();
    }

    @Deployment(name = "application", order = 2, testable = false)
    static WebArchive application() {
        return StandaloneAdapter.application("broker-failover", FailoverCallers.class, FailoverServlet.class,
                CallerLog.class, CallerLog.Outcome.class);
    }

    @BeforeAll
    static void forgetAnEarlierRun() throws Exception {
        if (!REPORT_DIR.isEmpty()) {
            BrokerScenarioResult.clear(Path.of(REPORT_DIR));
        }
    }

    @Test
    void acknowledgedSendsSurviveALeaderKillAndAFrozenBroker() {
        assertTimeoutPreemptively(SCENARIO_LIMIT, () -> {
            long began = System.nanoTime();
            String topic = topic("failover-records");
            String run = start("scenario=records&jndi=" + FaultClusterSetup.PLAIN + "&topic=" + topic + "&callers="
                    + RECORD_CALLERS + "&records=" + RECORDS_PER_CALLER + "&keys=50&inFlight=100");

            FaultCount faults = bounce(topic, RECORD_ANSWERS);
            for (int freeze = 0; freeze < FREEZES; freeze++) {
                freezeTheLeader(topic, (1 + freeze) % PARTITIONS, RECORD_ANSWERS);
                faults.froze();
            }
            do {
                awaitTraffic(RECORD_ANSWERS);
            } while (progress() < RECORDS_MINIMUM);
            stop();

            ScenarioRecord record = ScenarioRecord.parse(result(run));
            assertTrue(record.sends() < RECORD_CALLERS * RECORDS_PER_CALLER, "the callers ran out of records before "
                    + "the faults were over: the scenario proves less than it says");
            assertTrue(record.sends() >= RECORDS_MINIMUM, "the callers sent " + record.sends() + " records, fewer "
                    + "than faults.records.minimum=" + RECORDS_MINIMUM);
            CheckReport report = record.check(cluster().bootstrapServers(), List.of(topic), null);
            report(new BrokerScenarioResult("records, " + RECORD_CALLERS + " callers (" + FaultClusterSetup.PLAIN
                    + ")", faults, record, report, Duration.ofNanos(System.nanoTime() - began)));
            report.assertNone();
        });
    }

    @Test
    void localTransactionsStayWholeThroughALeaderKill() {
        assertTimeoutPreemptively(SCENARIO_LIMIT,
                () -> transactionsThroughALeaderKill(FaultClusterSetup.LOCAL, "fault-local"));
    }

    @Test
    void xaTransactionsStayWholeThroughALeaderKill() {
        assertTimeoutPreemptively(SCENARIO_LIMIT,
                () -> transactionsThroughALeaderKill(FaultClusterSetup.XA, "fault-xa"));
    }

    private void transactionsThroughALeaderKill(String jndi, String transactionalIdPrefix) throws Exception {
        long began = System.nanoTime();
        String topic = topic("failover-tx");
        String run = start("scenario=transactions&jndi=" + jndi + "&topic=" + topic + "&callers="
                + TRANSACTION_CALLERS + "&transactions=" + TRANSACTIONS_PER_CALLER + "&size=" + TRANSACTION_SIZE);

        FaultCount faults = bounce(topic, TRANSACTION_ANSWERS);
        awaitTraffic(TRANSACTION_ANSWERS);
        stop();

        ScenarioRecord record = ScenarioRecord.parse(result(run));
        assertTrue(record.transactions() < TRANSACTION_CALLERS * TRANSACTIONS_PER_CALLER, "the callers ran out of "
                + "transactions before the faults were over: the scenario proves less than it says");
        CheckReport report = record.check(cluster().bootstrapServers(), List.of(topic), transactionalIdPrefix);
        report(new BrokerScenarioResult("transactions of " + TRANSACTION_SIZE + " records, " + TRANSACTION_CALLERS
                + " callers (" + jndi + ")", faults, record, report,
                Duration.ofNanos(System.nanoTime() - began)));
        report.assertNone();
    }

    /** The leader kills of the scenario, then (in the campaign) every broker restarted one after another. */
    private FaultCount bounce(String topic, int answers) throws Exception {
        FaultCount faults = new FaultCount();
        for (int kill = 0; kill < LEADER_KILLS; kill++) {
            killAndRestartTheLeader(topic, kill % PARTITIONS, answers);
            faults.killed();
        }
        if (ROLLING_RESTART) {
            try (PartitionLeadership leadership = new PartitionLeadership(cluster().bootstrapServers())) {
                for (int node = 0; node < cluster().size(); node++) {
                    awaitTraffic(answers);
                    cluster().restart(node);
                    leadership.awaitFullySynced(topic, REPLICAS, FAULT_LIMIT);
                    faults.restarted();
                }
            }
        }
        return faults;
    }

    private static void report(BrokerScenarioResult result) throws IOException {
        if (!REPORT_DIR.isEmpty()) {
            result.write(Path.of(REPORT_DIR));
        }
    }

    /**
     * With traffic flowing: kills the partition's leader, proves another broker took over while callers kept being
     * answered, restarts it and waits until every replica is back in sync.
     */
    private void killAndRestartTheLeader(String topic, int partition, int answers) throws Exception {
        try (PartitionLeadership leadership = new PartitionLeadership(cluster().bootstrapServers())) {
            awaitTraffic(answers);
            int leader = leadership.leader(topic, partition);
            cluster().kill(leader);
            try {
                leadership.awaitLeaderOtherThan(topic, partition, leader, FAULT_LIMIT);
                awaitTraffic(answers);
            } finally {
                cluster().restart(leader);
            }
            leadership.awaitFullySynced(topic, REPLICAS, FAULT_LIMIT);
        }
    }

    /** With traffic flowing: freezes the partition's leader beyond the request timeout, then lets it go on. */
    private void freezeTheLeader(String topic, int partition, int answers) throws Exception {
        try (PartitionLeadership leadership = new PartitionLeadership(cluster().bootstrapServers())) {
            awaitTraffic(answers);
            int leader = leadership.leader(topic, partition);
            try (BrokerFreeze frozen = BrokerFreeze.stop(cluster().pid(leader))) {
                leadership.awaitLeaderOtherThan(topic, partition, leader, FAULT_LIMIT);
                awaitTraffic(answers);
                while (frozen.elapsed().compareTo(FREEZE) < 0) {
                    TimeUnit.MILLISECONDS.sleep(100);
                }
            }
            leadership.awaitFullySynced(topic, REPLICAS, FAULT_LIMIT);
        }
    }

    /** Until callers got {@code answers} more answers (acknowledgements, ended transactions), within the bound. */
    private void awaitTraffic(int answers) throws Exception {
        long before = progress();
        long deadline = System.nanoTime() + FAULT_LIMIT.toNanos();
        while (progress() < before + answers) {
            assertTrue(System.nanoTime() < deadline, "no caller was answered within " + FAULT_LIMIT);
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private String topic(String prefix) throws Exception {
        String topic = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        Topics.createReplicated(cluster().bootstrapServers(), topic, PARTITIONS, REPLICAS);
        return topic;
    }

    private static KafkaCluster cluster() {
        return FaultClusterSetup.cluster();
    }

    private String start(String query) throws Exception {
        HttpResponse<String> started = http.send(HttpRequest.newBuilder(endpoint("start?" + query))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, started.statusCode(), started.body());
        return started.body();
    }

    private void stop() throws Exception {
        HttpResponse<String> stopped = http.send(HttpRequest.newBuilder(endpoint("stop"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, stopped.statusCode(), stopped.body());
    }

    private long progress() throws Exception {
        return Long.parseLong(http.send(HttpRequest.newBuilder(endpoint("progress")).build(),
                HttpResponse.BodyHandlers.ofString()).body().trim());
    }

    private List<String> result(String run) throws Exception {
        HttpResponse<String> result = http.send(HttpRequest.newBuilder(endpoint("result?run=" + run + "&wait="
                + RUN_WAIT_SECONDS)).timeout(Duration.ofSeconds(RUN_WAIT_SECONDS + 30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, result.statusCode(), result.body());
        return result.body().lines().toList();
    }

    private URI endpoint(String path) throws Exception {
        return new URL(application, "failover/" + path).toURI();
    }
}
