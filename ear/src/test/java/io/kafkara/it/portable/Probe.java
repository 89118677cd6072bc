package io.kafkara.it.portable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.kafkara.it.Topics;
import io.kafkara.it.tx.CommittedReader;

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

    public static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
