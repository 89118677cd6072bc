package io.kafkara.it.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.transaction.TransactionManager;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;

/**
 * What a transactional definition costs the server at a number of concurrent transactions, through
 * {@code java:/kafka/BenchCapacity} (LocalTransaction, transactionalIdPoolSize 40, max-pool-size 40, max.block.ms 10 s):
 * <ul>
 * <li>{@code threads?transactions=N&topic=..}: N threads of this servlet each begin a transaction, send one record
 * (acknowledged) and wait; while all N are open it counts the server's threads running a sender loop (a frame of
 * {@code io.kafkara.spi.SenderLoopWork}); then all commit. Answers the count.</li>
 * <li>{@code fill?transactions=N&topic=..&bytes=..} (the broker paused by the benchmark, so nothing drains): N
 * transactions each send records of {@code bytes} until a send fails because the definition's record memory is
 * exhausted (a send waits for memory); then it answers the heap used after a full collection before and with the
 * buffers full, and the bytes the transactions appended.
 * The transactions stay open until {@code release}, which rolls them back (after the broker resumed).</li>
 * </ul>
 * The threads are the benchmark's (test code), so that transactions are open at once without N HTTP requests.
 */
@WebServlet("/capacity/*")
public class CapacityServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final long WAIT_S = 60;
    private static final List<Thread> FILLING = new ArrayList<>();
    private static volatile CountDownLatch release = new CountDownLatch(0);

    @Resource(lookup = "java:/kafka/BenchCapacity")
    private KafkaConnectionFactory kafka;

    @Resource(lookup = "java:/TransactionManager")
    private TransactionManager manager;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            String answer = switch (request.getPathInfo()) {
                case "/threads" -> threads(number(request, "transactions"), request.getParameter("topic"));
                case "/fill" -> fill(number(request, "transactions"), request.getParameter("topic"),
                        number(request, "bytes"));
                case "/release" -> release();
                default -> throw new IllegalArgumentException("no such capacity call: " + request.getPathInfo());
            };
            response.getWriter().print(answer);
        } catch (Exception e) {
            response.sendError(500, e.toString());
        }
    }

    private static int number(HttpServletRequest request, String name) {
        return Integer.parseInt(request.getParameter(name));
    }

    private String threads(int transactions, String topic) throws Exception {
        CountDownLatch open = new CountDownLatch(transactions);
        CountDownLatch done = new CountDownLatch(1);
        List<Thread> callers = new ArrayList<>();
        List<Exception> failures = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < transactions; i++) {
            Thread caller = new Thread(() -> {
                try {
                    manager.begin();
                    try (KafkaConnection connection = kafka.getConnection()) {
                        connection.send(new ProducerRecord<>(topic, "open")).get(WAIT_S, TimeUnit.SECONDS);
                    }
                    open.countDown();
                    done.await(WAIT_S, TimeUnit.SECONDS);
                    manager.commit();
                } catch (Exception e) {
                    failures.add(e);
                    open.countDown();
                    rollbackQuietly();
                }
            }, "bench-capacity-" + i);
            caller.start();
            callers.add(caller);
        }
        try {
            if (!open.await(WAIT_S, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the " + transactions + " transactions were not open within " + WAIT_S
                        + " s");
            }
            if (!failures.isEmpty()) {
                throw new IllegalStateException(failures.size() + " transactions failed, the first: " + failures.get(0),
                        failures.get(0));
            }
            return Integer.toString(senderLoopThreads());
        } finally {
            done.countDown();
            for (Thread caller : callers) {
                caller.join(TimeUnit.SECONDS.toMillis(WAIT_S));
            }
        }
    }

    /** Threads whose stack holds the adapter's sender Work: the work manager's threads running an engine's loop. */
    private static int senderLoopThreads() {
        int count = 0;
        for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
            for (StackTraceElement frame : stack) {
                if (frame.getClassName().equals("io.kafkara.spi.SenderLoopWork")) {
                    count++;
                    break;
                }
            }
        }
        return count;
    }

    private synchronized String fill(int transactions, String topic, int bytes) throws Exception {
        long before = usedHeapAfterCollection();
        String value = Payload.of(bytes);
        long[] blockedSince = new long[transactions];
        boolean[] ended = new boolean[transactions];
        long[] appended = new long[transactions];
        CountDownLatch until = new CountDownLatch(1);
        release = until;
        for (int i = 0; i < transactions; i++) {
            int index = i;
            Thread filler = new Thread(() -> {
                boolean begun = false;
                try {
                    manager.begin();
                    begun = true;
                    try (KafkaConnection connection = kafka.getConnection()) {
                        // Until a send fails; one that waits for memory (up to max.block.ms) shows the buffers full.
                        Future<?> sent;
                        do {
                            synchronized (blockedSince) {
                                blockedSince[index] = System.nanoTime();
                            }
                            sent = connection.send(new ProducerRecord<>(topic, value));
                            synchronized (blockedSince) {
                                blockedSince[index] = 0;
                                appended[index] += bytes;
                            }
                        } while (!sent.isDone() && until.getCount() > 0);
                        if (until.getCount() > 0) {
                            sent.get();
                        }
                    }
                } catch (Exception e) {
                    // The definition's record memory is exhausted, or the transaction failed: this one is done.
                } finally {
                    synchronized (blockedSince) {
                        blockedSince[index] = 0;
                        ended[index] = true;
                    }
                    try {
                        until.await(WAIT_S * 5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    if (begun) {
                        rollbackQuietly();
                    }
                }
            }, "bench-fill-" + i);
            filler.start();
            FILLING.add(filler);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (!allBlockedOrEnded(blockedSince, ended)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the record memory was not full within " + WAIT_S + " s");
            }
            Thread.sleep(50);
        }
        long total;
        synchronized (blockedSince) {
            total = Arrays.stream(appended).sum();
        }
        return before + " " + usedHeapAfterCollection() + " " + total;
    }

    /** Every filler has ended, or has waited more than half a second in a send: memory is exhausted. */
    private static boolean allBlockedOrEnded(long[] blockedSince, boolean[] ended) {
        synchronized (blockedSince) {
            long now = System.nanoTime();
            for (int i = 0; i < ended.length; i++) {
                boolean blocked = blockedSince[i] != 0 && now - blockedSince[i] > TimeUnit.MILLISECONDS.toNanos(500);
                if (!ended[i] && !blocked) {
                    return false;
                }
            }
            return true;
        }
    }

    private synchronized String release() throws InterruptedException {
        release.countDown();
        for (Thread filler : FILLING) {
            filler.join(TimeUnit.SECONDS.toMillis(WAIT_S));
        }
        int stuck = (int) FILLING.stream().filter(Thread::isAlive).count();
        FILLING.clear();
        return Integer.toString(stuck);
    }

    private static long usedHeapAfterCollection() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private void rollbackQuietly() {
        try {
            manager.rollback();
        } catch (Exception e) {
            log("rollback failed: " + e);
        }
    }
}
