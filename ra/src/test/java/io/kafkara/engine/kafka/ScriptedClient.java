package io.kafkara.engine.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.apache.kafka.clients.ClientRequest;
import org.apache.kafka.clients.ClientResponse;
import org.apache.kafka.clients.MockClient;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.utils.MockTime;

/**
 * Kafka's MockClient that records each request (as the test describes it) and fails on a request nobody scripted an
 * answer for, or when polled 1000 times without one.
 */
final class ScriptedClient extends MockClient {

    private final Function<AbstractRequest, String> describe;
    private final List<String> requests = new ArrayList<>();
    private int polls;

    ScriptedClient(MockTime time, List<Node> nodes, Function<AbstractRequest, String> describe) {
        super(time, nodes);
        this.describe = describe;
    }

    /** Every request sent so far, described, with its destination: {@code what@nodeId}. */
    List<String> transcript() {
        return requests;
    }

    @Override
    public void send(ClientRequest request, long now) {
        requests.add(describe.apply(request.requestBuilder().build()) + "@" + request.destination());
        if (futureResponses().isEmpty()) {
            throw new AssertionError("unexpected request, no answer scripted: " + requests.get(requests.size() - 1));
        }
        super.send(request, now);
    }

    @Override
    public List<ClientResponse> poll(long timeoutMs, long now) {
        if (++polls > 1_000) {
            throw new AssertionError("polled 1000 times without an answer");
        }
        return super.poll(timeoutMs, now);
    }
}
