package io.kafkara.it.tx.fault;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.naming.InitialContext;
import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.UserTransaction;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;

/**
 * {@code /commit?definition=&topic=&order=&row=&holdInCommit=}: in a bean-managed JTA transaction, optionally
 * inserts the order's row through the sample's XA datasource ({@code row=true}), sends three records of the order
 * through {@code java:/kafka/<definition>} and waits until they are in the log, then commits. It holds (until
 * {@code /release?order=}) before {@code UserTransaction.commit()}, or with {@code holdInCommit=true} inside it: a
 * {@link HoldingResource} enlisted first makes the transaction two-phase and holds in its commit, once every branch
 * is prepared. Answers {@code outcome=committed} or {@code outcome=<exception class>: <message>}, and
 * {@code commitMs}: from the release to commit()'s return. {@code /reached?order=}: whether that transaction is
 * held. {@code /row?order=}: whether its row is committed.
 */
@WebServlet({"/commit", "/reached", "/release", "/row"})
public class FrozenCommitServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String ORDERS = "java:jboss/datasources/KafkaSampleOrdersXA";

    @Resource
    private UserTransaction transaction;

    @Resource(lookup = "java:/TransactionManager")
    private TransactionManager manager;

    @Resource(lookup = ORDERS)
    private DataSource orders;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String order = request.getParameter("order");
        String answer = switch (request.getServletPath()) {
            case "/reached" -> Boolean.toString(CommitHold.isReached(order));
            case "/release" -> Boolean.toString(CommitHold.release(order));
            case "/row" -> rowExists(order);
            default -> commit(request, order);
        };
        response.getWriter().print(answer);
    }

    private String commit(HttpServletRequest request, String order) {
        try {
            KafkaConnectionFactory kafka = InitialContext.doLookup("java:/kafka/" + request.getParameter("definition"));
            transaction.begin();
            try {
                boolean holdInCommit = Boolean.parseBoolean(request.getParameter("holdInCommit"));
                if (holdInCommit) {
                    manager.getTransaction().enlistResource(new HoldingResource(order));
                }
                if (Boolean.parseBoolean(request.getParameter("row"))) {
                    insertRow(order);
                }
                sendThree(kafka, request.getParameter("topic"), order);
                if (!holdInCommit) {
                    CommitHold.reachAndHold(order);
                }
            } catch (Exception e) {
                transaction.rollback();
                return "outcome=failed before commit: " + e;
            }
        } catch (Exception e) {
            return "outcome=failed before commit: " + e;
        }
        String outcome;
        try {
            transaction.commit();
            outcome = "committed";
        } catch (Exception e) {
            outcome = e.getClass().getName() + ": " + e.getMessage();
        }
        long commitMs;
        try {
            commitMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - CommitHold.releasedAt(order));
        } catch (IllegalStateException e) {
            return "outcome=" + outcome + " (" + e.getMessage() + ")";
        }
        return "outcome=" + outcome + "\ncommitMs=" + commitMs;
    }

    /** Waits for every record's acknowledgement, so the freeze meets the commit and nothing earlier. */
    private static void sendThree(KafkaConnectionFactory kafka, String topic, String order) throws Exception {
        try (KafkaConnection connection = kafka.getConnection()) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int line = 1; line <= 3; line++) {
                sent.add(connection.send(new ProducerRecord<>(topic, order, order + "/" + line)));
            }
            connection.flush();
            for (Future<RecordMetadata> record : sent) {
                record.get(30, TimeUnit.SECONDS);
            }
        }
    }

    private void insertRow(String order) throws SQLException {
        try (Connection db = orders.getConnection();
             PreparedStatement insert = db.prepareStatement("INSERT INTO ORDERS (ID, LINES) VALUES (?, 3)")) {
            insert.setString(1, order);
            insert.executeUpdate();
        }
    }

    private String rowExists(String order) {
        try (Connection db = orders.getConnection();
             PreparedStatement query = db.prepareStatement("SELECT COUNT(*) FROM ORDERS WHERE ID = ?")) {
            query.setString(1, order);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return Boolean.toString(result.getInt(1) == 1);
            }
        } catch (SQLException e) {
            return "error: " + e;
        }
    }
}
