package io.kafkara.it.tx.crash;

import java.io.IOException;

import javax.naming.InitialContext;

import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.UserTransaction;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.it.tx.NoOpXAResource;

/**
 * {@code /commit?definition=D&topic=T&value=V}: one two-phase JTA transaction (a {@link NoOpXAResource} next to the
 * adapter's branch, so the branch is prepared and journaled) that sends the record {@code V} to {@code T} through
 * {@code java:/kafka/D}. Answers {@code committed}, or status 500 with what failed.
 */
@WebServlet("/commit")
public class CommitServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Resource
    private UserTransaction transaction;

    @Resource(lookup = "java:/TransactionManager")
    private TransactionManager manager;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String topic = request.getParameter("topic");
        String value = request.getParameter("value");
        try {
            KafkaConnectionFactory kafka = InitialContext.doLookup("java:/kafka/" + request.getParameter("definition"));
            transaction.begin();
            manager.getTransaction().enlistResource(new NoOpXAResource());
            try (KafkaConnection connection = kafka.getConnection()) {
                connection.send(new ProducerRecord<>(topic, value, value)).get();
            }
            transaction.commit();
            response.getWriter().print("committed");
        } catch (Exception e) {
            rollBackIfStillAssociated();
            response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            response.getWriter().print(e.getClass().getName() + ": " + e.getMessage());
        }
    }

    /** A pooled request thread must not keep a transaction that a failure left behind. */
    private void rollBackIfStillAssociated() {
        try {
            if (transaction.getStatus() != Status.STATUS_NO_TRANSACTION) {
                transaction.rollback();
            }
        } catch (Exception e) {
            log("Could not roll back after a failed commit", e);
        }
    }
}
