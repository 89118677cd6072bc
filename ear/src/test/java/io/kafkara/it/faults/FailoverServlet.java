package io.kafkara.it.faults;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.ejb.EJB;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Starts the callers of a scenario and hands their logs to the test: {@code POST start?...} answers a run id at once,
 * {@code POST stop} tells the callers to finish,
 * {@code GET progress} the number of acknowledged sends and ended transactions so far, {@code GET result?run=...&wait=s}
 * every caller's log once all have finished (503 if they have not within the wait).
 */
@WebServlet("/failover/*")
public class FailoverServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Map<String, List<Future<CallerLog>>> RUNS = new ConcurrentHashMap<>();

    @EJB
    private FailoverCallers callers;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if ("/stop".equals(request.getPathInfo())) {
            CallerLog.STOP.set(true);
            return;
        }
        CallerLog.STOP.set(false);
        String jndi = request.getParameter("jndi");
        String topic = request.getParameter("topic");
        int count = Integer.parseInt(request.getParameter("callers"));
        List<Future<CallerLog>> started = new ArrayList<>();
        for (int caller = 0; caller < count; caller++) {
            if ("transactions".equals(request.getParameter("scenario"))) {
                started.add(callers.runTransactions(jndi, topic, caller, number(request, "transactions"),
                        number(request, "size")));
            } else {
                started.add(callers.sendRecords(jndi, topic, caller, number(request, "records"),
                        number(request, "keys"), number(request, "inFlight")));
            }
        }
        String run = UUID.randomUUID().toString();
        RUNS.put(run, started);
        response.setContentType("text/plain");
        response.getWriter().print(run);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        if ("/progress".equals(request.getPathInfo())) {
            response.getWriter().print(CallerLog.PROGRESS.get());
            return;
        }
        List<Future<CallerLog>> run = RUNS.get(request.getParameter("run"));
        if (run == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "no run " + request.getParameter("run"));
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(number(request, "wait"));
        StringBuilder lines = new StringBuilder();
        try {
            for (Future<CallerLog> caller : run) {
                long left = Math.max(0, deadline - System.nanoTime());
                caller.get(left, TimeUnit.NANOSECONDS).lines().forEach(line -> lines.append(line).append('\n'));
            }
        } catch (TimeoutException e) {
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.getWriter().print("callers still running");
            return;
        } catch (ExecutionException | InterruptedException e) {
            response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            response.getWriter().print("a caller failed: " + e);
            return;
        }
        RUNS.remove(request.getParameter("run"));
        response.getWriter().print(lines);
    }

    private static int number(HttpServletRequest request, String name) {
        return Integer.parseInt(request.getParameter(name));
    }
}
