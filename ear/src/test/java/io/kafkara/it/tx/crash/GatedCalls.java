package io.kafkara.it.tx.crash;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Requests to the {@link CrashServlet} of a server: started without waiting for the answer (the scenario holds at
 * its gate), then awaited at the gate, answered after a release, or failed by the server's death.
 */
public final class GatedCalls {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private GatedCalls() {
    }

    /** {@code /crash/crash?scenario=..&topic=..&gates=..} plus {@code &definition=..} when one is given. */
    public static CompletableFuture<HttpResponse<String>> scenario(int httpPort, String scenario, String topic, Path gates,
                                                            String definition) {
        String query = "scenario=" + scenario + "&topic=" + topic + "&gates=" + gates.toAbsolutePath()
                + (definition == null ? "" : "&definition=" + definition);
        return get(httpPort, "/crash/crash?" + query, Duration.ofMinutes(5));
    }

    static CompletableFuture<HttpResponse<String>> get(int httpPort, String pathAndQuery, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + pathAndQuery))
                .timeout(timeout).build();
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Until every gate is reached, at most {@code within}; fails at once if a call ended before its gate. */
    public static void awaitGates(List<FileGate> gates, List<CompletableFuture<HttpResponse<String>>> calls,
                           Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (!gates.stream().allMatch(FileGate::isReached)) {
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                if (call.isDone()) {
                    throw new AssertionError("A scenario ended before its gate: " + answer(call));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Within " + within + " only these gates were reached: " + gates.stream()
                        .filter(FileGate::isReached).toList() + " of " + gates);
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /** Whether the call failed without an answer (its server died), within 60 s. */
    public static boolean failedWithoutAnswer(CompletableFuture<HttpResponse<String>> call) throws InterruptedException {
        try {
            call.get(60, TimeUnit.SECONDS);
            return false;
        } catch (ExecutionException e) {
            return e.getCause() instanceof IOException;
        } catch (TimeoutException e) {
            throw new AssertionError("A request to the killed server neither failed nor was answered in 60 s", e);
        }
    }

    /** The status and body of a finished call, or what it failed with. */
    static String answer(CompletableFuture<HttpResponse<String>> call) {
        try {
            HttpResponse<String> response = call.get();
            return response.statusCode() + " " + response.body();
        } catch (InterruptedException | ExecutionException e) {
            return e.toString();
        }
    }

    /** The status and body of the call once answered, at most {@code within}. */
    static String answer(CompletableFuture<HttpResponse<String>> call, Duration within) throws InterruptedException {
        try {
            HttpResponse<String> response = call.get(within.toMillis(), TimeUnit.MILLISECONDS);
            return response.statusCode() + " " + response.body();
        } catch (ExecutionException e) {
            return e.getCause().toString();
        } catch (TimeoutException e) {
            throw new AssertionError("No answer within " + within, e);
        }
    }
}
