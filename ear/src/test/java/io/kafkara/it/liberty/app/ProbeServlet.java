package io.kafkara.it.liberty.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.Arrays;

import jakarta.ejb.EJB;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.kafkara.it.tx.timeout.TimeoutRun;

/**
 * The tests' door into the server: {@code /probe/send?factory=&topic=&key=&count=[&rollback=true]} sends through
 * {@link SendingBean} (200 "sent", or 500 with the exception's class and message and those of its causes);
 * {@code /probe/inject?topic=&key=&count=} the same through {@link InjectedSender}'s injected factory;
 * {@code /probe/insert-and-send?dataSource=&...} also inserts the row {@code key} in the same transaction;
 * {@code /probe/timeout?factory=&topic=&key=&beforeBegin=&sendingSeconds=} runs a {@link TimeoutSends} scenario
 * (sending for 5 s unless told) and reports what its sends and commit met, one fact per line;
 * {@code /probe/threads} lists, one per line, each thread running the adapter's sender loop with the frame that
 * called it (the container's), and each thread named like Kafka's own network thread.
 */
@WebServlet("/probe/*")
public class ProbeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String DATA_SOURCE = "jdbc/orders";

    @EJB
    private SendingBean sending;

    // An Instance: beside a standalone adapter the sender is no bean (ProbeEar.exportWar), and /inject fails.
    @Inject
    private Instance<InjectedSender> injected;

    @EJB
    private TimeoutSends timeouts;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        PrintWriter out = response.getWriter();
        String action = request.getPathInfo();
        if ("/send".equals(action) || "/inject".equals(action) || "/insert-and-send".equals(action)) {
            try {
                int count = Integer.parseInt(request.getParameter("count"));
                if ("/inject".equals(action)) {
                    injected.get().send(request.getParameter("topic"), request.getParameter("key"), count);
                } else if ("/insert-and-send".equals(action)) {
                    sending.insertAndSend(request.getParameter("dataSource"), request.getParameter("factory"),
                            request.getParameter("topic"), request.getParameter("key"), count,
                            Boolean.parseBoolean(request.getParameter("rollback")));
                } else {
                    sending.send(request.getParameter("factory"), request.getParameter("topic"),
                            request.getParameter("key"), count, Boolean.parseBoolean(request.getParameter("rollback")));
                }
                out.println("sent");
            } catch (Exception e) {
                response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
                for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
                    out.println(cause.getClass().getName() + ": " + cause.getMessage());
                }
            }
        } else if ("/timeout".equals(action)) {
            String seconds = request.getParameter("sendingSeconds");
            TimeoutRun run = new TimeoutRun(request.getParameter("topic"), request.getParameter("key"),
                    seconds == null ? TimeoutRun.DEFAULT_SENDING : Duration.ofSeconds(Long.parseLong(seconds)));
            long started = System.nanoTime();
            try {
                if (Boolean.parseBoolean(request.getParameter("beforeBegin"))) {
                    timeouts.sendOnAConnectionObtainedBeforeBegin(DATA_SOURCE, request.getParameter("factory"), run);
                } else {
                    timeouts.sendInTheTransaction(DATA_SOURCE, request.getParameter("factory"), run);
                }
                out.println("call returned");
            } catch (Exception e) {
                out.println("call failed " + TimeoutRun.chain(e));
            }
            out.println("tookMs " + (System.nanoTime() - started) / 1_000_000);
            out.println("sent " + run.sent());
            out.println("firstFailureAfterMs " + run.firstFailureAfterMs());
            out.println("failureNamesTheTimeout " + TimeoutRun.namesTheTimeout(run.firstFailure()));
            out.println("commitFailure " + (run.commitFailure() == null ? "none" : run.commitFailure().getClass().getName()));
            out.println("run " + run);
        } else if ("/threads".equals(action)) {
            for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
                describeSenderThread(thread, out);
            }
        } else {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        }
    }

    private static void describeSenderThread(ThreadInfo thread, PrintWriter out) {
        StackTraceElement[] stack = thread.getStackTrace();
        if (thread.getThreadName().startsWith("kafka-producer-network-thread")) {
            out.println("kafka-thread " + thread.getThreadName());
        }
        for (int i = 0; i < stack.length; i++) {
            if (stack[i].getClassName().equals("io.kafkara.spi.SenderLoopWork")) {
                String caller = Arrays.stream(stack, i + 1, stack.length)
                        .filter(frame -> !frame.getClassName().startsWith("io.kafkara."))
                        .findFirst().map(frame -> frame.getClassName() + "." + frame.getMethodName()).orElse("none");
                out.println("sender-loop " + thread.getThreadName() + " called-by " + caller);
                return;
            }
        }
    }
}
