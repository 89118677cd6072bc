package io.kafkara.tx;

import static javax.transaction.xa.XAResource.TMENDRSCAN;
import static javax.transaction.xa.XAResource.TMFAIL;
import static javax.transaction.xa.XAResource.TMJOIN;
import static javax.transaction.xa.XAResource.TMNOFLAGS;
import static javax.transaction.xa.XAResource.TMRESUME;
import static javax.transaction.xa.XAResource.TMSTARTRSCAN;
import static javax.transaction.xa.XAResource.TMSUCCESS;
import static javax.transaction.xa.XAResource.TMSUSPEND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import io.kafkara.engine.ProducerIdentity;
import io.kafkara.engine.kafka.CoordinatorTransaction;

/** The XA protocol over one engine, as transcripts of what the transaction manager called and what the engine did. */
class KafkaXAResourceTest {

    private static final String CLUSTER = "cluster-A";

    private final TransactionalIdPool pool = new TransactionalIdPool("orders", "node1", 4);
    private final InMemoryBranchJournal journal = new InMemoryBranchJournal();
    private final ScriptedCompleter coordinator = new ScriptedCompleter();
    private final BranchRecovery recovery = new BranchRecovery(journal, coordinator, pool::owns);
    private final FakeProducer producer = new FakeProducer("orders-node1-0");
    private final KafkaXAResource xa = resourceFor(producer);
    private final XaTranscript t = new XaTranscript();
    private long clock = 1_000;

    private KafkaXAResource resourceFor(FakeProducer p) {
        return new KafkaXAResource(p, new TransactionStateMachine(p.transactionalId()), recovery, CLUSTER, 60,
                () -> clock, new TransactionCompletion(p, p::clockMs, 120_000));
    }

    @Test
    void twoPhaseCommitPreparesJournalsThenCommitsAndForgetsTheBranch() {
        t.start(xa, "x1").note("send", producer::send).end(xa, "x1", TMSUCCESS).prepare(xa, "x1");
        assertEquals(List.of(new PreparedBranch(XaTranscript.xid("x1"), "orders-node1-0", FakeProducer.IDENTITY,
                1_000)), List.copyOf(journal.inDoubt()), "prepare journals the branch before it answers");
        assertEquals(TxState.PREPARED, xa.state());
        t.commit(xa, "x1", false);

        assertEquals("start(x1) send end(x1,SUCCESS) prepare(x1)=XA_OK commit(x1,2pc)=OK", t.toString());
        assertEquals("begin send prepare commit", producer.calls());
        assertEquals(List.of(), journal.xids());
        assertEquals(TxState.IDLE, xa.state());
    }

    @Test
    void aBranchPreparedWhenItsEngineClosesIsCompletedByRecoveryNotByTheClosedEngine() {
        t.start(xa, "x1").note("send", producer::send).end(xa, "x1", TMSUCCESS).prepare(xa, "x1");
        // the container destroys the connection: its engine closes with the branch prepared
        xa.engineClosing();
        KafkaXAResource scanner = KafkaXAResource.forRecovery(recovery, CLUSTER);
        coordinator.answer(Errors.NONE);
        t.commit(scanner, "x1", false);

        assertEquals("start(x1) send end(x1,SUCCESS) prepare(x1)=XA_OK commit(x1,2pc)=OK", t.toString());
        assertEquals("begin send prepare", producer.calls(), "the closed engine is not asked to commit");
        assertEquals("end(orders-node1-0,commit)", coordinator.calls());
        assertEquals(List.of(), journal.xids());
    }

    @Test
    void aBranchEndedWithFailIsRolledBackAtPrepare() {
        t.start(xa, "x1").note("send", producer::send).end(xa, "x1", TMFAIL).prepare(xa, "x1").rollback(xa, "x1");

        assertEquals("start(x1) send end(x1,FAIL) prepare(x1)->XA_RBROLLBACK rollback(x1)->XAER_NOTA", t.toString());
        assertEquals("begin send abort", producer.calls());
        assertEquals(List.of(), journal.xids());
    }

    @Test
    void aBranchThatSentNothingIsReadOnlyAndEndsItsKafkaTransaction() {
        t.start(xa, "x1").end(xa, "x1", TMSUCCESS).prepare(xa, "x1").commit(xa, "x1", false);

        assertEquals("start(x1) end(x1,SUCCESS) prepare(x1)=XA_RDONLY commit(x1,2pc)->XAER_NOTA", t.toString());
        assertEquals("begin abort", producer.calls());
        assertEquals(List.of(), journal.xids(), "a read-only branch is not journaled");
        assertEquals(TxState.IDLE, xa.state());
    }

    @Test
    void onePhaseCommitSkipsPrepareAndTheJournal() {
        t.start(xa, "x1").note("send", producer::send).end(xa, "x1", TMSUCCESS).commit(xa, "x1", true)
                .start(xa, "x2").end(xa, "x2", TMSUCCESS).commit(xa, "x2", true);

        assertEquals("start(x1) send end(x1,SUCCESS) commit(x1,1pc)=OK start(x2) end(x2,SUCCESS) commit(x2,1pc)=OK",
                t.toString());
        assertEquals("begin send commit begin abort", producer.calls(), "an empty branch aborts instead of committing");
        assertEquals(List.of(), journal.xids());
    }

    @Test
    void aOnePhaseCommitThatKafkaRefusesRollsBack() {
        producer.failNextCommit(new KafkaException("Cannot execute transactional method because we are in an error "
                + "state: a record failed to send"));
        t.start(xa, "x1").note("send", producer::send).end(xa, "x1", TMSUCCESS).commit(xa, "x1", true);

        assertEquals("start(x1) send end(x1,SUCCESS) commit(x1,1pc)->XA_RBROLLBACK", t.toString());
        assertEquals("begin send commit abort", producer.calls());
        assertTrue(t.failure("commit(x1,1pc)").getMessage().contains("orders-node1-0"),
                t.failure("commit(x1,1pc)").getMessage());
        assertEquals(TxState.IDLE, xa.state(), "the abort succeeded, so the engine is usable again");
    }

    @Test
    void aOnePhaseCommitKafkaRefusedIsARollbackEvenWhenTheAbortFailsToo() {
        producer.failNextCommit(new KafkaException("unexpected"));
        producer.failNextAbort(new KafkaException("invalid transition"));
        t.start(xa, "x1").note("send", producer::send).end(xa, "x1", TMSUCCESS).commit(xa, "x1", true)
                .start(xa, "x2");

        assertEquals("start(x1) send end(x1,SUCCESS) commit(x1,1pc)->XA_RBROLLBACK start(x2)->XAER_RMFAIL",
                t.toString(), "a refused commit never committed; the engine is unusable after the failed abort");
        assertEquals(TxState.FAILED, xa.state());
    }

    @Test
    void aOnePhaseCommitNotAnsweredWithinTheCommitTimeoutIsAHazardNeverARollback() {
        producer.commitTimesOut(1);
        t.start(xa, "x1").note("send", producer::send).end(xa, "x1", TMSUCCESS).commit(xa, "x1", true)
                .start(xa, "x2");

        assertEquals("start(x1) send end(x1,SUCCESS) commit(x1,1pc)->XA_HEURHAZ start(x2)->XAER_RMFAIL",
                t.toString(), "the outcome is unknown; the engine waits for the answer and runs nothing else");
        assertEquals("begin send commit", producer.calls(), "no abort after a timed-out commit (Kafka refuses it)");
        assertEquals(TxState.UNRESOLVED, xa.state());
        assertTrue(t.failure("commit(x1,1pc)").getMessage().contains("commitTimeoutMs=120000"),
                t.failure("commit(x1,1pc)").getMessage());
        assertEquals(1_000 + 120_000, producer.clockMs(), "it waited exactly the commit timeout");
    }

    @Test
    void aCommitThatTimesOutEarlyIsRetriedUntilTheCoordinatorAnswers() {
        producer.failNextCommit(new TimeoutException("Timeout expired after 5000ms while awaiting EndTxn(true)"));
        t.start(xa, "x1").note("send", producer::send).end(xa, "x1", TMSUCCESS).prepare(xa, "x1")
                .commit(xa, "x1", false);

        assertEquals("start(x1) send end(x1,SUCCESS) prepare(x1)=XA_OK commit(x1,2pc)=OK", t.toString());
        assertEquals("begin send prepare commit commit", producer.calls(), "the same commit, retried");
        assertEquals(List.of(), journal.xids());
        assertEquals(TxState.IDLE, xa.state());
    }

    @Test
    void aLateCommitOfABranchTheBrokerAbortedIsAHeuristicRollbackUntilForgotten() {
        producer.failNextCommit(new ProducerFencedException("There is a newer producer with the same transactionalId"));
        coordinator.answer(Errors.PRODUCER_FENCED).shows(new CoordinatorTransaction("CompleteAbort", 4711, (short) 4));
        t.start(xa, "x1").note("send", producer::send).end(xa, "x1", TMSUCCESS).prepare(xa, "x1")
                .commit(xa, "x1", false).recover(xa, TMSTARTRSCAN | TMENDRSCAN).forget(xa, "x1")
                .recover(xa, TMSTARTRSCAN | TMENDRSCAN).forget(xa, "x1");

        assertEquals("start(x1) send end(x1,SUCCESS) prepare(x1)=XA_OK commit(x1,2pc)->XA_HEURRB "
                + "recover(START|END)=[x1] forget(x1)=OK recover(START|END)=[] forget(x1)->XAER_NOTA", t.toString());
        assertTrue(t.failure("commit(x1,2pc)").getMessage().contains("transaction.timeout.ms"),
                t.failure("commit(x1,2pc)").getMessage());
        assertEquals(TxState.FAILED, xa.state(), "a fenced producer is unusable: the connection must be destroyed");
        assertEquals("end(orders-node1-0,commit) describe(orders-node1-0)", coordinator.calls(),
                "the coordinator, not a guess, says the branch was aborted");
    }

    @Test
    void aPreparedCommitNotAnsweredWithinTheCommitTimeoutStaysPreparedAndTheRetryCompletesItThroughTheJournal() {
        producer.commitTimesOut(1);
        coordinator.answer(Errors.NONE);
        t.start(xa, "x1").note("send", producer::send).end(xa, "x1", TMSUCCESS).prepare(xa, "x1")
                .commit(xa, "x1", false).recover(xa, TMSTARTRSCAN | TMENDRSCAN).commit(xa, "x1", false);

        assertEquals("start(x1) send end(x1,SUCCESS) prepare(x1)=XA_OK commit(x1,2pc)->XAER_RMFAIL "
                + "recover(START|END)=[x1] commit(x1,2pc)=OK", t.toString(),
                "XAER_RMFAIL, never a heuristic, while a retry can still succeed");
        assertEquals("begin send prepare commit", producer.calls(), "no abort after a timed-out commit");
        assertEquals("end(orders-node1-0,commit)", coordinator.calls(), "the retry commits through the coordinator");
        assertEquals(List.of(), journal.xids());
        assertEquals(TxState.UNRESOLVED, xa.state(), "the engine still waits for its own EndTxn's answer");
    }

    @Test
    void anEngineThatFailsWhileCommittingHandsTheBranchToTheCoordinator() {
        producer.failNextCommit(new KafkaException("Unhandled error in EndTxnResponse"));
        coordinator.answer(Errors.NONE);
        t.start(xa, "x1").note("send", producer::send).end(xa, "x1", TMSUCCESS).prepare(xa, "x1")
                .commit(xa, "x1", false);

        assertEquals("start(x1) send end(x1,SUCCESS) prepare(x1)=XA_OK commit(x1,2pc)=OK", t.toString());
        assertEquals("end(orders-node1-0,commit)", coordinator.calls());
        assertEquals(List.of(), journal.xids());
    }

    @Test
    void prepareRollsBackWhenASendFailedOrTheJournalCannotRecord() {
        producer.failNextPrepare(new KafkaException("a record failed: NOT_ENOUGH_REPLICAS"));
        t.start(xa, "x1").note("send", producer::send).end(xa, "x1", TMSUCCESS).prepare(xa, "x1");
        journal.failNextRecord(new KafkaException("journal topic unavailable"));
        t.start(xa, "x2").note("send", producer::send).end(xa, "x2", TMSUCCESS).prepare(xa, "x2");

        assertEquals("start(x1) send end(x1,SUCCESS) prepare(x1)->XA_RBROLLBACK "
                + "start(x2) send end(x2,SUCCESS) prepare(x2)->XA_RBROLLBACK", t.toString());
        assertEquals("begin send prepare abort begin send prepare abort", producer.calls());
        assertTrue(t.failure("prepare(x2)").getMessage().contains("branch journal"),
                t.failure("prepare(x2)").getMessage());
    }

    @Test
    void rollbackOfAPreparedBranchAbortsAndRemovesItFromTheJournal() {
        t.start(xa, "x1").note("send", producer::send).end(xa, "x1", TMSUCCESS).prepare(xa, "x1").rollback(xa, "x1")
                .start(xa, "x2").note("send", producer::send).rollback(xa, "x2");

        assertEquals("start(x1) send end(x1,SUCCESS) prepare(x1)=XA_OK rollback(x1)=OK "
                + "start(x2) send rollback(x2)=OK", t.toString());
        assertEquals("begin send prepare abort begin send abort", producer.calls());
        assertEquals(List.of(), journal.xids());
    }

    @Test
    void callsOutOfProtocolFailWithTheCodesTheSpecificationPrescribes() {
        t.commit(xa, "x9", false).rollback(xa, "x9").prepare(xa, "x9").end(xa, "x9", TMSUCCESS)
                .start(xa, "x1").start(xa, "x1").start(xa, "x2").prepare(xa, "x1").commit(xa, "x1", false)
                .start(xa, "x1", TMJOIN).start(xa, "x1", 12345).end(xa, "x1", TMNOFLAGS)
                .recover(xa, TMNOFLAGS).recover(xa, 12345);

        assertEquals("commit(x9,2pc)->XAER_NOTA rollback(x9)->XAER_NOTA prepare(x9)->XAER_NOTA "
                + "end(x9,SUCCESS)->XAER_NOTA start(x1) start(x1)->XAER_DUPID start(x2)->XAER_PROTO "
                + "prepare(x1)->XAER_PROTO commit(x1,2pc)->XAER_PROTO start(x1,JOIN)->XAER_PROTO "
                + "start(x1,12345)->XAER_INVAL end(x1,NOFLAGS)->XAER_INVAL recover()->XAER_PROTO "
                + "recover(12345)->XAER_INVAL", t.toString());
        assertTrue(t.failure("start(x2)").getMessage().contains("XA_ACTIVE")
                && t.failure("start(x2)").getMessage().contains("orders-node1-0"), t.failure("start(x2)").getMessage());
        assertEquals("begin", producer.calls());
    }

    @Test
    void suspendResumeAndJoinKeepOneKafkaTransaction() {
        t.start(xa, "x1").end(xa, "x1", TMSUSPEND).note("send", producer::send).start(xa, "x1", TMRESUME)
                .end(xa, "x1", TMSUCCESS).start(xa, "x1", TMJOIN).note("send", producer::send)
                .end(xa, "x1", TMSUCCESS).prepare(xa, "x1").commit(xa, "x1", false)
                .start(xa, "x2").end(xa, "x2", TMFAIL).start(xa, "x2", TMJOIN).commit(xa, "x2", true);

        assertEquals("start(x1) end(x1,SUSPEND) send start(x1,RESUME) end(x1,SUCCESS) start(x1,JOIN) send "
                + "end(x1,SUCCESS) prepare(x1)=XA_OK commit(x1,2pc)=OK start(x2) end(x2,FAIL) "
                + "start(x2,JOIN)->XA_RBROLLBACK commit(x2,1pc)->XA_RBROLLBACK", t.toString());
        assertEquals("begin send send prepare commit begin abort", producer.calls());
    }

    @Test
    void recoveryListsExactlyThisAdaptersInDoubtBranchesAndCompletesThemAtTheCoordinator() {
        journal.record(branch("x1", "orders-node1-1"));
        journal.record(branch("x2", "orders-node1-2"));
        journal.record(branch("x3", "orders-node2-0"));
        journal.record(branch("x4", "payments-node1-0"));
        KafkaXAResource scanner = KafkaXAResource.forRecovery(recovery, CLUSTER);
        coordinator.answer(Errors.NONE).answer(Errors.NONE);

        t.recover(scanner, TMSTARTRSCAN).recover(scanner, TMNOFLAGS).recover(scanner, TMENDRSCAN)
                .commit(scanner, "x1", false).rollback(scanner, "x2").commit(scanner, "x1", false)
                .recover(scanner, TMSTARTRSCAN | TMENDRSCAN).start(scanner, "x5");

        assertEquals("recover(START)=[x1,x2] recover()=[] recover(END)=[] commit(x1,2pc)=OK rollback(x2)=OK "
                + "commit(x1,2pc)->XAER_NOTA recover(START|END)=[] start(x5)->XAER_PROTO", t.toString());
        assertEquals("end(orders-node1-1,commit) end(orders-node1-2,abort)", coordinator.calls());
        assertEquals(List.of(XaTranscript.xid("x3"), XaTranscript.xid("x4")), journal.xids(),
                "other nodes' and adapters' branches are left alone");
    }

    @Test
    void theCoordinatorsAnswersAfterACrashMapToHonestHeuristics() {
        for (String x : List.of("x1", "x2", "x3", "x4", "x5")) {
            journal.record(branch(x, "orders-node1-1"));
        }
        KafkaXAResource scanner = KafkaXAResource.forRecovery(recovery, CLUSTER);
        coordinator.answer(Errors.PRODUCER_FENCED).shows(new CoordinatorTransaction("CompleteAbort", 100, (short) 2))
                .answer(Errors.INVALID_TXN_STATE).shows(new CoordinatorTransaction("CompleteCommit", 100, (short) 2))
                .answer(Errors.INVALID_PRODUCER_ID_MAPPING).fail(new TimeoutException("coordinator unreachable"))
                .answer(Errors.PRODUCER_FENCED).shows(new CoordinatorTransaction("CompleteAbort", 100, (short) 2));

        t.commit(scanner, "x1", false).rollback(scanner, "x2").commit(scanner, "x3", false)
                .commit(scanner, "x4", false).rollback(scanner, "x5")
                .recover(scanner, TMSTARTRSCAN | TMENDRSCAN).forget(scanner, "x1").forget(scanner, "x4");

        assertEquals("commit(x1,2pc)->XA_HEURRB rollback(x2)->XA_HEURCOM commit(x3,2pc)->XA_HEURHAZ "
                + "commit(x4,2pc)->XAER_RMFAIL rollback(x5)=OK recover(START|END)=[x1,x2,x3,x4] forget(x1)=OK "
                + "forget(x4)->XAER_PROTO", t.toString());
        assertEquals(List.of(XaTranscript.xid("x2"), XaTranscript.xid("x3"), XaTranscript.xid("x4")),
                journal.xids());
    }

    @Test
    void aBranchHeldByALiveEngineIsCompletedByThatEngineWhicheverResourceIsAsked() {
        t.start(xa, "x1").note("send", producer::send).end(xa, "x1", TMSUCCESS).prepare(xa, "x1");
        KafkaXAResource scanner = KafkaXAResource.forRecovery(recovery, CLUSTER);
        t.recover(scanner, TMSTARTRSCAN | TMENDRSCAN).commit(scanner, "x1", false);

        assertEquals("start(x1) send end(x1,SUCCESS) prepare(x1)=XA_OK recover(START|END)=[x1] commit(x1,2pc)=OK",
                t.toString());
        assertEquals("begin send prepare commit", producer.calls());
        assertEquals("", coordinator.calls(), "the live engine ends it, not a second EndTxn from elsewhere");
    }

    @Test
    void sameResourceManagerOnlyForTheSameProducerOnTheSameCluster() throws Exception {
        KafkaXAResource sameProducer = resourceFor(producer);
        KafkaXAResource otherProducer = resourceFor(new FakeProducer("orders-node1-1"));
        KafkaXAResource otherCluster = new KafkaXAResource(producer, new TransactionStateMachine("orders-node1-0"),
                recovery, "cluster-B", 60, () -> 0L, new TransactionCompletion(producer, () -> 0L, 120_000));
        KafkaXAResource scanner = KafkaXAResource.forRecovery(recovery, CLUSTER);

        assertTrue(xa.isSameRM(xa));
        assertTrue(xa.isSameRM(sameProducer));
        assertFalse(xa.isSameRM(otherProducer), "a Kafka transaction cannot be joined from another producer");
        assertFalse(xa.isSameRM(otherCluster));
        assertFalse(xa.isSameRM(scanner));
        assertEquals(60, xa.getTransactionTimeout());
        assertTrue(xa.setTransactionTimeout(60), "a JTA timeout within the Kafka transaction timeout is kept");
        assertFalse(xa.setTransactionTimeout(61), "Kafka fixes transaction.timeout.ms per producer: not raised");
        try {
            xa.setTransactionTimeout(-1);
            throw new AssertionError("a negative timeout must be refused");
        } catch (javax.transaction.xa.XAException e) {
            assertEquals(javax.transaction.xa.XAException.XAER_INVAL, e.errorCode);
        }
    }

    private PreparedBranch branch(String x, String transactionalId) {
        return new PreparedBranch(XaTranscript.xid(x), transactionalId, new ProducerIdentity(100, (short) 1), 5);
    }
}
