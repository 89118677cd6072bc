package io.kafkara.it.portable;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.kafkara.it.Topics;
import io.kafkara.it.tx.CommittedReader;
import io.kafkara.it.tx.timeout.TimeoutRun;

/**
 * The test side of the probe application ({@code io.kafkara.it.liberty.app.ProbeEar}) on any server: its calls over
 * HTTP, and the checks every server's tests make the same way.
 */
public final class Probe {

    /** A GET on the server under test. */
    @FunctionalInterface
    public interface Http {
        HttpResponse<String> get(String path) throws IOException, InterruptedException;
    }

    private final Http server;
    private final String bootstrapServers;
    private final String topicPrefix;

    public Probe(Http server, String bootstrapServers, String topicPrefix) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.topicPrefix = topicPrefix;
    }

    /** Sends through the factory at JNDI name {@code factory}; asserts that the probe answered 200. */
    public String send(String factory, String topic, String key, int count, boolean rollback) throws Exception {
        HttpResponse<String> response = server.get(sendPath(factory, topic, key, count, rollback));
        assertEquals(200, response.statusCode(), response.body());
        return response.body().strip();
    }

    public static String sendPath(String factory, String topic, String key, int count, boolean rollback) {
        return "/kafkara/probe/send?factory=" + URLEncoder.encode(factory, StandardCharsets.UTF_8) + "&topic=" + topic
                + "&key=" + key + "&count=" + count + "&rollback=" + rollback;
    }

    /**
     * An EJB looks the factory {@code kafka/plain} up in JNDI and sends {@code count} records; a plain consumer reads
     * them all back.
     */
    public void anEjbSendsAndTheBrokerHasEveryRecord(int count) throws Exception {
        String topic = topic("plain");

        assertEquals("sent", send("kafka/plain", topic, "plain", count, false));

        assertEquals(numbered("plain", count), values(CommittedReader.readUntil(bootstrapServers, topic,
                records -> records.size() >= count)));
    }

    /** A CDI bean with {@code @Inject @KafkaFactory("kafka/plain")} sends two records; both are read back. */
    public void aCdiBeanSendsThroughAnInjectedFactory() throws Exception {
        String topic = topic("cdi");

        HttpResponse<String> response = server.get("/kafkara/probe/inject?topic=" + topic + "&key=cdi&count=2");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(numbered("cdi", 2), values(CommittedReader.readUntil(bootstrapServers, topic,
                records -> records.size() >= 2)));
    }

    /** The values the probe sends for {@code key}: {@code key-0} to {@code key-(count-1)}. */
    private static List<String> numbered(String key, int count) {
        return IntStream.range(0, count).mapToObj(i -> key + "-" + i).toList();
    }

    /** A fresh one-partition topic. */
    public String topic(String purpose) {
        String topic = topicPrefix + "-" + purpose + "-" + System.nanoTime();
        Topics.create(bootstrapServers, topic, 1);
        return topic;
    }

    /** Three records committed, three rolled back, one committed after: read_committed sees four. */
    public void commitsAndRollsBack(String factory, String topic) throws Exception {
        assertEquals("sent", send(factory, topic, "committed", 3, false));
        assertEquals("sent", send(factory, topic, "rolled-back", 3, true));
        assertEquals("sent", send(factory, topic, "after", 1, false));

        List<ConsumerRecord<String, String>> read = CommittedReader.readUntil(bootstrapServers, topic,
                records -> values(records).contains("after-0"));
        assertEquals(List.of("committed-0", "committed-1", "committed-2", "after-0"), values(read),
                "a read_committed reader sees the committed transactions only");
    }

    /**
     * After a send, every thread running the adapter's sender loop was called by the server's work manager (a frame
     * of {@code containerPackage}), and no thread has Kafka's network-thread name.
     */
    public void senderLoopsRunOnTheWorkManagerOf(String containerPackage) throws Exception {
        send("kafka/plain", topic("threads"), "threads", 1, false);

        String threads = server.get("/kafkara/probe/threads").body();

        List<String> loops = threads.lines().filter(line -> line.startsWith("sender-loop ")).toList();
        assertFalse(loops.isEmpty(), "a sender loop runs: " + threads);
        for (String loop : loops) {
            assertTrue(loop.contains("called-by " + containerPackage), loop);
        }
        assertFalse(threads.contains("kafka-thread "), "no thread of Kafka's own: " + threads);
    }

    /** {@code kafka/bad} (acks=2) refuses with the adapter's message naming the setting; the server goes on. */
    public void aBadSettingIsRefusedNamingIt() throws Exception {
        HttpResponse<String> refused = server.get(sendPath("kafka/bad", topic("bad"), "bad", 1, false));

        assertEquals(500, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("KafkaResourceException") && refused.body().contains("acks=2"),
                "names the setting: " + refused.body());
        assertEquals("sent", send("kafka/plain", topic("after-bad"), "after", 1, false), "the server keeps serving");
    }

    /** The ids of the order rows the database committed so far. */
    @FunctionalInterface
    public interface OrderIds {
        List<String> get() throws Exception;
    }

    /**
     * In one XA transaction, the order row in the server's {@code jdbc/orders} and two records through
     * {@code kafka/xa}: committed, both are there, rolled back, neither; the adapter's branch went through its
     * journal ({@code branchJournal}), so the commit had two phases.
     */
    public void xaWithTheDatabaseCommitsBothOrNeither(OrderIds orderIds, String branchJournal) throws Exception {
        String topic = topic("xa-db");

        assertEquals("sent", insertAndSend(topic, "with-row", false));
        assertEquals("sent", insertAndSend(topic, "rolled-back-row", true));
        assertEquals("sent", send("kafka/xa", topic, "after", 1, false));

        List<ConsumerRecord<String, String>> read = CommittedReader.readUntil(bootstrapServers, topic,
                records -> values(records).contains("after-0"));
        assertEquals(List.of("with-row-0", "with-row-1", "after-0"), values(read));
        List<String> rows = orderIds.get();
        assertTrue(rows.contains("with-row") && !rows.contains("rolled-back-row"),
                "the database committed and rolled back with Kafka: " + rows);
        List<ConsumerRecord<byte[], byte[]>> journal = CommittedReader.journal(bootstrapServers, branchJournal);
        assertTrue(journal.stream().anyMatch(record -> record.value() == null), journal.size() + " journal records");
    }

    private String insertAndSend(String topic, String key, boolean rollback) throws Exception {
        HttpResponse<String> response = server.get("/kafkara/probe/insert-and-send?dataSource=jdbc/orders"
                + "&factory=kafka/xa&topic=" + topic + "&key=" + key + "&count=2&rollback=" + rollback);
        assertEquals(200, response.statusCode(), response.body());
        return response.body().strip();
    }

    /**
     * As TransactionTimeoutIT on WildFly: a user transaction with a 2 s timeout that sends for 5 s, the handle
     * obtained inside it or before {@code begin()}. The first send after the timeout fails naming it, commit() throws
     * RollbackException, and nothing is visible: no order row, no record to read_committed, although
     * read_uncommitted shows every acknowledged record.
     */
    public void timesOutAndShowsNothing(OrderIds orderIds, String factory, boolean beforeBegin) throws Exception {
        timesOutAndShowsNothing(orderIds, factory, beforeBegin, TimeoutRun.DEFAULT_SENDING);
    }

    /**
     * The same, the application sending for {@code sending}: for a transaction manager that notices a timeout only
     * some time after it struck.
     */
    public void timesOutAndShowsNothing(OrderIds orderIds, String factory, boolean beforeBegin, Duration sending)
            throws Exception {
        String topic = topic("timeout");
        String key = "order-" + UUID.randomUUID();

        String report = server.get("/kafkara/probe/timeout?factory=" + factory + "&topic=" + topic + "&key=" + key
                + "&beforeBegin=" + beforeBegin + "&sendingSeconds=" + sending.toSeconds()).body();

        Map<String, String> facts = report.lines().map(line -> line.split(" ", 2)).filter(pair -> pair.length == 2)
                .collect(Collectors.toMap(pair -> pair[0], pair -> pair[1], (first, later) -> first));
        assertEquals("sent", send(factory, topic, "marker", 1, false));
        List<String> committed = valuesOfKey(CommittedReader.readUntil(bootstrapServers, topic,
                records -> values(records).contains("marker-0")), key);
        List<String> uncommitted = valuesOfKey(CommittedReader.readUntil(bootstrapServers, topic, "read_uncommitted",
                records -> values(records).contains("marker-0")), key);
        List<String> rows = orderIds.get();
        assertAll(report + "; read_committed " + committed + "; read_uncommitted " + uncommitted.size() + "; rows "
                        + rows,
                () -> assertEquals("returned", facts.get("call"), "the scenario handled every failure"),
                () -> assertTrue(Long.parseLong(facts.get("tookMs")) >= 2_000, "the scenario outlived its timeout"),
                () -> assertTrue(Long.parseLong(facts.get("firstFailureAfterMs")) >= 1_900,
                        "the first send failed only once the timeout had struck"),
                () -> assertEquals("true", facts.get("failureNamesTheTimeout"),
                        "the failed send says the transaction timeout rolled it back"),
                () -> assertEquals("jakarta.transaction.RollbackException", facts.get("commitFailure")),
                () -> assertFalse(rows.contains(key), "the order row was rolled back"),
                () -> assertEquals(List.of(), committed, "nothing of the timed-out transaction is visible"),
                () -> assertFalse(uncommitted.isEmpty(), "read_uncommitted shows the records sent before the timeout"),
                () -> assertTrue(uncommitted.size() >= Integer.parseInt(facts.get("sent")),
                        "every acknowledged record is in the log"));
    }

    private static List<String> valuesOfKey(List<ConsumerRecord<String, String>> records, String key) {
        return records.stream().filter(record -> key.equals(record.key())).map(ConsumerRecord::value).toList();
    }

    public static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
