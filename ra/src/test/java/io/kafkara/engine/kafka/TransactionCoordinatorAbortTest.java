package io.kafkara.engine.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.DescribeTransactionsRequest;
import org.apache.kafka.common.requests.DescribeTransactionsResponse;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.utils.MockTime;
import org.junit.jupiter.api.Test;


/**
 * Aborting the open transaction a crashed server left behind: FindCoordinator, DescribeTransactions, and EndTxn(abort)
 * at the reported producer id and epoch only when the coordinator shows the transaction Ongoing. Over Kafka's
 * MockClient and MockTime; every request is recorded, an unscripted one fails the test.
 */
class TransactionCoordinatorAbortTest {

    private static final String TX_ID = "orders-node1-5";
    private static final long PID = 815;
    private static final short EPOCH = 7;
    private static final long TIMEOUT_MS = 10_000;
    private static final long BACKOFF_MS = 100;
    private static final String FIND = "FindCoordinator([orders-node1-5])@-1";
    private static final String DESCRIBE = "DescribeTransactions([orders-node1-5])@2";

    private final MockTime time = new MockTime(0, 1_000_000, 0);
    private final long startMs = time.milliseconds();
    private final Node bootstrap = new Node(-1, "localhost", 9092);
    private final Node coordinator = new Node(2, "broker2", 9092);
    private final ScriptedClient client = new ScriptedClient(time, List.of(bootstrap, coordinator),
            TransactionCoordinatorAbortTest::describe);
    private final TransactionCoordinator aborter = new TransactionCoordinator(client, List.of(bootstrap), time,
            TIMEOUT_MS, BACKOFF_MS);

    private static String describe(AbstractRequest body) {
        if (body instanceof DescribeTransactionsRequest describe) {
            return "DescribeTransactions(" + describe.data().transactionalIds() + ")";
        }
        return TransactionCoordinatorEndTxnTest.describe(body);
    }

    private void coordinatorIs(Node node) {
        client.prepareResponseFrom(FindCoordinatorResponse.prepareResponse(Errors.NONE, TX_ID, node), bootstrap);
    }

    private void describeAnswers(Errors error, String state) {
        client.prepareResponseFrom(new DescribeTransactionsResponse(new DescribeTransactionsResponseData()
                .setTransactionStates(List.of(new DescribeTransactionsResponseData.TransactionState()
                        .setErrorCode(error.code()).setTransactionalId(TX_ID).setTransactionState(state)
                        .setProducerId(PID).setProducerEpoch(EPOCH)))), coordinator);
    }

    private void endTxnAnswers(Errors error) {
        client.prepareResponseFrom(new EndTxnResponse(new EndTxnResponseData().setErrorCode(error.code())),
                coordinator);
    }

    @Test
    void abortsAnOngoingTransactionAtTheEpochTheCoordinatorReports() {
        coordinatorIs(coordinator);              // find the coordinator
        describeAnswers(Errors.NONE, "Ongoing"); // the crashed producer's transaction is open
        coordinatorIs(coordinator);              // found again for the EndTxn
        endTxnAnswers(Errors.NONE);              // aborted

        assertEquals(AbortOutcome.ABORTED, aborter.abortIfOpen(TX_ID));
        assertEquals(List.of(FIND, DESCRIBE, FIND, "EndTxn(orders-node1-5,815,7,abort,v5)@2"), client.transcript());
    }

    @Test
    void leavesEveryOtherStateAlone() {
        for (String state : List.of("Empty", "CompleteCommit", "CompleteAbort", "Dead")) {
            coordinatorIs(coordinator);
            describeAnswers(Errors.NONE, state);
            assertEquals(AbortOutcome.NOT_OPEN, aborter.abortIfOpen(TX_ID), state);
        }
        for (String state : List.of("PrepareCommit", "PrepareAbort", "PrepareEpochFence")) {
            coordinatorIs(coordinator);
            describeAnswers(Errors.NONE, state);
            assertEquals(AbortOutcome.COMPLETING, aborter.abortIfOpen(TX_ID), state);
        }
        assertEquals(14, client.transcript().size(), "FindCoordinator + DescribeTransactions each, no EndTxn: "
                + client.transcript());
        assertTrue(client.transcript().stream().noneMatch(r -> r.startsWith("EndTxn")), client.transcript().toString());
    }

    @Test
    void anIdTheCoordinatorDoesNotKnowHasNothingOpen() {
        coordinatorIs(coordinator);
        describeAnswers(Errors.TRANSACTIONAL_ID_NOT_FOUND, "");

        assertEquals(AbortOutcome.NOT_OPEN, aborter.abortIfOpen(TX_ID));
        assertEquals(List.of(FIND, DESCRIBE), client.transcript());
    }

    @Test
    void aTransactionEndedBetweenDescribeAndAbortIsReportedAsSuch() {
        // A new producer's InitProducerId bumped the epoch meanwhile: the stale abort is refused, nothing is ended.
        coordinatorIs(coordinator);
        describeAnswers(Errors.NONE, "Ongoing");
        coordinatorIs(coordinator);
        endTxnAnswers(Errors.PRODUCER_FENCED);

        assertEquals(AbortOutcome.ENDED_MEANWHILE, aborter.abortIfOpen(TX_ID));
    }

    @Test
    void retriesALoadingCoordinatorAndFindsAMovedOneAgain() {
        coordinatorIs(coordinator);
        describeAnswers(Errors.COORDINATOR_LOAD_IN_PROGRESS, "");  // retry after backoff, same coordinator
        describeAnswers(Errors.NOT_COORDINATOR, "");               // moved: look it up again
        coordinatorIs(coordinator);
        describeAnswers(Errors.NONE, "CompleteCommit");

        assertEquals(AbortOutcome.NOT_OPEN, aborter.abortIfOpen(TX_ID));
        assertEquals(List.of(FIND, DESCRIBE, DESCRIBE, FIND, DESCRIBE), client.transcript());
        assertEquals(2 * BACKOFF_MS, time.milliseconds() - startMs);
    }

    @Test
    void aRefusalIsThrownNamingTheId() {
        coordinatorIs(coordinator);
        describeAnswers(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, "");

        TransactionalIdAuthorizationException e = assertThrows(TransactionalIdAuthorizationException.class,
                () -> aborter.abortIfOpen(TX_ID));
        assertTrue(e.getMessage().contains(TX_ID), e.getMessage());
    }

    @Test
    void givesUpAfterTheTimeoutNamingTheIdAndTheLastProblem() {
        for (long i = 0; i < TIMEOUT_MS / BACKOFF_MS; i++) {
            client.prepareResponseFrom(FindCoordinatorResponse.prepareResponse(Errors.COORDINATOR_NOT_AVAILABLE,
                    TX_ID, Node.noNode()), bootstrap);
        }

        TimeoutException e = assertThrows(TimeoutException.class, () -> aborter.abortIfOpen(TX_ID));
        assertTrue(e.getMessage().contains(TX_ID) && e.getMessage().contains("COORDINATOR_NOT_AVAILABLE")
                && e.getMessage().contains("10000 ms"), e.getMessage());
        assertEquals(TIMEOUT_MS, time.milliseconds() - startMs);
    }

    @Test
    void listsTheOngoingIdsOfAPatternAtEveryBroker() {
        org.apache.kafka.common.requests.MetadataResponse metadata =
                org.apache.kafka.common.requests.RequestTestUtils.metadataUpdateWith("cluster", 2, Map.of(), Map.of());
        client.prepareResponseFrom(metadata, bootstrap);
        for (Node broker : metadata.brokers()) {
            client.prepareResponseFrom(new org.apache.kafka.common.requests.ListTransactionsResponse(
                    new org.apache.kafka.common.message.ListTransactionsResponseData().setTransactionStates(List.of(
                            new org.apache.kafka.common.message.ListTransactionsResponseData.TransactionState()
                                    .setTransactionalId("orders-node1-" + (7 + broker.id()))
                                    .setTransactionState("Ongoing")))), broker);
        }

        assertEquals(List.of("orders-node1-7", "orders-node1-8"),
                aborter.ongoingTransactionalIds("^orders-node1-[0-9]+$"));
        assertEquals(List.of("METADATA@-1", "LIST_TRANSACTIONS@0", "LIST_TRANSACTIONS@1"), client.transcript(),
                "each broker coordinates its own part of the ids");
    }
}
