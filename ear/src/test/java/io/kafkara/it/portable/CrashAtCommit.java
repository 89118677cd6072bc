package io.kafkara.it.portable;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.kafkara.it.Topics;
import io.kafkara.it.campaign.CrashPoint;
import io.kafkara.it.campaign.FaultRules;
import io.kafkara.it.db.LocalPostgres;
import io.kafkara.it.tx.CommittedReader;

/**
 * The crash-recovery check every server runs: an XA transaction of the server's transaction manager with the adapter
 * ({@code kafka/xa}) and a PostgreSQL XA datasource ({@code jdbc/orders}); both branches prepared and the commit
 * decision logged, the server JVM is halted at the adapter's commit (a Byteman rule at {@code KafkaXAResource.commit}
 * entry, as the WildFly crash campaign does: no shutdown of any kind). While it is down the branch is in doubt: its
 * records are in the log, not committed, and the journal holds it. After the restart, the server's recovery commits
 * it through the adapter: every record visible once to read_committed, the order row there, the journal entry ended,
 * nothing left prepared in PostgreSQL.
 */
public final class CrashAtCommit {

    /** What the check does to the server under test. */
    public interface Server extends Probe.Http {
        boolean isAlive();

        /** SIGKILL, if the JVM still runs. */
        void kill() throws Exception;

        void start() throws Exception;

        String threadDump() throws Exception;

        /** What to show beside a failed assertion: the end of the server's log. */
        String logTail();
    }

    private final Path armed;
    private final Path marker;
    private final Path script;

    /** Writes the rule, disarmed, to {@code rules}; the server's JVM loads it with {@link #agentOption()}. */
    public CrashAtCommit(Path rules) throws Exception {
        Files.createDirectories(rules);
        armed = rules.resolve("armed");
        marker = rules.resolve("marker.txt");
        script = rules.resolve("crash.btm");
        Files.deleteIfExists(armed);
        Files.deleteIfExists(marker);
        Files.writeString(script, CrashPoint.KAFKA_COMMIT_ENTRY.rule(1, armed.toString(), marker.toString()));
    }

    /** The JVM option that loads Byteman with the rule. */
    public String agentOption() throws Exception {
        String agent = FaultRules.agentJar().toString();
        return "-javaagent:" + agent + "=script:" + script + ",boot:" + agent;
    }

    /** Halts the server in the commit, kills it, restarts it, and asserts what its recovery did. */
    public void haltThenRecover(Server server, String bootstrapServers, LocalPostgres database, String branchJournal,
            String topicPrefix) throws Exception {
        String topic = topicPrefix + "-crash-" + System.nanoTime();
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
        String hit = CrashChecks.awaitMarker(marker, server::threadDump);
        int answer = call.get(1, TimeUnit.MINUTES);
        boolean halted = CrashChecks.awaitHalt(server::isAlive);
        server.kill();
        List<String> sentWhileDown = values(CommittedReader.readUntil(bootstrapServers, topic, "read_uncommitted",
                records -> records.size() >= 2));
        Map<String, byte[]> journalWhileDown = CrashChecks.lastValueByKey(CommittedReader.journal(bootstrapServers,
                branchJournal));

        Files.deleteIfExists(armed);
        server.start();
        long restarted = System.nanoTime();
        List<String> committed = values(CommittedReader.readUntil(bootstrapServers, topic, "read_committed",
                Duration.ofMinutes(4), records -> records.size() >= 2));
        long recoveredAfterS = (System.nanoTime() - restarted) / 1_000_000_000;
        List<String> preparedInDatabase = CrashChecks.awaitNoPreparedTransaction(database);
        Map<String, byte[]> journalAfter = CrashChecks.lastValueByKey(CommittedReader.journal(bootstrapServers,
                branchJournal));

        assertAll("recovered " + recoveredAfterS + " s after the restart; hit: " + hit + "; answer " + answer
                        + "; journal while down " + journalWhileDown.keySet() + "; after " + journalAfter.keySet()
                        + "\n" + server.logTail(),
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

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
