package io.kafkara.engine.kafka;

import java.io.IOException;
import java.util.List;

import org.apache.kafka.clients.ClientRequest;
import org.apache.kafka.clients.ClientResponse;
import org.apache.kafka.clients.KafkaClient;
import org.apache.kafka.clients.LeastLoadedNode;
import org.apache.kafka.clients.RequestCompletionHandler;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.InitProducerIdRequest;

/**
 * The network client of a transactional engine in two-phase commit mode: every InitProducerId its transaction
 * manager sends goes out as {@link TwoPhaseInitProducerId} (v6, {@code enable2Pc=true}), so the broker never aborts
 * a prepared transaction of this producer on its own. Everything else is passed through unchanged.
 */
final class TwoPhaseCommitClient implements KafkaClient {

    private final KafkaClient delegate;

    TwoPhaseCommitClient(KafkaClient delegate) {
        this.delegate = delegate;
    }

    static AbstractRequest.Builder<?> rewrite(AbstractRequest.Builder<?> builder) {
        return builder instanceof InitProducerIdRequest.Builder init ? new TwoPhaseInitProducerId(init.data) : builder;
    }

    @Override
    public ClientRequest newClientRequest(String nodeId, AbstractRequest.Builder<?> requestBuilder,
                                          long createdTimeMs, boolean expectResponse) {
        return delegate.newClientRequest(nodeId, rewrite(requestBuilder), createdTimeMs, expectResponse);
    }

    @Override
    public ClientRequest newClientRequest(String nodeId, AbstractRequest.Builder<?> requestBuilder,
                                          long createdTimeMs, boolean expectResponse, int requestTimeoutMs,
                                          RequestCompletionHandler callback) {
        return delegate.newClientRequest(nodeId, rewrite(requestBuilder), createdTimeMs, expectResponse,
                requestTimeoutMs, callback);
    }

    @Override
    public boolean isReady(Node node, long now) {
        return delegate.isReady(node, now);
    }

    @Override
    public boolean ready(Node node, long now) {
        return delegate.ready(node, now);
    }

    @Override
    public long connectionDelay(Node node, long now) {
        return delegate.connectionDelay(node, now);
    }

    @Override
    public long pollDelayMs(Node node, long now) {
        return delegate.pollDelayMs(node, now);
    }

    @Override
    public boolean connectionFailed(Node node) {
        return delegate.connectionFailed(node);
    }

    @Override
    public AuthenticationException authenticationException(Node node) {
        return delegate.authenticationException(node);
    }

    @Override
    public void send(ClientRequest request, long now) {
        delegate.send(request, now);
    }

    @Override
    public List<ClientResponse> poll(long timeout, long now) {
        return delegate.poll(timeout, now);
    }

    @Override
    public void disconnect(String nodeId) {
        delegate.disconnect(nodeId);
    }

    @Override
    public void close(String nodeId) {
        delegate.close(nodeId);
    }

    @Override
    public LeastLoadedNode leastLoadedNode(long now) {
        return delegate.leastLoadedNode(now);
    }

    @Override
    public int inFlightRequestCount() {
        return delegate.inFlightRequestCount();
    }

    @Override
    public boolean hasInFlightRequests() {
        return delegate.hasInFlightRequests();
    }

    @Override
    public int inFlightRequestCount(String nodeId) {
        return delegate.inFlightRequestCount(nodeId);
    }

    @Override
    public boolean hasInFlightRequests(String nodeId) {
        return delegate.hasInFlightRequests(nodeId);
    }

    @Override
    public boolean hasReadyNodes(long now) {
        return delegate.hasReadyNodes(now);
    }

    @Override
    public void wakeup() {
        delegate.wakeup();
    }

    @Override
    public void initiateClose() {
        delegate.initiateClose();
    }

    @Override
    public boolean active() {
        return delegate.active();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
