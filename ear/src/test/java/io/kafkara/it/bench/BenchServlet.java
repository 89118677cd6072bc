package io.kafkara.it.bench;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Future;

import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;

/**
 * Runs the adapter's side of the benchmark inside WildFly: sends {@code records} values of {@code size} bytes to
 * {@code topic} through the sample's connection factory, either on one connection held for the whole run
 * ({@code mode=held}) or with getConnection/send/close per record ({@code mode=per-record}), waits for the last
 * acknowledgement, and answers with the elapsed nanoseconds. With {@code mode=latency} it sends on one held connection at
 * {@code rate} records per second and answers the p50 and p99 latency ({@link PacedSends}); {@code mode=latency-plain}
 * does the same through a plain {@code KafkaProducer} created in this JVM for the run (the latency baseline: the same
 * JVM, heap, garbage collector and pacing code as the adapter's run, so only the producer differs).
 */
@WebServlet("/send")
public class BenchServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Resource(lookup = "java:/kafka/Sample")
    private KafkaConnectionFactory kafka;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String topic = request.getParameter("topic");
        int records = Integer.parseInt(request.getParameter("records"));
        String value = Payload.of(Integer.parseInt(request.getParameter("size")));
        String mode = request.getParameter("mode");
        if ("latency".equals(mode) || "latency-plain".equals(mode)) {
            double rate = Double.parseDouble(request.getParameter("rate"));
            try {
                response.getWriter().print("latency".equals(mode) ? pacedLatency(topic, records, value, rate)
                        : pacedLatencyOfPlainProducer(topic, records, value, rate));
            } catch (Exception e) {
                response.sendError(500, e.toString());
            }
            return;
        }
        boolean held = "held".equals(mode);
        try {
            long start = System.nanoTime();
            Future<RecordMetadata> last = held ? sendHeld(topic, records, value) : sendPerRecord(topic, records, value);
            last.get();
            response.getWriter().print(System.nanoTime() - start);
        } catch (Exception e) {
            response.sendError(500, e.toString());
        }
    }

    /** On one connection held for the run, {@code records} sends at {@code rate} per second: "p50 p99" in µs. */
    private String pacedLatency(String topic, int records, String value, double rate) throws InterruptedException {
        try (KafkaConnection connection = kafka.getConnection()) {
            connection.partitionsFor(topic);
            return PacedSends.percentiles(PacedSends.run(
                    acknowledged -> connection.send(new ProducerRecord<>(topic, value), acknowledged), records, rate));
        }
    }

    /** As {@link #pacedLatency}, through a plain KafkaProducer with the benchmark's baseline settings. */
    private static String pacedLatencyOfPlainProducer(String topic, int records, String value, double rate)
            throws InterruptedException {
        // The server's broker address, as the sample's definitions resolve it.
        Map<String, Object> config = BaselineProducerConfig.of(System.getProperty("kafka.bootstrap.servers"));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.partitionsFor(topic);
            return PacedSends.percentiles(PacedSends.run(
                    acknowledged -> producer.send(new ProducerRecord<>(topic, value), acknowledged), records, rate));
        }
    }

    private Future<RecordMetadata> sendHeld(String topic, int records, String value) {
        Future<RecordMetadata> last = null;
        try (KafkaConnection connection = kafka.getConnection()) {
            for (int i = 0; i < records; i++) {
                last = connection.send(new ProducerRecord<>(topic, value));
            }
            connection.flush();
        }
        return last;
    }

    private Future<RecordMetadata> sendPerRecord(String topic, int records, String value) {
        Future<RecordMetadata> last = null;
        for (int i = 0; i < records; i++) {
            try (KafkaConnection connection = kafka.getConnection()) {
                last = connection.send(new ProducerRecord<>(topic, value));
            }
        }
        try (KafkaConnection connection = kafka.getConnection()) {
            connection.flush();
        }
        return last;
    }
}
