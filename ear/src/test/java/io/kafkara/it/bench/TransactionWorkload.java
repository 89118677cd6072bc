package io.kafkara.it.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One transaction benchmark run of a mode: {@code callers} concurrent callers, each committing transactions of
 * {@code records} sends of {@code size} bytes (no key, acks=all) back to back for {@code duration}; the rate is
 * every commit over the span from the first caller's start to the last caller's end. The baseline's callers are
 * threads of this JVM, each with its own transactional {@code KafkaProducer}, initialised before the clock starts;
 * the adapter's are concurrent requests to {@link TransactionBenchServlet}, each looping in WildFly.
 */
final class TransactionWorkload {

    private final Map<String, Object> producerConfig;
    private final int callers;
    private final int records;
    private final int size;
    private final String value;
    private final Duration duration;
    private final int httpPort;
    // HTTP/1.1: the h2c upgrade of the default client makes Undertow close long-running requests (GOAWAY).
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    TransactionWorkload(Map<String, Object> producerConfig, int callers, int records, int size, Duration duration,
                        int httpPort) {
        this.producerConfig = producerConfig;
        this.callers = callers;
        this.records = records;
        this.size = size;
        this.value = Payload.of(size);
        this.duration = duration;
        this.httpPort = httpPort;
    }

    /** Committed transactions per second. */
    double run(Mode mode, String topic) throws Exception {
        List<CallerRun> runs = mode == Mode.KAFKA_TRANSACTIONS ? kafkaTransactions(topic) : adapter(mode, topic);
        return CallerRun.perSecond(runs);
    }

    private List<CallerRun> kafkaTransactions(String topic) throws Exception {
        List<KafkaProducer<String, String>> producers = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(callers);
        try {
            for (int i = 0; i < callers; i++) {
                Map<String, Object> config = new HashMap<>(producerConfig);
                // Stable ids, like the adapter's pool: each run fences the previous run's producer of the same slot.
                config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-tx-" + i);
                KafkaProducer<String, String> producer = new KafkaProducer<>(config);
                producers.add(producer);
                producer.initTransactions();
                producer.partitionsFor(topic);
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Future<CallerRun>> futures = new ArrayList<>();
            for (KafkaProducer<String, String> producer : producers) {
                futures.add(threads.submit(() -> {
                    go.await();
                    return commitUntilDeadline(producer, topic);
                }));
            }
            go.countDown();
            List<CallerRun> runs = new ArrayList<>();
            for (Future<CallerRun> future : futures) {
                runs.add(future.get());
            }
            return runs;
        } finally {
            threads.shutdownNow();
            producers.forEach(KafkaProducer::close);
        }
    }

    private CallerRun commitUntilDeadline(KafkaProducer<String, String> producer, String topic) {
        long start = System.nanoTime();
        long transactions = 0;
        while (System.nanoTime() - start < duration.toNanos()) {
            producer.beginTransaction();
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, value));
            }
            producer.commitTransaction();
            transactions++;
        }
        return new CallerRun(transactions, start, System.nanoTime());
    }

    private List<CallerRun> adapter(Mode mode, String topic) {
        URI uri = URI.create("http://127.0.0.1:" + httpPort + "/bench/transactions?mode=" + mode.name() + "&topic="
                + topic + "&records=" + records + "&size=" + size + "&seconds=" + duration.toSeconds());
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(duration.plusMinutes(5)).build();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            answers.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        List<CallerRun> runs = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.join();
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Transaction benchmark servlet answered " + response.statusCode()
                        + " for " + mode + ": " + response.body());
            }
            runs.add(CallerRun.fromWire(response.body()));
        }
        return runs;
    }
}
