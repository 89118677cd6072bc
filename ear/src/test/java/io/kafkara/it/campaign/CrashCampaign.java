package io.kafkara.it.campaign;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.kafkara.it.Topics;
import io.kafkara.it.broker.KafkaCluster;
import io.kafkara.it.broker.KafkaClusterBuilder;
import io.kafkara.it.check.CheckReport;
import io.kafkara.it.check.Checker;
import io.kafkara.it.check.History;
import io.kafkara.it.check.KafkaReader;
import io.kafkara.it.db.LocalPostgres;
import io.kafkara.it.db.PostgresXaDeployment;
import io.kafkara.it.run.LocalWildFly;
import io.kafkara.it.tx.crash.CrashDeployment;

/**
 * One crash campaign against one broker mode: a real PostgreSQL, one Kafka broker (stock, or configured for
 * two-phase commit), and a WildFly of its own (the first free port offset from 1200, node name
 * {@value #NODE}, Narayana scanning every 5 s) with the Byteman agent, the PostgreSQL XA datasource and the
 * sample EAR with the {@link OrderServlet}. {@link Callers} place orders all along; each round ends with one kill
 * ({@link Fault}), then the server restarts on the same base directory and the next round begins once recovery
 * settled ({@link RecoverySettled}). At the end the {@link Checker} compares what the callers were told with the
 * topic and the committed rows.
 */
final class CrashCampaign {

    static final String NODE = "campaign-node";

    private static final Duration BOOT = Duration.ofMinutes(3);
    private static final Duration SETTLE = Duration.ofMinutes(3);
    /** Orders each round completes before its fault is armed, and how long they may take. */
    private static final int WARM_UP_ORDERS = 12;
    private static final Duration WARM_UP_LIMIT = Duration.ofMinutes(2);
    /** A point rule fires after a few dozen orders; a round that waits longer than this has no kill to prove. */
    private static final Duration POINT_HIT = Duration.ofMinutes(2);
    private static final Duration READ = Duration.ofMinutes(2);
    private static final int CALLERS = 8;
    private static final int PARTITIONS = 3;

    private final String mode;
    private final boolean twoPhaseCommit;
    private final List<Fault> faults;
    private final Path work;
    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private final String topic = "campaign-" + run;
    private final History history = new History();
    private final Map<String, Integer> kills = new LinkedHashMap<>();
    private final List<String> evidence = new ArrayList<>();

    /** {@code faults}: the rounds, in order; {@code work}: a directory name under the build directory. */
    CrashCampaign(String mode, boolean twoPhaseCommit, List<Fault> faults, String work) {
        this.mode = mode;
        this.twoPhaseCommit = twoPhaseCommit;
        this.faults = List.copyOf(faults);
        this.work = CrashDeployment.workDirectory(work);
        for (CrashPoint point : CrashPoint.values()) {
            kills.put(point.label(), 0);
        }
        kills.put("random", 0);
    }

    /** Runs every round and checks; whatever happens, stops the server, the broker and PostgreSQL. */
    CampaignResult run() throws Exception {
        long started = System.nanoTime();
        LocalPostgres db = LocalPostgres.start(CrashDeployment.workDirectory("postgres-dist"),
                work.resolve("postgres"));
        KafkaCluster cluster = null;
        LocalWildFly server = null;
        try {
            createOrdersTable(db);
            KafkaClusterBuilder brokers = KafkaCluster.builder().brokers(1);
            cluster = (twoPhaseCommit ? brokers.twoPhaseCommit() : brokers).start();
            Topics.create(cluster.bootstrapServers(), topic, PARTITIONS);
            FaultRules rules = new FaultRules(work.resolve("byteman"));
            server = LocalWildFly.prepare(Path.of(System.getProperty("jboss.home")), work.resolve("wildfly"),
                    LocalWildFly.freePortOffset(1200));
            server.environment("JDK_JAVA_OPTIONS", rules.javaOptions());
            for (Path deployment : CampaignDeployment.export(work, db)) {
                server.deploy(deployment);
            }
            CampaignResult result = rounds(db, cluster.bootstrapServers(), server, rules, started);
            server.stop();
            return result;
        } finally {
            if (server != null) {
                server.stop();
            }
            if (cluster != null) {
                cluster.close();
            }
            db.close();
            List<String> left = new ArrayList<>();
            db.processes().forEach(process -> left.add("PostgreSQL " + process.pid()));
            if (server != null && server.isRunning()) {
                left.add("WildFly (and its Byteman agent) under " + server.baseDir());
            }
            if (cluster != null && cluster.isRunning(0)) {
                left.add("Kafka broker " + cluster.pid(0));
            }
            if (!left.isEmpty()) {
                throw new AssertionError("Processes outlived the campaign: " + left);
            }
        }
    }

    private CampaignResult rounds(LocalPostgres db, String bootstrap, LocalWildFly server, FaultRules rules,
            long started) throws Exception {
        Map<String, String> properties = systemProperties(bootstrap);
        rules.prepare(1, faults.get(0));
        server.start(properties);
        awaitDeployed(server);
        try (RecoverySettled settled = new RecoverySettled(db, bootstrap, CampaignDeployment.TRANSACTIONAL_ID_PREFIX);
             Callers callers = new Callers(history, run, topic, CALLERS)) {
            for (int round = 1; round <= faults.size(); round++) {
                Fault fault = faults.get(round - 1);
                int before = callers.completed();
                callers.open(server.httpPort());
                // Every round kills a server that has committed and rolled back orders (every third is rolled back),
                // whatever point and hit it drew: the kill clock starts after these.
                callers.awaitCompleted(before + WARM_UP_ORDERS, WARM_UP_LIMIT);
                rules.arm();
                String proof = kill(server, rules, fault);
                callers.pause();
                rules.disarm();
                kills.merge(fault.label(), 1, Integer::sum);
                String transactions = (callers.completed() - before) + " transactions";
                // The next boot loads the next round's rule (none after the last round), unarmed during recovery.
                rules.prepare(round + 1, round < faults.size() ? faults.get(round) : Fault.randomAfter(Duration.ZERO));
                long seconds = restartAndSettle(server, properties, settled, "round " + round + " (" + fault + ")");
                evidence.add("round " + round + ": " + fault + ": " + proof + "; " + transactions + "; restarted and "
                        + "settled in " + seconds + " s");
                System.out.println(mode + " " + evidence.get(evidence.size() - 1));
            }
            CheckReport report = Checker.check(history, new KafkaReader(bootstrap)
                    .read(List.of(topic), CampaignDeployment.TRANSACTIONAL_ID_PREFIX, READ)
                    .withCommittedRows(committedRows(db)));
            return new CampaignResult(mode, new LinkedHashMap<>(kills),
                    List.copyOf(evidence), callers.outcomes(), callers.refused(), report, callers.inDoubtAnswers(),
                    Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** Restarts the killed server on its base directory and waits until recovery settled; returns the seconds. */
    private long restartAndSettle(LocalWildFly server, Map<String, String> properties, RecoverySettled settled,
            String round) throws Exception {
        long down = System.nanoTime();
        // LocalWildFly.restart awaits the EAR's new marker; the datasource's from before the kill must go as well.
        Files.deleteIfExists(server.baseDir().resolve("deployments")
                .resolve(PostgresXaDeployment.DATASOURCE_FILE + ".deployed"));
        server.restart(CampaignDeployment.EAR, properties, BOOT);
        awaitDeployed(server);
        List<String> left = settled.await(SETTLE);
        if (!left.isEmpty()) {
            throw new AssertionError(mode + ", " + round + ": recovery did not settle within " + SETTLE + ": " + left
                    + "; thread dump " + server.threadDump() + ", log " + server.logFile());
        }
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - down);
    }

    /**
     * Kills the server as the fault says and returns the proof: for a point, the line its rule wrote before it
     * halted the JVM, and the JVM's exit; for a random kill, the SIGKILL's delay.
     */
    private static String kill(LocalWildFly server, FaultRules rules, Fault fault) throws Exception {
        if (fault.isRandom()) {
            // The fault schedule: how long the callers run before the SIGKILL.
            TimeUnit.MILLISECONDS.sleep(fault.delay().toMillis());
            server.kill();
            return "SIGKILL sent by the test";
        }
        String marker = rules.awaitMarker(POINT_HIT, server::isRunning);
        if (marker == null) {
            String state = server.isRunning() ? "still running, thread dump " + server.threadDump()
                    : "died without the marker";
            server.stop();
            throw new AssertionError("The rule for " + fault + " did not fire within " + POINT_HIT + ": the server "
                    + state + "; rules " + rules.script() + ", console " + server.baseDir().resolve("console.log"));
        }
        if (!server.awaitExit(Duration.ofSeconds(60))) {
            throw new AssertionError("The rule for " + fault + " wrote '" + marker + "' but the JVM did not exit");
        }
        return "the rule wrote '" + marker + "' and halted the JVM";
    }

    private static void awaitDeployed(LocalWildFly server) throws Exception {
        server.awaitDeployed(PostgresXaDeployment.DATASOURCE_FILE, BOOT);
        server.awaitDeployed(CampaignDeployment.EAR, BOOT);
    }

    private static Map<String, String> systemProperties(String bootstrap) {
        return Map.of("kafka.bootstrap.servers", bootstrap,
                "jboss.node.name", NODE,
                "RecoveryEnvironmentBean.periodicRecoveryPeriod", "5",
                "RecoveryEnvironmentBean.recoveryBackoffPeriod", "1");
    }

    private static void createOrdersTable(LocalPostgres db) throws Exception {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE orders (id VARCHAR(64) PRIMARY KEY)");
        }
    }

    private static List<String> committedRows(LocalPostgres db) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM orders")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }
}
