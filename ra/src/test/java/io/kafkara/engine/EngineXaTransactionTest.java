package io.kafkara.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

import org.apache.kafka.clients.MockClient;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.junit.jupiter.api.Test;

import io.kafkara.engine.kafka.CoordinatorTransaction;
import io.kafkara.engine.kafka.DoorAccess;
import io.kafkara.engine.kafka.EndTxnAnswer;
import io.kafkara.tx.BranchCompleter;
import io.kafkara.tx.BranchJournal;
import io.kafkara.tx.BranchRecovery;
import io.kafkara.tx.BranchXid;
import io.kafkara.tx.PreparedBranch;
import io.kafkara.tx.TransactionalEngineLease;
import io.kafkara.tx.TransactionalIdPool;
import io.kafkara.tx.TxAccess;
import io.kafkara.tx.TxState;

/**
 * XA over a real engine and its real sender loop, with the broker faked: what the coordinator and the partition
 * leader see for each XA call sequence, and what prepare journals (the producer id and epoch the broker gave).
 */
class EngineXaTransactionTest {

    private static final String TX_ID = "orders-node1-0";
    private static final TopicPartition P0 = new TopicPartition(EngineHarness.TOPIC, 0);
    private static final Xid X1 = TxAccess.xid(1, "x1".getBytes(StandardCharsets.UTF_8), new byte[] {1});

    private final Map<BranchXid, PreparedBranch> journaled = new LinkedHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final TransactionalIdPool pool = TxAccess.pool("orders", "node1", 2);
    /** The coordinator path: only a fenced live commit takes it here; it answers as a broker that aborted. */
    private final BranchRecovery recovery = TxAccess.recovery(new MapJournal(), new BranchCompleter() {
        @Override
        public EndTxnAnswer end(PreparedBranch branch, boolean commit) {
            requests.add("coordinator EndTxn(" + (commit ? "commit" : "abort") + ")");
            return DoorAccess.endTxnAnswer(Errors.PRODUCER_FENCED);
        }

        @Override
        public CoordinatorTransaction describe(PreparedBranch branch) {
            requests.add("coordinator DescribeTransactions");
            return new CoordinatorTransaction("CompleteAbort", FakeBroker.PRODUCER_ID, (short) (FakeBroker.EPOCH + 1));
        }
    }, TxAccess.owns(pool));

    private final class MapJournal implements BranchJournal {
        @Override
        public void record(PreparedBranch branch) {
            journaled.put(branch.xid(), branch);
        }

        @Override
        public void remove(BranchXid xid) {
            journaled.remove(xid);
        }

        @Override
        public Collection<PreparedBranch> inDoubt() {
            return new ArrayList<>(journaled.values());
        }
    }

    @Test
    void twoPhaseCommitAsTheBrokerSeesIt() throws Exception {
        try (EngineHarness h = harness(); TransactionalEngineLease lease = open(h)) {
            XAResource xa = lease.xaResource();
            xa.start(X1, XAResource.TMNOFLAGS);
            // Answers first: the send wakes the loop, which adds the partition and produces right away.
            answerAddPartitionsAndProduce(h);
            h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "order-1"), null);
            xa.end(X1, XAResource.TMSUCCESS);

            assertEquals(XAResource.XA_OK, xa.prepare(X1));
            assertEquals(List.of("x1 -> " + TX_ID + " producerId=" + FakeBroker.PRODUCER_ID + " epoch=0"),
                    journal(), "prepare journals the producer id and epoch the broker gave");
            answerEndTxn(h, Errors.NONE);
            xa.commit(X1, false);

            assertEquals(List.of("FindCoordinator", "InitProducerId", "AddPartitionsToTxn", "Produce",
                    "EndTxn(commit)"), requests);
            assertEquals(List.of(), journal());
            assertEquals(TxState.IDLE, lease.state());
        }
    }

    @Test
    void rollbackOfAPreparedBranchAbortsAtTheCoordinator() throws Exception {
        try (EngineHarness h = harness(); TransactionalEngineLease lease = open(h)) {
            XAResource xa = lease.xaResource();
            xa.start(X1, XAResource.TMNOFLAGS);
            // Answers first: the send wakes the loop, which adds the partition and produces right away.
            answerAddPartitionsAndProduce(h);
            h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "order-1"), null);
            xa.end(X1, XAResource.TMSUCCESS);
            xa.prepare(X1);
            answerEndTxn(h, Errors.NONE);
            xa.rollback(X1);

            assertEquals(List.of("FindCoordinator", "InitProducerId", "AddPartitionsToTxn", "Produce",
                    "EndTxn(abort)"), requests);
            assertEquals(List.of(), journal());
        }
    }

    @Test
    void aBranchThatSentNothingIsReadOnlyAndSendsNoEndTxn() throws Exception {
        try (EngineHarness h = harness(); TransactionalEngineLease lease = open(h)) {
            XAResource xa = lease.xaResource();
            xa.start(X1, XAResource.TMNOFLAGS);
            xa.end(X1, XAResource.TMSUCCESS);

            assertEquals(XAResource.XA_RDONLY, xa.prepare(X1));
            assertEquals(List.of("FindCoordinator", "InitProducerId"), requests);
            assertEquals(TxState.IDLE, lease.state());
        }
    }

    @Test
    void anEngineClosedWithAnOpenTransactionHasItAbortedAtTheCoordinatorAndItsIdReturned() throws Exception {
        try (EngineHarness h = harness()) {
            TransactionalEngineLease lease = open(h);
            XAResource xa = lease.xaResource();
            xa.start(X1, XAResource.TMNOFLAGS);
            answerAddPartitionsAndProduce(h);
            h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "order-1"), null);

            // the container destroys the connection mid-transaction (its loop never ran: a forced close)
            lease.close();

            assertEquals("coordinator abortIfOpen(" + TX_ID + ")", requests.get(requests.size() - 1),
                    "a forced close leaves no transaction open to block read_committed readers");
            assertEquals(0, TxAccess.leasedCount(pool), "the id went back to the pool");
        }
    }

    @Test
    void aLateCommitTheCoordinatorFencesIsAHeuristicRollback() throws Exception {
        try (EngineHarness h = harness(); TransactionalEngineLease lease = open(h)) {
            XAResource xa = lease.xaResource();
            xa.start(X1, XAResource.TMNOFLAGS);
            // Answers first: the send wakes the loop, which adds the partition and produces right away.
            answerAddPartitionsAndProduce(h);
            h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "order-1"), null);
            xa.end(X1, XAResource.TMSUCCESS);
            xa.prepare(X1);
            // The broker aborted the branch after transaction.timeout.ms and bumped the epoch: the commit is fenced.
            answerEndTxn(h, Errors.PRODUCER_FENCED);

            XAException e = assertThrows(XAException.class, () -> xa.commit(X1, false));
            assertEquals(XAException.XA_HEURRB, e.errorCode, e.getMessage());
            assertEquals(List.of("FindCoordinator", "InitProducerId", "AddPartitionsToTxn", "Produce",
                    "EndTxn(commit)", "coordinator EndTxn(commit)", "coordinator DescribeTransactions"), requests,
                    "the coordinator, not a guess, says it was aborted");
            assertEquals(1, journal().size(), "kept until the transaction manager forgets the heuristic");
            assertTrue(!lease.isUsable(), "a fenced producer cannot be used again");
            xa.forget(X1);
            assertEquals(List.of(), journal());
        }
    }

    @Test
    void aLocalTransactionWhoseSendFailedRollsBackAtCommit() throws Exception {
        try (EngineHarness h = harness(); TransactionalEngineLease lease = open(h)) {
            lease.localTransaction().begin();
            h.client().prepareResponse(body -> seen("AddPartitionsToTxn", body instanceof AddPartitionsToTxnRequest),
                    addPartitionsAnswer());
            // The leader rejects the batch: the transaction becomes abortable, so Kafka refuses the commit.
            h.client().prepareResponse(body -> seen("Produce", body instanceof ProduceRequest),
                    h.broker.produceAnswer(Map.of(P0, Errors.INVALID_RECORD)));
            h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "order-1"), null);
            answerEndTxn(h, Errors.NONE);

            jakarta.resource.ResourceException e = assertThrows(jakarta.resource.ResourceException.class,
                    () -> lease.localTransaction().commit());
            assertTrue(e.getMessage().contains("rolled back"), e.getMessage());
            assertEquals(List.of("FindCoordinator", "InitProducerId", "AddPartitionsToTxn", "Produce",
                    "EndTxn(abort)"), requests);
            assertEquals(TxState.IDLE, lease.state());
        }
    }

    private EngineHarness harness() {
        return new EngineHarness(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TX_ID,
                // A missing answer fails the test in seconds rather than after Kafka's 60 s.
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000));
    }

    /** Leases the pool's first id for the harness engine; initTransactions finds the coordinator, gets a producer id. */
    private TransactionalEngineLease open(EngineHarness h) {
        MockClient client = h.client();
        Node broker = h.engine.partitionsFor(EngineHarness.TOPIC).get(0).leader();
        client.prepareResponse(body -> seen("FindCoordinator", body instanceof FindCoordinatorRequest),
                FindCoordinatorResponse.prepareResponse(Errors.NONE, TX_ID, broker));
        client.prepareResponse(body -> seen("InitProducerId", body instanceof InitProducerIdRequest),
                new InitProducerIdResponse(new InitProducerIdResponseData().setProducerId(FakeBroker.PRODUCER_ID)
                        .setProducerEpoch(FakeBroker.EPOCH)));
        stepWhenWoken(h);
        return TxAccess.lease(pool, recovery, "cluster-A", id -> {
            assertEquals(TX_ID, id, "the pool's lowest free id");
            return h.engine;
        }, new TransactionalEngineLease.Timing(60, 120_000, h.time::milliseconds),
                id -> requests.add("coordinator abortIfOpen(" + id + ")"));
    }

    /** Whenever the engine wakes its sender loop (a blocking call), step it here until every answer was taken. */
    private static void stepWhenWoken(EngineHarness h) {
        MockClient client = h.client();
        boolean[] inHook = {false};
        client.setWakeupHook(() -> {
            // Closing wakes the loop too; the harness closes it without our help.
            if (inHook[0] || !h.engine.isAlive()) {
                return;
            }
            inHook[0] = true;
            try {
                // At least one step: an EndTxn for an empty transaction completes inside the loop without a request.
                h.step();
                FakeBroker.runUntil(h::step, () -> client.futureResponses().isEmpty() && !client.hasInFlightRequests(),
                        20, "every scripted broker answer to be taken");
            } finally {
                inHook[0] = false;
            }
        });
    }

    private void answerAddPartitionsAndProduce(EngineHarness h) {
        h.client().prepareResponse(body -> seen("AddPartitionsToTxn", body instanceof AddPartitionsToTxnRequest),
                addPartitionsAnswer());
        h.client().prepareResponse(body -> seen("Produce", body instanceof ProduceRequest),
                h.broker.produceAnswer(Map.of(P0, Errors.NONE)));
    }

    private void answerEndTxn(EngineHarness h, Errors error) {
        h.client().prepareResponse(body -> body instanceof EndTxnRequest end
                        && seen("EndTxn(" + (end.data().committed() ? "commit" : "abort") + ")", true),
                new EndTxnResponse(new EndTxnResponseData().setErrorCode(error.code())));
    }

    private static AddPartitionsToTxnResponse addPartitionsAnswer() {
        return new AddPartitionsToTxnResponse(new AddPartitionsToTxnResponseData().setResultsByTopicV3AndBelow(
                AddPartitionsToTxnResponse.resultForTransaction(TX_ID, Map.of(P0, Errors.NONE)).topicResults()));
    }

    private boolean seen(String request, boolean matches) {
        if (matches) {
            requests.add(request);
        }
        return matches;
    }

    private List<String> journal() {
        return journaled.values().stream().map(b -> new String(b.xid().getGlobalTransactionId(),
                StandardCharsets.UTF_8) + " -> " + b.transactionalId() + " producerId=" + b.producer().producerId()
                + " epoch=" + b.producer().epoch()).toList();
    }
}
