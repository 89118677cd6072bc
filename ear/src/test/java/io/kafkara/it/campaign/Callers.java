package io.kafkara.it.campaign;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.kafkara.it.check.History;
import io.kafkara.it.check.KeyValue;
import io.kafkara.it.check.Outcome;

/**
 * The campaign's callers: each loops over orders of its own ({@code <run>-c<n>-<seq>}, its key {@code <run>-c<n>},
 * every third order rollback-only) through the {@link OrderServlet} while the callers are {@link #open() open}, and
 * records every call it made into the {@link History} with what its answer allows it to conclude: 200 committed,
 * 409 rolled back, anything else (the server dying under the call included) in doubt. {@link #pause()} lets the
 * calls in flight finish and holds the callers, so that no call meets a server that is down or recovering.
 */
final class Callers implements AutoCloseable {

    /** A call lasts milliseconds; one that waits longer than this hangs. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PAUSE_TIMEOUT = CALL_TIMEOUT.plusSeconds(10);
    static final int LINES = 3;

    private final History history;
    private final String run;
    private final String topic;
    private final int count;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final ExecutorService threads;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
    private final List<String> inDoubtAnswers = new ArrayList<>();
    private volatile int httpPort;
    /** Counts the opens: a caller refused by a dead server waits for the next one instead of calling again. */
    private int generation;
    private int refused;
    private boolean open;
    private boolean stopped;
    private int inFlight;

    Callers(History history, String run, String topic, int count) {
        this.history = history;
        this.run = run;
        this.topic = topic;
        this.count = count;
        this.threads = Executors.newFixedThreadPool(count);
        for (int caller = 1; caller <= count; caller++) {
            int n = caller;
            threads.submit(() -> loop(n));
        }
    }

    /** Lets the callers call the server at {@code port}. */
    void open(int port) {
        httpPort = port;
        lock.lock();
        try {
            open = true;
            generation++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Holds the callers and waits until no call is in flight; fails if one is still after the calls' timeout. */
    void pause() throws InterruptedException {
        lock.lock();
        try {
            open = false;
            long left = PAUSE_TIMEOUT.toNanos();
            while (inFlight > 0) {
                if (left <= 0) {
                    throw new AssertionError(inFlight + " calls still in flight " + PAUSE_TIMEOUT + " after the pause");
                }
                left = changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the callers have completed {@code total} orders in all (each call's end signals), so a round kills a
     * server that has placed, committed and rolled back orders; fails after {@code limit}.
     */
    void awaitCompleted(int total, Duration limit) throws InterruptedException {
        lock.lock();
        try {
            long left = limit.toNanos();
            while (outcomes.values().stream().mapToInt(Integer::intValue).sum() < total) {
                if (left <= 0) {
                    throw new AssertionError("the callers completed fewer than " + total + " orders within " + limit
                            + ": " + outcomes);
                }
                left = changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Transactions recorded so far by outcome. */
    Map<Outcome, Integer> outcomes() {
        lock.lock();
        try {
            return new EnumMap<>(outcomes);
        } finally {
            lock.unlock();
        }
    }

    int completed() {
        return outcomes().values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The first few answers that left a transaction in doubt (what the server or the connection said). */
    List<String> inDoubtAnswers() {
        lock.lock();
        try {
            return List.copyOf(inDoubtAnswers);
        } finally {
            lock.unlock();
        }
    }

    private void loop(int caller) {
        String key = run + "-c" + caller;
        try {
            int generationCalled = -1;
            boolean refused = false;
            for (int seq = 1; (generationCalled = awaitOpen(refused ? generationCalled : -1)) >= 0; seq++) {
                try {
                    refused = !call(key, key + "-" + seq, seq % 3 == 0);
                } finally {
                    landed();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One order; false when the server refused the connection. That call never reached a server, so it is not in
     * the history: a POST is never resent by the HTTP client (a GET is, once, after an I/O error, and the resend to
     * a dead server would hide that the first attempt had reached it), so a refused connect is the only attempt.
     */
    private boolean call(String key, String id, boolean rollbackOnly) throws InterruptedException {
        List<KeyValue> records = new ArrayList<>();
        for (int line = 1; line <= LINES; line++) {
            records.add(new KeyValue(key, id + "-" + line));
        }
        URI uri = URI.create("http://127.0.0.1:" + httpPort + "/campaign/order?id=" + id + "&key=" + key
                + "&lines=" + LINES + "&topic=" + topic + "&rollbackOnly=" + rollbackOnly);
        String answer;
        Outcome outcome;
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(CALL_TIMEOUT)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            answer = response.statusCode() + " " + response.body();
            outcome = switch (response.statusCode()) {
                case 200 -> Outcome.COMMITTED;
                case 409 -> Outcome.ROLLED_BACK;
                default -> Outcome.UNKNOWN;
            };
        } catch (ConnectException e) {
            lock.lock();
            try {
                refused++;
            } finally {
                lock.unlock();
            }
            return false;
        } catch (IOException e) {
            answer = e.toString();
            outcome = Outcome.UNKNOWN;
        }
        history.transaction(id, records, outcome, true);
        record(outcome, id + ": " + answer);
        return true;
    }

    /** Calls refused by a server that was down (not in the history). */
    int refused() {
        lock.lock();
        try {
            return refused;
        } finally {
            lock.unlock();
        }
    }

    private void record(Outcome outcome, String answer) {
        lock.lock();
        try {
            outcomes.merge(outcome, 1, Integer::sum);
            if (outcome == Outcome.UNKNOWN && inDoubtAnswers.size() < 20) {
                inDoubtAnswers.add(answer);
            }
        } finally {
            lock.unlock();
        }
    }

    private void landed() {
        lock.lock();
        try {
            inFlight--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Until the callers are open, in another generation than {@code refusedGeneration} (in which a dead server
     * refused this caller; -1 for none). Returns the generation the next call runs in and counts it in flight; -1
     * once stopped.
     */
    private int awaitOpen(int refusedGeneration) throws InterruptedException {
        lock.lock();
        try {
            while (!stopped && (!open || generation == refusedGeneration)) {
                changed.await();
            }
            if (stopped) {
                return -1;
            }
            inFlight++;
            return generation;
        } finally {
            lock.unlock();
        }
    }

    /** Stops the callers for good (after a {@link #pause()}: no call is lost from the history). */
    @Override
    public void close() throws InterruptedException {
        lock.lock();
        try {
            stopped = true;
            open = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        threads.shutdownNow();
        if (!threads.awaitTermination(PAUSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("The callers did not stop within " + PAUSE_TIMEOUT);
        }
    }
}
