package io.kafkara.it.lifecycle;

import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The client side of the lifecycle tests: a few threads of the test JVM that publish numbered records through the
 * probe's {@link PublishServlet} without pause, across every undeploy and redeploy, and remember which ids Kafka
 * acknowledged. A refused call is retried with a new id after a short back-off, as a real client would.
 */
final class SendingClient implements AutoCloseable {

    private static final int THREADS = 4;
    private static final long BACK_OFF_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI publish;
    private final AtomicInteger nextId = new AtomicInteger();
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refused = new AtomicInteger();
    private final Map<String, Integer> refusals = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    SendingClient(URL probe, String jndiName, String topic) {
        this.publish = URI.create(probe + "publish?jndi=" + URLEncoder.encode(jndiName, StandardCharsets.UTF_8)
                + "&topic=" + URLEncoder.encode(topic, StandardCharsets.UTF_8));
        for (int i = 0; i < THREADS; i++) {
            Thread thread = new Thread(this::sendUntilClosed, "lifecycle-client-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void sendUntilClosed() {
        while (running) {
            String id = Integer.toString(nextId.incrementAndGet());
            if (!sendOne(id)) {
                refused.incrementAndGet();
                LockSupport.parkNanos(BACK_OFF_NANOS);
            }
        }
    }

    private boolean sendOne(String id) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(publish + "&id=" + id))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                acknowledged.add(id);
                return true;
            }
            refusals.merge(response.statusCode() + " " + reason(response.body()), 1, Integer::sum);
            return false;
        } catch (java.io.IOException e) {
            refusals.merge(e.getClass().getSimpleName(), 1, Integer::sum);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return false;
        }
    }

    /** The kind of refusal, without the varying details, so that the summary stays short. */
    private static String reason(String body) {
        int colon = body.indexOf(':');
        String kind = colon > 0 ? body.substring(0, colon) : body;
        return kind.length() > 80 ? kind.substring(0, 80) : kind;
    }

    int acknowledgedCount() {
        return acknowledged.size();
    }

    Set<String> acknowledgedIds() {
        return Set.copyOf(acknowledged);
    }

    int sentCount() {
        return nextId.get();
    }

    int refusedCount() {
        return refused.get();
    }

    Map<String, Integer> refusals() {
        return Map.copyOf(refusals);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(90));
            if (thread.isAlive()) {
                throw new AssertionError("Client thread " + thread.getName() + " is stuck in a call");
            }
        }
    }
}
