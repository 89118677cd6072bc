package io.kafkara.it.bench;

import java.io.IOException;
import java.time.Duration;

import jakarta.ejb.EJB;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * One concurrent caller of a transaction benchmark inside WildFly: for {@code seconds} it calls
 * {@link TransactionalSender} (one container-managed transaction of {@code records} sends of {@code size} bytes
 * per call) for the adapter mode {@code mode}, and answers with a {@link CallerRun}. The benchmark sends as many
 * requests at once as it wants callers.
 */
@WebServlet("/transactions")
public class TransactionBenchServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @EJB
    private TransactionalSender sender;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Mode mode = Mode.valueOf(request.getParameter("mode"));
        String topic = request.getParameter("topic");
        int records = Integer.parseInt(request.getParameter("records"));
        String value = Payload.of(Integer.parseInt(request.getParameter("size")));
        long duration = Duration.ofSeconds(Long.parseLong(request.getParameter("seconds"))).toNanos();
        try {
            long start = System.nanoTime();
            long transactions = 0;
            while (System.nanoTime() - start < duration) {
                switch (mode) {
                    case ADAPTER_LOCAL -> sender.sendLocal(topic, records, value);
                    case ADAPTER_XA_ONE_PHASE -> sender.sendXa(topic, records, value);
                    case ADAPTER_XA_TWO_PHASE -> sender.sendXaTwoPhase(topic, records, value);
                    case TWO_PHASE_FLOOR -> sender.twoNoOpResources();
                    default -> throw new IllegalArgumentException("Not an adapter transaction mode: " + mode);
                }
                transactions++;
            }
            response.getWriter().print(new CallerRun(transactions, start, System.nanoTime()).toWire());
        } catch (Exception e) {
            response.sendError(500, e.toString());
        }
    }
}
