package io.kafkara.engine.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.utils.MockTime;
import org.junit.jupiter.api.Test;

/**
 * Ending a prepared transaction of a crashed engine: FindCoordinator, then EndTxn with transaction version 2, over
 * Kafka's MockClient and MockTime. Every request is recorded ({@link ScriptedClient}).
 */
class TransactionCoordinatorEndTxnTest {

    private static final String TX_ID = "orders-node1-3";
    private static final long PID = 4711;
    private static final short EPOCH = 2;
    private static final long TIMEOUT_MS = 10_000;
    private static final long BACKOFF_MS = 100;

    private final MockTime time = new MockTime(0, 1_000_000, 0);
    private final long startMs = time.milliseconds();
    private final Node bootstrap = new Node(-1, "localhost", 9092);
    private final Node coordinator = new Node(2, "broker2", 9092);
    private final Node otherCoordinator = new Node(3, "broker3", 9092);
    private final ScriptedClient client = new ScriptedClient(time, List.of(bootstrap, coordinator, otherCoordinator),
            TransactionCoordinatorEndTxnTest::describe);
    private final List<String> requests = client.transcript();
    private final TransactionCoordinator coordinatorClient = new TransactionCoordinator(client, List.of(bootstrap),
            time, TIMEOUT_MS, BACKOFF_MS);

    static String describe(AbstractRequest body) {
        if (body instanceof FindCoordinatorRequest find) {
            return "FindCoordinator(" + find.data().coordinatorKeys() + ")";
        }
        if (body instanceof EndTxnRequest end) {
            return "EndTxn(" + end.data().transactionalId() + "," + end.data().producerId() + ","
                    + end.data().producerEpoch() + "," + (end.data().committed() ? "commit" : "abort") + ",v"
                    + end.version() + ")";
        }
        return body.apiKey().toString();
    }

    private void coordinatorIs(Node node) {
        client.prepareResponseFrom(FindCoordinatorResponse.prepareResponse(Errors.NONE, TX_ID, node), bootstrap);
    }

    private void endTxnAnswers(Node node, Errors error) {
        client.prepareResponseFrom(new EndTxnResponse(new EndTxnResponseData().setErrorCode(error.code())), node);
    }

    @Test
    void findsTheCoordinatorAndCommitsWithTransactionVersion2() {
        coordinatorIs(coordinator);
        endTxnAnswers(coordinator, Errors.NONE);

        assertEquals(EndTxnAnswer.of(Errors.NONE), coordinatorClient.endTransaction(TX_ID, PID, EPOCH, true));
        assertEquals(List.of("FindCoordinator([orders-node1-3])@-1", "EndTxn(orders-node1-3,4711,2,commit,v5)@2"),
                requests);
        assertEquals(0, time.milliseconds() - startMs, "no backoff when nothing had to be retried");
    }

    @Test
    void retriesConcurrentTransactionsWithBackoffOnTheSameCoordinator() {
        coordinatorIs(coordinator);
        endTxnAnswers(coordinator, Errors.CONCURRENT_TRANSACTIONS);
        endTxnAnswers(coordinator, Errors.COORDINATOR_LOAD_IN_PROGRESS);
        endTxnAnswers(coordinator, Errors.NONE);

        assertEquals(EndTxnAnswer.of(Errors.NONE), coordinatorClient.endTransaction(TX_ID, PID, EPOCH, false));
        assertEquals(List.of("FindCoordinator([orders-node1-3])@-1", "EndTxn(orders-node1-3,4711,2,abort,v5)@2",
                "EndTxn(orders-node1-3,4711,2,abort,v5)@2", "EndTxn(orders-node1-3,4711,2,abort,v5)@2"), requests);
        assertEquals(2 * BACKOFF_MS, time.milliseconds() - startMs);
    }

    @Test
    void looksTheCoordinatorUpAgainWhenItMoved() {
        coordinatorIs(coordinator);
        endTxnAnswers(coordinator, Errors.NOT_COORDINATOR);
        coordinatorIs(otherCoordinator);
        endTxnAnswers(otherCoordinator, Errors.NONE);

        assertEquals(EndTxnAnswer.of(Errors.NONE), coordinatorClient.endTransaction(TX_ID, PID, EPOCH, true));
        assertEquals(List.of("FindCoordinator([orders-node1-3])@-1", "EndTxn(orders-node1-3,4711,2,commit,v5)@2",
                "FindCoordinator([orders-node1-3])@-1", "EndTxn(orders-node1-3,4711,2,commit,v5)@3"), requests);
    }

    @Test
    void looksTheCoordinatorUpAgainAfterADisconnect() {
        coordinatorIs(coordinator);
        client.prepareResponseFrom(new EndTxnResponse(new EndTxnResponseData()), coordinator, true);
        coordinatorIs(coordinator);
        endTxnAnswers(coordinator, Errors.NONE);

        assertEquals(EndTxnAnswer.of(Errors.NONE), coordinatorClient.endTransaction(TX_ID, PID, EPOCH, true));
        assertEquals(4, requests.size(), requests.toString());
    }

    @Test
    void finalAnswersAreReturnedAsTheCoordinatorGaveThem() {
        // The broker aborted the prepared transaction after transaction.timeout.ms and bumped the epoch: the late
        // commit at the old epoch is fenced (4.3.1 TransactionCoordinator.endTransaction, CompleteAbort, TV2).
        coordinatorIs(coordinator);
        endTxnAnswers(coordinator, Errors.PRODUCER_FENCED);
        assertEquals(EndTxnAnswer.of(Errors.PRODUCER_FENCED),
                coordinatorClient.endTransaction(TX_ID, PID, EPOCH, true));
        // An abort after a commit (the commit's retry window: epoch + 1 on the coordinator) is INVALID_TXN_STATE.
        coordinatorIs(coordinator);
        endTxnAnswers(coordinator, Errors.INVALID_TXN_STATE);
        assertEquals(EndTxnAnswer.of(Errors.INVALID_TXN_STATE),
                coordinatorClient.endTransaction(TX_ID, PID, EPOCH, false));

        assertEquals(List.of("FindCoordinator([orders-node1-3])@-1", "EndTxn(orders-node1-3,4711,2,commit,v5)@2",
                "FindCoordinator([orders-node1-3])@-1", "EndTxn(orders-node1-3,4711,2,abort,v5)@2"), requests);
    }

    @Test
    void givesUpAfterTheTimeoutNamingTheTransactionAndTheLastProblem() {
        long attempts = TIMEOUT_MS / BACKOFF_MS;
        for (long i = 0; i < attempts; i++) {
            client.prepareResponseFrom(FindCoordinatorResponse.prepareResponse(Errors.COORDINATOR_NOT_AVAILABLE,
                    TX_ID, Node.noNode()), bootstrap);
        }

        TimeoutException e = assertThrows(TimeoutException.class,
                () -> coordinatorClient.endTransaction(TX_ID, PID, EPOCH, true));
        assertTrue(e.getMessage().contains(TX_ID) && e.getMessage().contains("COORDINATOR_NOT_AVAILABLE")
                && e.getMessage().contains("10000 ms"), e.getMessage());
        assertEquals(attempts, requests.size(), "one FindCoordinator per backoff until the deadline");
        assertEquals(TIMEOUT_MS, time.milliseconds() - startMs);
    }
}
