package io.kafkara.it.scale;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.naming.InitialContext;

import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.transaction.Status;
import jakarta.transaction.UserTransaction;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;

/**
 * One JTA transaction per request, on a request thread as an application's: {@code POST send?jndi=..&topic=..&key=..
 * &hold=true} begins it, sends one record through the definition at {@code jndi} (waiting for its acknowledgement),
 * and, with {@code hold}, keeps the transaction open until {@code POST release}; then commits. Answers 200 with
 * "committed", or 500 with "failed after N ms: " and the failure's messages. {@code GET held} is the number of
 * requests holding their transaction now.
 */
@WebServlet("/hold/*")
public class HoldingTransactionServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final AtomicInteger HELD = new AtomicInteger();
    private static volatile CountDownLatch release = new CountDownLatch(1);

    @Resource
    private UserTransaction transaction;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        response.getWriter().print(HELD.get());
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        if ("/release".equals(request.getPathInfo())) {
            CountDownLatch released = release;
            release = new CountDownLatch(1);
            released.countDown();
            return;
        }
        CountDownLatch until = release;
        boolean hold = Boolean.parseBoolean(request.getParameter("hold"));
        long start = System.nanoTime();
        try {
            transaction.setTransactionTimeout(180);
            transaction.begin();
            KafkaConnectionFactory factory = (KafkaConnectionFactory) new InitialContext()
                    .lookup(request.getParameter("jndi"));
            try (KafkaConnection kafka = factory.getConnection()) {
                kafka.send(new ProducerRecord<>(request.getParameter("topic"), request.getParameter("key"), "v"))
                        .get(30, TimeUnit.SECONDS);
            }
            if (hold) {
                HELD.incrementAndGet();
                try {
                    if (!until.await(120, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("not released within 120 s");
                    }
                } finally {
                    HELD.decrementAndGet();
                }
            }
            transaction.commit();
            response.getWriter().print("committed");
        } catch (Exception e) {
            rollbackQuietly();
            response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            StringBuilder messages = new StringBuilder("failed after "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: ");
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                messages.append(cause.getClass().getName()).append(": ").append(cause.getMessage()).append(" | ");
            }
            response.getWriter().print(messages);
        }
    }

    private void rollbackQuietly() {
        try {
            if (transaction.getStatus() != Status.STATUS_NO_TRANSACTION) {
                transaction.rollback();
            }
        } catch (Exception e) {
            log("rollback after a failure failed: " + e);
        }
    }
}
