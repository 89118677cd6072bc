package io.kafkara.it.pooling;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import javax.naming.InitialContext;

import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.transaction.UserTransaction;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;

/**
 * An application that forgets to close its connections. {@code /leak?definition=&topic=&value=&tx=}: takes a
 * connection of {@code java:/kafka/<definition>}, sends one record (inside a bean-managed JTA transaction with
 * {@code tx=true}), waits for its acknowledgement and answers its offset, and never closes the connection.
 * {@code /collect?definition=}: asks the JVM to collect garbage, then takes and closes a connection, which is when
 * the adapter reports the lost handles it found collected.
 */
@WebServlet({"/leak", "/collect"})
public class LeakingServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Resource
    private UserTransaction transaction;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            KafkaConnectionFactory kafka = InitialContext.doLookup("java:/kafka/" + request.getParameter("definition"));
            String answer = "/collect".equals(request.getServletPath()) ? collect(kafka) : leak(kafka, request);
            response.getWriter().print(answer);
        } catch (Exception e) {
            response.setStatus(500);
            response.getWriter().print(e);
        }
    }

    private String leak(KafkaConnectionFactory kafka, HttpServletRequest request) throws Exception {
        boolean inTransaction = Boolean.parseBoolean(request.getParameter("tx"));
        if (inTransaction) {
            transaction.begin();
        }
        KafkaConnection forgotten = kafka.getConnection();
        long offset = forgotten.send(new ProducerRecord<>(request.getParameter("topic"), request.getParameter("value")))
                .get(30, TimeUnit.SECONDS).offset();
        if (inTransaction) {
            transaction.commit();
        }
        return Long.toString(offset);
    }

    private static String collect(KafkaConnectionFactory kafka) {
        System.gc();
        kafka.getConnection().close();
        return "collected";
    }
}
