package io.kafkara.it.config;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import javax.naming.InitialContext;
import javax.naming.NamingException;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;

/**
 * What an application sees of one connection definition: {@code GET ?jndi=...&topic=...&value=...} obtains a
 * connection, sends one record and answers 200 with its offset once Kafka acknowledged it, or 503 with the message of
 * whatever refused it (the connection factory, the send or Kafka).
 */
@WebServlet("/probe")
public class DefinitionProbeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final long ACK_WAIT_SECONDS = 30;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        String value = request.getParameter("value");
        try {
            KafkaConnectionFactory factory = (KafkaConnectionFactory) new InitialContext()
                    .lookup(request.getParameter("jndi"));
            try (KafkaConnection connection = factory.getConnection()) {
                long offset = connection.send(new ProducerRecord<String, String>(request.getParameter("topic"), value,
                        value)).get(ACK_WAIT_SECONDS, TimeUnit.SECONDS).offset();
                response.getWriter().print("acknowledged at offset " + offset);
            }
        } catch (NamingException e) {
            refuse(response, "not bound: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            refuse(response, "interrupted");
        } catch (Exception e) {
            refuse(response, "refused: " + e.getMessage());
        }
    }

    private static void refuse(HttpServletResponse response, String reason) throws IOException {
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.getWriter().print(reason);
    }
}
