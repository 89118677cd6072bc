package io.kafkara.engine.kafka;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.clients.KafkaClient;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.utils.Time;

/**
 * Sends one request to the transaction coordinator of a transactional id until it gives a final answer, on a
 * {@link ShortLivedClient} driven on the caller's thread: FindCoordinator first, then the request; the coordinator is
 * looked up again when the caller says it moved or the connection is lost, and the request is sent again after
 * retry.backoff.ms (on the injected clock) when the caller says to retry. One timeout bounds each {@link #send},
 * lookups and retries included; then Kafka's {@link TimeoutException} names the request, the id and the last problem.
 */
final class CoordinatorRequests implements AutoCloseable {

    /** What one answer of the coordinator means; the caller's interpretation of the response. */
    static final class Answer<T> {
        private final T value;
        private final Errors error;
        private final boolean relocate;

        private Answer(T value, Errors error, boolean relocate) {
            this.value = value;
            this.error = error;
            this.relocate = relocate;
        }

        /** Final: {@link #send} returns {@code value} (may be null). */
        static <T> Answer<T> done(T value) {
            return new Answer<>(value, null, false);
        }

        /** The coordinator asked to be asked again later (it is loading, or busy ending a transaction). */
        static <T> Answer<T> retry(Errors error) {
            return new Answer<>(null, error, false);
        }

        /** The id has another coordinator now (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE): look it up again. */
        static <T> Answer<T> relocate(Errors error) {
            return new Answer<>(null, error, true);
        }
    }

    private final ShortLivedClient client;
    private final long timeoutMs;

    CoordinatorRequests(ShortLivedClient client, long timeoutMs) {
        this.client = client;
        this.timeoutMs = timeoutMs;
    }

    /** Over a given client (tests pass Kafka's MockClient); the bootstrap nodes are asked for the coordinator. */
    static CoordinatorRequests over(KafkaClient network, List<Node> bootstrap, Time time, long timeoutMs,
                                    long retryBackoffMs) {
        return new CoordinatorRequests(new ShortLivedClient(network, bootstrap, time, retryBackoffMs, () -> { }),
                timeoutMs);
    }

    /** A real network client over the settings' bootstrap.servers and security; {@code purpose} names it. */
    static CoordinatorRequests open(Map<String, Object> producerSettings, Time time, String purpose, long timeoutMs) {
        return new CoordinatorRequests(ShortLivedClient.open(producerSettings, time, purpose), timeoutMs);
    }

    /**
     * Sends {@code request} to the coordinator of {@code transactionalId} and returns the value of the first final
     * answer. Whatever {@code interpret} throws (and an {@code UnsupportedVersionException} of the client) goes to the
     * caller as is. {@code requestName} names the request in the timeout's message.
     */
    <T> T send(String transactionalId, String requestName, AbstractRequest.Builder<?> request,
               Function<AbstractResponse, Answer<T>> interpret) {
        Time time = client.time();
        long deadline = time.milliseconds() + timeoutMs;
        Node coordinator = null;
        String lastProblem = "none";
        while (true) {
            long remaining = deadline - time.milliseconds();
            if (remaining <= 0) {
                throw new TimeoutException(requestName + " for transactional id " + transactionalId
                        + " did not complete within " + timeoutMs + " ms; last problem: " + lastProblem);
            }
            try {
                if (coordinator == null) {
                    FindCoordinatorResponseData.Coordinator found =
                            client.findTransactionCoordinator(transactionalId, remaining);
                    Errors error = Errors.forCode(found.errorCode());
                    if (error == Errors.NONE) {
                        coordinator = new Node(found.nodeId(), found.host(), found.port());
                        // No backoff, but a fresh budget: the lookup itself may have used up the time.
                        continue;
                    }
                    lastProblem = "FindCoordinator answered " + error;
                } else {
                    Answer<T> answer = interpret.apply(client.call(coordinator, request, remaining));
                    if (answer.error == null) {
                        return answer.value;
                    }
                    if (answer.relocate) {
                        coordinator = null;
                    }
                    lastProblem = request.apiKey().name + " answered " + answer.error;
                }
            } catch (IOException e) {
                coordinator = null;
                lastProblem = e.getMessage();
            }
            client.backoff();
        }
    }

    /** The client, for requests that go to every broker rather than to a coordinator. */
    ShortLivedClient client() {
        return client;
    }

    long timeoutMs() {
        return timeoutMs;
    }

    @Override
    public void close() {
        client.close();
    }
}
