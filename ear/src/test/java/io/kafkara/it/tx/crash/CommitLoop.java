package io.kafkara.it.tx.crash;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A server that keeps committing: one {@link CommitServlet} transaction after the other, each with the next value
 * {@code <name>/<n>}, until stopped or until one fails (that fails the test already; a loop that went on would only
 * hammer a dead server). Remembers which values were committed and the failure with its answer.
 */
final class CommitLoop implements AutoCloseable {

    private final String name;
    private final int httpPort;
    private final String definition;
    private final String topic;
    private final List<String> committed = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private volatile boolean stopping;
    private Future<?> running;

    CommitLoop(String name, int httpPort, String definition, String topic) {
        this.name = name;
        this.httpPort = httpPort;
        this.definition = definition;
        this.topic = topic;
    }

    CommitLoop start() {
        running = executor.submit(this::run);
        return this;
    }

    private void run() {
        for (int n = 1; !stopping && failures().isEmpty(); n++) {
            String value = name + "/" + n;
            CompletableFuture<HttpResponse<String>> call = GatedCalls.get(httpPort, "/crash/commit?definition="
                    + definition + "&topic=" + topic + "&value=" + value, Duration.ofSeconds(90));
            String answer = GatedCalls.answer(call);
            synchronized (this) {
                if (answer.equals("200 committed")) {
                    committed.add(value);
                } else {
                    failures.add(value + ": " + answer);
                }
            }
        }
    }

    /** Until at least {@code count} transactions are committed, at most {@code within}. */
    void awaitCommitted(int count, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (committedCount() < count) {
            if (System.nanoTime() > deadline || running.isDone()) {
                throw new AssertionError(name + " committed " + committedCount() + " transactions, not " + count
                        + ", within " + within + "; failures: " + failures());
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /** Lets the transaction under way end and stops; fails if that takes longer than two minutes. */
    void stop() throws Exception {
        stopping = true;
        if (running != null) {
            running.get(2, TimeUnit.MINUTES);
        }
        executor.shutdown();
    }

    synchronized int committedCount() {
        return committed.size();
    }

    synchronized List<String> committed() {
        return List.copyOf(committed);
    }

    synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    String topic() {
        return topic;
    }

    @Override
    public synchronized String toString() {
        return name + ": " + committed.size() + " committed, " + failures.size() + " failed " + failures;
    }

    @Override
    public void close() {
        stopping = true;
        executor.shutdownNow();
    }
}
