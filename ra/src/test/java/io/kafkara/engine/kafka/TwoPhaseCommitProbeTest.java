package io.kafkara.engine.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.ClientRequest;
import org.apache.kafka.clients.ClientResponse;
import org.apache.kafka.clients.MockClient;
import org.apache.kafka.clients.NodeApiVersions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.utils.MockTime;
import org.junit.jupiter.api.Test;

/**
 * The two-phase commit check as each kind of 4.3.1 broker answers it, over Kafka's MockClient and MockTime: the
 * request it sends (InitProducerId v6, enable2Pc, its own transactional id) and the verdict it draws.
 */
class TwoPhaseCommitProbeTest {

    private static final String PROBE_ID = "orders-node1-2pc-check";
    private static final int TIMEOUT_MS = 60_000;

    private final MockTime time = new MockTime(0, 1_000_000, 0);
    private final Node bootstrap = new Node(-1, "localhost", 9092);
    private final Node coordinator = new Node(2, "broker2", 9092);
    private final List<String> requests = new ArrayList<>();
    private final RecordingClient client = new RecordingClient(time, List.of(bootstrap, coordinator));
    private final TwoPhaseCommitProbe probe = new TwoPhaseCommitProbe(client, List.of(bootstrap), time, 10_000, 100);

    /** A MockClient that records what is sent, as the broker would read it (at the version the node allows). */
    private final class RecordingClient extends MockClient {
        private int polls;

        RecordingClient(MockTime time, List<Node> nodes) {
            super(time, nodes);
        }

        @Override
        public void send(ClientRequest request, long now) {
            AbstractRequest.Builder<?> builder = request.requestBuilder();
            AbstractRequest body = builder.build();
            requests.add(body instanceof InitProducerIdRequest init
                    ? "InitProducerId(" + init.data().transactionalId() + ",enable2Pc=" + init.enable2Pc()
                    + ",keepPreparedTxn=" + init.keepPreparedTxn() + ",timeout=" + init.data().transactionTimeoutMs()
                    + ",v" + builder.oldestAllowedVersion() + "-" + builder.latestAllowedVersion() + ")@"
                    + request.destination()
                    : body.apiKey().name + "@" + request.destination());
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

    private void coordinatorIs(Node node) {
        client.prepareResponseFrom(FindCoordinatorResponse.prepareResponse(Errors.NONE, PROBE_ID, node), bootstrap);
    }

    private void initProducerIdAnswers(Errors error) {
        client.prepareResponseFrom(new InitProducerIdResponse(new InitProducerIdResponseData()
                .setErrorCode(error.code()).setProducerId(error == Errors.NONE ? 9 : -1)), coordinator);
    }

    @Test
    void aBrokerThatAcceptsEnable2PcIsInTwoPhaseCommitMode() {
        // find the coordinator, then it accepts the two-phase InitProducerId
        coordinatorIs(coordinator);
        initProducerIdAnswers(Errors.NONE);

        TwoPhaseCommitProbe.Verdict verdict = probe.check(PROBE_ID, TIMEOUT_MS);

        assertTrue(verdict.twoPhaseCommit(), verdict.reason());
        assertEquals(List.of("FindCoordinator@-1", "InitProducerId(" + PROBE_ID
                + ",enable2Pc=true,keepPreparedTxn=false,timeout=60000,v6-6)@2"), requests);
    }

    @Test
    void aBrokerWithoutUnstableApiVersionsDoesNotOfferV6AndIsStock() {
        // the broker advertises InitProducerId up to v5 only: the client refuses to send v6
        client.setNodeApiVersions(NodeApiVersions.create(ApiKeys.INIT_PRODUCER_ID.id, (short) 0, (short) 5));
        coordinatorIs(coordinator);
        // MockClient checks versions only against a scripted answer; this one is never delivered
        initProducerIdAnswers(Errors.NONE);

        TwoPhaseCommitProbe.Verdict verdict = probe.check(PROBE_ID, TIMEOUT_MS);

        assertFalse(verdict.twoPhaseCommit());
        assertTrue(verdict.reason().contains("unstable.api.versions.enable=true"), verdict.reason());
    }

    @Test
    void aBrokerWithout2PcEnabledRefusesAndIsStock() {
        // v6 is offered (unstable versions on), but the coordinator refuses enable2Pc
        coordinatorIs(coordinator);
        initProducerIdAnswers(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);

        TwoPhaseCommitProbe.Verdict verdict = probe.check(PROBE_ID, TIMEOUT_MS);

        assertFalse(verdict.twoPhaseCommit());
        assertTrue(verdict.reason().contains("transaction.two.phase.commit.enable=true")
                && verdict.reason().contains("TWO_PHASE_COMMIT"), verdict.reason());
    }

    @Test
    void aMovedCoordinatorIsLookedUpAgainAndALoadingOneAskedAgain() {
        // the first coordinator moved; the second is still loading, then accepts
        coordinatorIs(coordinator);
        initProducerIdAnswers(Errors.NOT_COORDINATOR);
        coordinatorIs(coordinator);
        initProducerIdAnswers(Errors.COORDINATOR_LOAD_IN_PROGRESS);
        initProducerIdAnswers(Errors.NONE);

        assertTrue(probe.check(PROBE_ID, TIMEOUT_MS).twoPhaseCommit());
        assertEquals(List.of("FindCoordinator@-1", "INIT_PRODUCER_ID@2", "FindCoordinator@-1", "INIT_PRODUCER_ID@2",
                "INIT_PRODUCER_ID@2"), requests.stream().map(r -> r.startsWith("InitProducerId")
                ? "INIT_PRODUCER_ID@" + r.substring(r.lastIndexOf('@') + 1) : r).toList());
    }

    @Test
    void anotherRefusalIsAnErrorNotAVerdict() {
        // an invalid timeout says nothing about two-phase commit
        coordinatorIs(coordinator);
        initProducerIdAnswers(Errors.INVALID_TRANSACTION_TIMEOUT);

        KafkaException e = assertThrows(KafkaException.class, () -> probe.check(PROBE_ID, TIMEOUT_MS));
        assertTrue(e.getMessage().contains("INVALID_TRANSACTION_TIMEOUT") && e.getMessage().contains(PROBE_ID),
                e.getMessage());
    }

    @Test
    void givesUpAfterTheTimeoutNamingTheCheckTheIdAndTheLastProblem() {
        // no coordinator is available for the whole 10 s: one FindCoordinator per 100 ms backoff
        for (int i = 0; i < 100; i++) {
            client.prepareResponseFrom(FindCoordinatorResponse.prepareResponse(Errors.COORDINATOR_NOT_AVAILABLE,
                    PROBE_ID, Node.noNode()), bootstrap);
        }
        long startMs = time.milliseconds();

        TimeoutException e = assertThrows(TimeoutException.class, () -> probe.check(PROBE_ID, TIMEOUT_MS));
        assertEquals("The two-phase commit check (InitProducerId v6) for transactional id " + PROBE_ID
                + " did not complete within 10000 ms; last problem: FindCoordinator answered COORDINATOR_NOT_AVAILABLE",
                e.getMessage());
        assertEquals(10_000, time.milliseconds() - startMs);
        assertEquals(100, requests.size(), "one FindCoordinator per backoff until the deadline");
    }
}
