package io.kafkara.it.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import io.kafkara.engine.EngineAccess;
import io.kafkara.engine.ProducerEngine;

/**
 * One benchmark run of a mode: {@code records} values of {@code size} bytes, no key, acks=all, linger.ms=5, timed
 * from the first send to the acknowledgement of the last record. Producers are created before the clock starts.
 */
final class Workload {

    private final String bootstrapServers;
    private final int records;
    private final String value;
    private final int size;
    private final int httpPort;
    // HTTP/1.1: the h2c upgrade of the default client makes Undertow close long-running requests (GOAWAY).
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private int engines;

    Workload(String bootstrapServers, int records, int size, int httpPort) {
        this.bootstrapServers = bootstrapServers;
        this.records = records;
        this.size = size;
        this.value = Payload.of(size);
        this.httpPort = httpPort;
    }

    /** Records per second. */
    double run(Mode mode, String topic) throws Exception {
        long nanos = switch (mode) {
            case KAFKA_PRODUCER -> kafkaProducer(topic);
            case ENGINE -> engine(topic);
            case ADAPTER_HELD -> adapter("held", topic);
            case ADAPTER_PER_RECORD -> adapter("per-record", topic);
            default -> throw new IllegalArgumentException("Not a records mode: " + mode);
        };
        return records / (nanos / 1e9);
    }

    private long kafkaProducer(String topic) throws Exception {
        Map<String, Object> config = BaselineProducerConfig.of(bootstrapServers);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.partitionsFor(topic);
            long start = System.nanoTime();
            Future<RecordMetadata> last = null;
            for (int i = 0; i < records; i++) {
                last = producer.send(new ProducerRecord<>(topic, value));
            }
            producer.flush();
            last.get();
            return System.nanoTime() - start;
        }
    }

    private long engine(String topic) throws Exception {
        Map<String, Object> config = BaselineProducerConfig.of(bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-engine-" + ++engines);
        ProducerEngine engine = ProducerEngine.create(config, getClass().getClassLoader());
        // Outside a server there is no WorkManager: the benchmark lends the sender loop a thread of its own.
        Thread sender = new Thread(engine.senderWork(), "bench-engine-sender");
        sender.start();
        try {
            engine.partitionsFor(topic);
            long start = System.nanoTime();
            Future<RecordMetadata> last = null;
            for (int i = 0; i < records; i++) {
                last = engine.send(new ProducerRecord<>(topic, value), null);
            }
            EngineAccess.flush(engine);
            last.get();
            return System.nanoTime() - start;
        } finally {
            engine.close(Duration.ofSeconds(30));
            sender.join(30_000);
        }
    }

    private long adapter(String mode, String topic) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + httpPort + "/bench/send?mode=" + mode + "&topic=" + topic
                + "&records=" + records + "&size=" + size);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Benchmark servlet answered " + response.statusCode() + ": " + response.body());
        }
        return Long.parseLong(response.body().trim());
    }
}
