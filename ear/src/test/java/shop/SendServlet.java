package shop;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.naming.InitialContext;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;

/**
 * An application of ManyApplicationsIT: {@code POST send?jndi=&topic=&n=&run=} sends n records whose payload is
 * {@code <marker>-<seq>} through the connection factory at jndi and answers 200 once all are acknowledged;
 * {@code POST order?jndi=&topic=&id=} sends one {@link Order} (for the JSON-B serializer). It leaves its class loader,
 * weakly, where the lifecycle probe finds it ({@value #LOADER_KEY}run.marker in the system properties), so the test
 * can tell whether the server still holds an undeployed generation.
 */
@WebServlet({"/send", "/order"})
public class SendServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    public static final String LOADER_KEY = "kafkara.it.loader.";

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        try {
            KafkaConnectionFactory factory = (KafkaConnectionFactory) new InitialContext()
                    .lookup(request.getParameter("jndi"));
            String topic = request.getParameter("topic");
            if (request.getServletPath().equals("/order")) {
                response.getWriter().print("ok " + sendOrder(factory, topic, request.getParameter("id")));
                return;
            }
            String marker = MarkerSerializer.marker(SendServlet.class);
            System.getProperties().put(LOADER_KEY + request.getParameter("run") + "." + marker,
                    new WeakReference<>(SendServlet.class.getClassLoader()));
            int n = Integer.parseInt(request.getParameter("n"));
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            try (KafkaConnection kafka = factory.getConnection()) {
                for (int seq = 0; seq < n; seq++) {
                    sent.add(kafka.send(new ProducerRecord<>(topic, marker, marker + "-" + seq)));
                }
                for (Future<RecordMetadata> each : sent) {
                    each.get(30, TimeUnit.SECONDS);
                }
            }
            response.getWriter().print("ok " + n);
        } catch (Exception e) {
            response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            response.getWriter().print("failed: " + e + (e.getCause() != null ? " caused by " + e.getCause() : ""));
        }
    }

    private static String sendOrder(KafkaConnectionFactory factory, String topic, String id) throws Exception {
        Order order = new Order();
        order.setId(id);
        order.setQuantity(3);
        order.setItems(List.of("tea", "café"));
        try (KafkaConnection kafka = factory.getConnection()) {
            return kafka.send(new ProducerRecord<String, Order>(topic, id, order)).get(30, TimeUnit.SECONDS)
                    .toString();
        }
    }
}
