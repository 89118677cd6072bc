package io.kafkara.it.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.kafkara.it.broker.KafkaCluster;

/**
 * What one transactional definition costs the server (see {@link CapacityServlet}): the threads running its sender
 * loops at 1, 8 and 32 concurrent transactions, and the heap its record buffers take when full for 32 concurrent
 * transactions (32 engines) and for one. To keep the buffers full the broker is paused (SIGSTOP) while they fill
 * and resumed (SIGCONT) before the transactions roll back.
 */
final class CapacityRun {

    static final List<Integer> CONCURRENT_TRANSACTIONS = List.of(1, 8, 32);
    /** The BenchCapacity definition's buffer.memory: Kafka's default, 32 MiB. */
    static final long BUFFER_MEMORY = 32L * 1024 * 1024;
    private static final int RECORD_BYTES = 4_000;

    /** Threads at each number of transactions; heap with the buffers full for one and for 32 engines. */
    record Result(Map<Integer, Integer> threads, long heapOneEngine, long heapManyEngines, int manyEngines,
                  long appendedOneEngine, long appendedManyEngines) {
    }

    /** Heap used before and with the buffers full, and the bytes the transactions of one fill appended. */
    private record Fill(long before, long full, long appended) {
    }

    private final KafkaCluster kafka;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    CapacityRun(KafkaCluster kafka, int httpPort) {
        this.kafka = kafka;
        this.httpPort = httpPort;
    }

    Result measure(String topic) throws Exception {
        Map<Integer, Integer> threads = new LinkedHashMap<>();
        for (int transactions : CONCURRENT_TRANSACTIONS) {
            threads.put(transactions, Integer.parseInt(call("threads?transactions=" + transactions + "&topic="
                    + topic).trim()));
        }
        int many = CONCURRENT_TRANSACTIONS.get(CONCURRENT_TRANSACTIONS.size() - 1);
        // Both against the heap before the first fill: the definition's pool keeps the buffers it freed for reuse
        // (Kafka's BufferPool), so the second fill finds most of its memory allocated already. The 32 engines of the
        // last step are idle now, and fill before any of them closes.
        Fill oneFill = fill(1, topic);
        Fill manyFill = fill(many, topic);
        long base = oneFill.before();
        return new Result(threads, oneFill.full() - base, manyFill.full() - base, many, oneFill.appended(),
                manyFill.appended());
    }

    /** Heap (bytes, after full collections) before and after {@code transactions} fill the record memory at once. */
    private Fill fill(int transactions, String topic) throws Exception {
        signalBroker("-STOP");
        String answer;
        try {
            answer = call("fill?transactions=" + transactions + "&topic=" + topic + "&bytes=" + RECORD_BYTES);
        } finally {
            signalBroker("-CONT");
            String stuck = call("release").trim();
            if (!"0".equals(stuck)) {
                throw new IllegalStateException(stuck + " filling transactions did not end after the release");
            }
        }
        String[] fields = answer.trim().split(" ");
        return new Fill(Long.parseLong(fields[0]), Long.parseLong(fields[1]), Long.parseLong(fields[2]));
    }

    private void signalBroker(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(kafka.pid(0))).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill " + signal + " of the broker failed");
        }
    }

    private String call(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                + "/bench/capacity/" + path)).timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Capacity servlet answered " + response.statusCode() + " for " + path
                    + ": " + response.body());
        }
        return response.body();
    }
}
