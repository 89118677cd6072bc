package io.kafkara.it.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Send latency at a fixed rate, so that queueing does not dominate: {@code records} records of {@code size} bytes
 * at {@code perSecond} (half the plain {@code KafkaProducer}'s median throughput of the rounds), through a plain
 * {@code KafkaProducer} and through the adapter on one held connection, both in WildFly's JVM (the baseline shares
 * the adapter's JVM, heap, collector and pacing code), and, to show what the JVM alone changes, through a plain
 * {@code KafkaProducer} in the benchmark's JVM.
 */
final class LatencyWorkload {

    /** What a latency run measures. */
    enum Producer {
        KAFKA_PRODUCER("KafkaProducer in WildFly (baseline)"),
        ADAPTER_HELD("adapter, one connection (b)"),
        KAFKA_PRODUCER_OUTSIDE("KafkaProducer in the benchmark's JVM");

        private final String label;

        Producer(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    /** p50 and p99 of one run, in microseconds. */
    record Percentiles(long p50, long p99) {
        static Percentiles fromWire(String wire) {
            String[] parts = wire.trim().split(" ");
            return new Percentiles(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        }
    }

    private final Map<String, Object> producerConfig;
    private final int records;
    private final String value;
    private final int size;
    private final double perSecond;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    LatencyWorkload(Map<String, Object> producerConfig, int records, int size, double perSecond, int httpPort) {
        this.producerConfig = producerConfig;
        this.records = records;
        this.size = size;
        this.value = Payload.of(size);
        this.perSecond = perSecond;
        this.httpPort = httpPort;
    }

    double perSecond() {
        return perSecond;
    }

    int records() {
        return records;
    }

    Percentiles run(Producer producer, String topic) throws Exception {
        return switch (producer) {
            case KAFKA_PRODUCER -> inServer("latency-plain", topic);
            case ADAPTER_HELD -> inServer("latency", topic);
            case KAFKA_PRODUCER_OUTSIDE -> kafkaProducer(topic);
        };
    }

    private Percentiles kafkaProducer(String topic) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
            producer.partitionsFor(topic);
            long[] latencies = PacedSends.run(
                    acknowledged -> producer.send(new ProducerRecord<>(topic, value), acknowledged), records, perSecond);
            return Percentiles.fromWire(PacedSends.percentiles(latencies));
        }
    }

    private Percentiles inServer(String mode, String topic) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + httpPort + "/bench/send?mode=" + mode + "&topic=" + topic
                + "&records=" + records + "&size=" + size + "&rate=" + perSecond);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Latency servlet answered " + response.statusCode() + ": "
                    + response.body());
        }
        return Percentiles.fromWire(response.body());
    }
}
