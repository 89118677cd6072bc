package io.kafkara.it.bench;

import java.io.IOException;
import java.util.concurrent.Future;

import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;

/**
 * Runs the adapter's side of the benchmark inside WildFly: sends {@code records} values of {@code size} bytes to
 * {@code topic} through the sample's connection factory, either on one connection held for the whole run
 * ({@code mode=held}) or with getConnection/send/close per record ({@code mode=per-record}), waits for the last
 * acknowledgement, and answers with the elapsed nanoseconds.
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
        boolean held = "held".equals(request.getParameter("mode"));
        try {
            long start = System.nanoTime();
            Future<RecordMetadata> last = held ? sendHeld(topic, records, value) : sendPerRecord(topic, records, value);
            last.get();
            response.getWriter().print(System.nanoTime() - start);
        } catch (Exception e) {
            response.sendError(500, e.toString());
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
