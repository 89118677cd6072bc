package io.kafkara.it.tx.ops;

import java.io.IOException;

import javax.naming.InitialContext;

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
 * {@code /prepare}: sends three records of one order in a JTA transaction through the XA definition named by the
 * parameter {@code definition} ({@code java:/kafka/<definition>}), with a
 * {@link CommitGateResource} enlisted first, and answers when the transaction has ended (after {@code /release}) with
 * how it ended. {@code /release}: lets the blocked commit go on.
 */
@WebServlet({"/prepare", "/release"})
public class InDoubtServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Resource
    private UserTransaction transaction;

    @Resource(lookup = "java:/TransactionManager")
    private TransactionManager manager;


    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getServletPath().equals("/release")) {
            CommitGateResource.openGate();
            response.getWriter().print("released");
            return;
        }
        String topic = request.getParameter("topic");
        String order = request.getParameter("order");
        CommitGateResource.closeGate();
        String outcome;
        try {
            KafkaConnectionFactory kafka = InitialContext.doLookup("java:/kafka/" + request.getParameter("definition"));
            transaction.begin();
            manager.getTransaction().enlistResource(new CommitGateResource());
            try (KafkaConnection connection = kafka.getConnection()) {
                for (int line = 1; line <= 3; line++) {
                    connection.send(new ProducerRecord<>(topic, order, order + "/" + line));
                }
            }
            transaction.commit();
            outcome = "committed";
        } catch (Exception e) {
            outcome = e.getClass().getName() + ": " + e.getMessage();
        }
        response.getWriter().print(outcome);
    }
}
