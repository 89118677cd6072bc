package io.kafkara.it.tx.crash;

import java.io.IOException;

import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.UserTransaction;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;

/**
 * Sends three records of one order in a JTA transaction through the crash test's XA definition, with a
 * {@link HaltingResource} enlisted first: the server dies between the adapter's prepare and its commit.
 */
@WebServlet("/crash")
public class CrashServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    static final String FACTORY = "java:/kafka/CrashXA";

    @Resource
    private UserTransaction transaction;

    @Resource(lookup = "java:/TransactionManager")
    private TransactionManager manager;

    @Resource(lookup = FACTORY)
    private KafkaConnectionFactory kafka;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String topic = request.getParameter("topic");
        String order = request.getParameter("order");
        try {
            transaction.begin();
            manager.getTransaction().enlistResource(new HaltingResource());
            try (KafkaConnection connection = kafka.getConnection()) {
                for (int line = 1; line <= 3; line++) {
                    connection.send(new ProducerRecord<>(topic, order, order + "/" + line));
                }
            }
            transaction.commit();
        } catch (Exception e) {
            throw new IOException("The crash transaction failed before the crash: " + e, e);
        }
        response.getWriter().println("committed without crashing");
    }
}
