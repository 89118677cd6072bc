package io.kafkara.it.liberty;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import io.kafkara.it.Topics;
import io.kafkara.it.broker.SharedKafka;
import io.kafkara.it.campaign.CrashPoint;
import io.kafkara.it.campaign.FaultRules;
import io.kafkara.it.db.LocalPostgres;
import io.kafkara.it.portable.OrdersTable;
import io.kafkara.it.tx.CommittedReader;
import io.kafkara.it.tx.crash.CrashDeployment;

/**
 * Crash recovery on Open Liberty: an XA transaction of Liberty's transaction manager with the adapter and a
 * PostgreSQL XA datasource; both branches prepared and the commit decision logged, the server JVM is halted at the
 * adapter's commit (a Byteman rule at {@code KafkaXAResource.commit} entry, as the WildFly crash campaign does: no
 * shutdown of any kind). While it is down the branch is in doubt: its records are in the log, not committed, and the
 * journal holds it. After the restart, Liberty's recovery ({@code recoverOnStartup}, retried every 5 s) commits it
 * through the adapter:
 * every record visible once to read_committed, the order row there, the journal entry ended, nothing left prepared
 * in PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class OpenLibertyCrashRecoveryIT {

    private static final Duration BOUND = Duration.ofMinutes(2);
    private static final String RECOVERY = "<transaction recoverOnStartup=\"true\" heuristicRetryInterval=\"5s\"/>";

    private LocalPostgres database;
    private LibertyApplication application;
    private LibertyServer server;

    /**
     * Removes the application first: a server stopped with the adapter's sender loops running waits out Liberty's
     * 30 s quiesce, since it stops applications and adapters only after it (README, "Open Liberty").
     */
    @AfterAll
    void stop() throws Exception {
        try (LocalPostgres stopped = database) {
            if (server != null && server.isAlive()) {
                server.rewriteServerXml(application.serverXml(false, RECOVERY));
                server.awaitMessage("CWWKZ0009I: The application " + LibertyApplication.NAME + " has stopped", BOUND);
            }
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void aBranchInDoubtAtTheKillIsCommittedOnceByTheRestartedServersRecovery() throws Exception {
        String bootstrapServers = SharedKafka.get().bootstrapServers();
        database = LocalPostgres.start(CrashDeployment.workDirectory("postgres-dist"),
                CrashDeployment.workDirectory("liberty-crash-postgres"));
        OrdersTable.create(database);
        Path rules = Files.createDirectories(CrashDeployment.workDirectory("liberty-crash-rules"));
        Path armed = rules.resolve("armed");
        Path marker = rules.resolve("marker.txt");
        Files.deleteIfExists(armed);
        Files.deleteIfExists(marker);
        Path script = rules.resolve("crash.btm");
        Files.writeString(script, CrashPoint.KAFKA_COMMIT_ENTRY.rule(1, armed.toString(), marker.toString()));
        Path wlp = Path.of(System.getProperty("liberty.home"));
        application = LibertyApplication.export(wlp, bootstrapServers, database);
        server = LibertyServer.create(wlp, "kafkara-crash",
                // Recovery at start, and its retry after 5 s rather than 60: the first attempt comes before the
                // application's adapter is installed, and fails.
                application.serverXml(true, RECOVERY),
                List.of("-javaagent:" + FaultRules.agentJar() + "=script:" + script + ",boot:" + FaultRules.agentJar()));
        server.start();
        server.awaitMessage("CWWKZ0001I: Application " + LibertyApplication.NAME + " started", BOUND);
        String topic = "liberty-crash-" + System.nanoTime();
        Topics.create(bootstrapServers, topic, 1);

        Files.writeString(armed, "armed\n");
        CompletableFuture<Integer> call = CompletableFuture.supplyAsync(() -> {
            try {
                return server.get("/kafkara/probe/insert-and-send?dataSource=jdbc/orders&factory=kafka/xa&topic="
                        + topic + "&key=crashed&count=2&rollback=false").statusCode();
            } catch (Exception e) {
                return -1;
            }
        });
        String hit = awaitMarker(marker);
        int answer = call.get(1, TimeUnit.MINUTES);
        boolean halted = awaitHalt();
        server.kill();
        List<String> sentWhileDown = values(CommittedReader.readUntil(bootstrapServers, topic, "read_uncommitted",
                records -> records.size() >= 2));
        Map<String, byte[]> journalWhileDown = lastValueByKey(CommittedReader.journal(bootstrapServers,
                LibertyApplication.BRANCH_JOURNAL));

        Files.deleteIfExists(armed);
        server.start();
        long restarted = System.nanoTime();
        List<String> committed = values(CommittedReader.readUntil(bootstrapServers, topic, "read_committed",
                Duration.ofMinutes(4), records -> records.size() >= 2));
        long recoveredAfterS = (System.nanoTime() - restarted) / 1_000_000_000;
        List<String> preparedInDatabase = awaitNoPreparedTransaction();
        Map<String, byte[]> journalAfter = lastValueByKey(CommittedReader.journal(bootstrapServers,
                LibertyApplication.BRANCH_JOURNAL));

        assertAll("recovered " + recoveredAfterS + " s after the restart; hit: " + hit + "; answer " + answer + "; journal while down " + journalWhileDown.keySet()
                        + "; after " + journalAfter.keySet(),
                () -> assertTrue(hit.contains("kafka-commit-entry hit 1"), "halted at the adapter's commit: " + hit),
                () -> assertEquals(-1, answer, "the caller got no answer: the server died in the commit"),
                () -> assertTrue(halted, "the rule halted the server's JVM"),
                () -> assertEquals(List.of("crashed-0", "crashed-1"), sentWhileDown, "the branch's records were sent"),
                () -> assertTrue(journalWhileDown.values().stream().anyMatch(value -> value != null),
                        "the journal held the prepared branch while the server was down"),
                () -> assertEquals(List.of("crashed-0", "crashed-1"), committed,
                        "recovery committed the branch, each record once"),
                () -> assertTrue(OrdersTable.ids(database).contains("crashed"), "the order row committed too"),
                () -> assertEquals(List.of(), preparedInDatabase, "nothing is left prepared in PostgreSQL"),
                () -> assertTrue(journalAfter.values().stream().allMatch(value -> value == null),
                        "every journaled branch ended"));
    }

    private String awaitMarker(Path marker) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!Files.exists(marker) || Files.readString(marker).isBlank()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("The crash rule did not fire within " + BOUND.toSeconds() + " s\n"
                        + server.threadDump());
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return Files.readString(marker).strip();
    }

    private boolean awaitHalt() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (server.isAlive()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return true;
    }

    /** PostgreSQL's prepared transactions, polled until none is left (recovery finished) or the bound ran out. */
    private List<String> awaitNoPreparedTransaction() throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (true) {
            List<String> prepared = new ArrayList<>();
            try (Connection db = database.connect(); Statement query = db.createStatement();
                 ResultSet found = query.executeQuery("select gid from pg_prepared_xacts")) {
                while (found.next()) {
                    prepared.add(found.getString(1));
                }
            }
            if (prepared.isEmpty() || System.nanoTime() > deadline) {
                return prepared;
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    private static Map<String, byte[]> lastValueByKey(List<ConsumerRecord<byte[], byte[]>> journal) {
        Map<String, byte[]> last = new HashMap<>();
        journal.forEach(record -> last.put(HexFormat.of().formatHex(record.key()), record.value()));
        return last;
    }
}
