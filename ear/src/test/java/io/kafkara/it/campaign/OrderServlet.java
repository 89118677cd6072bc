package io.kafkara.it.campaign;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;

import javax.naming.InitialContext;
import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.transaction.RollbackException;
import jakarta.transaction.Status;
import jakarta.transaction.UserTransaction;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.it.db.PostgresXaDeployment;

/**
 * {@code POST /order?id=I&key=K&lines=N&topic=T&rollbackOnly=B}: the sample's order use case on its XA path, in one JTA
 * transaction: the row {@code I} into PostgreSQL through the XA datasource, then the records {@code I-1 .. I-N}
 * with key {@code K} to {@code T} through {@code java:/kafka/SampleXA}, then commit (two-phase: two XA resources).
 * With {@code rollbackOnly=true} the transaction is marked rollback-only before the commit.
 *
 * <p>The answer is what the caller may conclude: {@value #COMMITTED} (200) when the commit returned, status 409
 * when the transaction certainly rolled back (the commit threw {@link RollbackException}, or it failed before the
 * commit and was rolled back here), status 500 otherwise (a heuristic outcome, or a failure whose effect is not
 * known): in doubt.
 */
@WebServlet("/order")
public class OrderServlet extends HttpServlet {

    static final String COMMITTED = "committed";
    static final String XA_FACTORY = "java:/kafka/SampleXA";

    private static final long serialVersionUID = 1L;

    @Resource
    private UserTransaction transaction;

    @Resource(lookup = XA_FACTORY)
    private KafkaConnectionFactory kafka;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String id = request.getParameter("id");
        try {
            transaction.begin();
            placeOrder(request, id);
            if (Boolean.parseBoolean(request.getParameter("rollbackOnly"))) {
                transaction.setRollbackOnly();
            }
        } catch (Exception e) {
            answerRolledBackOrInDoubt(response, "failed before the commit: " + e);
            return;
        }
        try {
            transaction.commit();
        } catch (RollbackException e) {
            answer(response, HttpServletResponse.SC_CONFLICT, "rolled back: " + e);
            return;
        } catch (Exception e) {
            answer(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "in doubt: " + e);
            return;
        }
        answer(response, HttpServletResponse.SC_OK, COMMITTED);
    }

    private void placeOrder(HttpServletRequest request, String id) throws Exception {
        // Looked up here, not injected: the datasource is a deployment of its own, which may come up after this one.
        DataSource orders = InitialContext.doLookup(PostgresXaDeployment.DATASOURCE);
        try (Connection db = orders.getConnection();
             PreparedStatement insert = db.prepareStatement("INSERT INTO orders (id) VALUES (?)")) {
            insert.setString(1, id);
            insert.executeUpdate();
        }
        String key = request.getParameter("key");
        String topic = request.getParameter("topic");
        int lines = Integer.parseInt(request.getParameter("lines"));
        try (KafkaConnection connection = kafka.getConnection()) {
            for (int line = 1; line <= lines; line++) {
                connection.send(new ProducerRecord<>(topic, key, id + "-" + line));
            }
        }
    }

    /** Rolled back only if this thread could roll it back; a failed rollback leaves the outcome open. */
    private void answerRolledBackOrInDoubt(HttpServletResponse response, String why) throws IOException {
        try {
            if (transaction.getStatus() != Status.STATUS_NO_TRANSACTION) {
                transaction.rollback();
            }
        } catch (Exception e) {
            answer(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "in doubt: " + why + "; rollback: " + e);
            return;
        }
        answer(response, HttpServletResponse.SC_CONFLICT, "rolled back, " + why);
    }

    private static void answer(HttpServletResponse response, int status, String body) throws IOException {
        response.setStatus(status);
        response.getWriter().print(body);
    }
}
