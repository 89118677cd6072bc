package io.kafkara.it.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import io.kafkara.it.KafkaBrokerSetup;
import io.kafkara.it.StrictArchiveValidation;
import io.kafkara.it.Topics;
import io.kafkara.it.admin.StandaloneAdapter;
import io.kafkara.it.broker.SharedKafka;
import io.kafkara.it.tx.CommittedReader;

/**
 * Three XA definitions (max-pool-size {@value SmallWorkManagerSetup#MAX_POOL_SIZE} each) on a work manager whose
 * long-running pool has only {@value SmallWorkManagerSetup#LONG_RUNNING_THREADS} threads and a queue of
 * {@value SmallWorkManagerSetup#QUEUE_LENGTH} (see {@link SmallWorkManagerSetup}). A definition runs one sender
 * loop per concurrent transaction, so three transactions held open take every thread: each commits once released.
 * The transactions beyond them fail on their request thread within max.block.ms plus 5 s, with an error that names
 * the work manager's long-running threads, instead of hanging; and once the load is gone the same definitions serve
 * transactions again.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@ServerSetup({StrictArchiveValidation.class, KafkaBrokerSetup.class, SmallWorkManagerSetup.class})
class SmallWorkManagerIT {

    private static final String TOPIC = "small-work-manager";
    private static final Duration FAILURE_LIMIT = Duration.ofMillis(SmallWorkManagerSetup.MAX_BLOCK_MS + 5_000);

    @ArquillianResource
    @OperateOnDeployment("application")
    private URL application;

    private final HttpClient http = HttpClient.newHttpClient();

    @Deployment(name = "adapter", order = 1, testable = false)
    static ResourceAdapterArchive adapter() {
        return StandaloneAdapter.asBuilt();
    }

    @Deployment(name = "application", order = 2, testable = false)
    static WebArchive application() {
        return StandaloneAdapter.application("small-work-manager", HoldingTransactionServlet.class);
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void transactionsBeyondTheThreadsFailInTimeNamingTheWorkManagerAndTheServerServesAfterwards() throws Exception {
        Topics.create(SharedKafka.get().bootstrapServers(), TOPIC, 1);
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (String definition : SmallWorkManagerSetup.DEFINITIONS) {
            held.add(send(definition, "held-" + definition, true));
        }
        awaitHeld(SmallWorkManagerSetup.DEFINITIONS.size(), held);

        List<CompletableFuture<HttpResponse<String>>> beyond = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        for (String definition : SmallWorkManagerSetup.DEFINITIONS) {
            starts.add(System.nanoTime());
            beyond.add(send(definition, "beyond-" + definition, false));
        }
        for (int i = 0; i < beyond.size(); i++) {
            HttpResponse<String> refused = beyond.get(i).get(FAILURE_LIMIT.toMillis() + 30_000, TimeUnit.MILLISECONDS);
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - starts.get(i));
            System.out.printf("SmallWorkManagerIT: transaction beyond the threads on %s answered %d after %d ms: %s%n",
                    SmallWorkManagerSetup.DEFINITIONS.get(i), refused.statusCode(), tookMs, refused.body());
            assertEquals(500, refused.statusCode(), refused.body());
            assertTrue(tookMs <= FAILURE_LIMIT.toMillis(), "failed after " + tookMs + " ms, beyond max.block.ms + 5 s: "
                    + refused.body());
            String body = refused.body();
            assertTrue((body.contains("KAFKARA-RA-014") || body.contains("KAFKARA-ENG-008"))
                    && body.contains("long-running"), "names the engine that could not start and the work manager's "
                    + "long-running threads: " + body);
        }

        release();
        for (CompletableFuture<HttpResponse<String>> request : held) {
            HttpResponse<String> committed = request.get(30, TimeUnit.SECONDS);
            assertEquals(200, committed.statusCode(), committed.body());
        }

        for (String definition : SmallWorkManagerSetup.DEFINITIONS) {
            HttpResponse<String> after = send(definition, "after-" + definition, false).get(30, TimeUnit.SECONDS);
            assertEquals(200, after.statusCode(), "once the load is gone the definition serves again: " + after.body());
        }
        Set<String> expected = SmallWorkManagerSetup.DEFINITIONS.stream()
                .flatMap(definition -> Stream.of("held-" + definition, "after-" + definition))
                .collect(Collectors.toSet());
        List<ConsumerRecord<String, String>> read = CommittedReader.readUntil(SharedKafka.get().bootstrapServers(),
                TOPIC, records -> records.size() >= expected.size());
        assertEquals(expected, read.stream().map(ConsumerRecord::key).collect(Collectors.toSet()),
                "each held and each later transaction committed once; the refused ones sent nothing");
    }

    private CompletableFuture<HttpResponse<String>> send(String definition, String key, boolean hold) {
        URI uri = URI.create(application + "hold/send?jndi=" + SmallWorkManagerSetup.jndiName(definition)
                + "&topic=" + TOPIC + "&key=" + key + "&hold=" + hold);
        return http.sendAsync(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitHeld(int count, List<CompletableFuture<HttpResponse<String>>> held) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (CompletableFuture<HttpResponse<String>> request : held) {
                if (request.isDone()) {
                    throw new AssertionError("a held transaction ended early: " + request.get().body());
                }
            }
            String now = http.send(HttpRequest.newBuilder(URI.create(application + "hold/held")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            if (Integer.parseInt(now.trim()) == count) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the " + count + " transactions were not all holding within 60 s");
    }

    private void release() throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(application + "hold/release"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    }
}
