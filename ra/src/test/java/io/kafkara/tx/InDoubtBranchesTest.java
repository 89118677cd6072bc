package io.kafkara.tx;

import static javax.transaction.xa.XAResource.TMNOFLAGS;
import static javax.transaction.xa.XAResource.TMSTARTRSCAN;
import static javax.transaction.xa.XAResource.TMENDRSCAN;
import static javax.transaction.xa.XAResource.TMSUCCESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;


import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import io.kafkara.engine.ProducerIdentity;
import io.kafkara.engine.kafka.CoordinatorTransaction;

/**
 * The operator's view of in-doubt branches: listing with age and time left on the engines' clock, completion by hand
 * through the transaction manager's own path (live engine, else the coordinator), heuristic outcomes reported and
 * forgotten, and one near-timeout warning per branch.
 */
class InDoubtBranchesTest {

    private static final String CLUSTER = "cluster-A";
    private static final long TIMEOUT_MS = 60_000;

    private final TransactionalIdPool pool = new TransactionalIdPool("orders", "node1", 4);
    private final InMemoryBranchJournal journal = new InMemoryBranchJournal();
    private final ScriptedCompleter coordinator = new ScriptedCompleter();
    private final BranchRecovery recovery = new BranchRecovery(journal, coordinator, pool::owns);
    private final List<String> warnings = new ArrayList<>();
    private long clock = 1_000_000;
    private final InDoubtBranches branches = new InDoubtBranches(recovery, CLUSTER, () -> clock,
            new BranchTimeoutWatch(TIMEOUT_MS, "the MBean X", warnings::add), TIMEOUT_MS,
            text -> text.replace("s3cret", "[hidden]"));

    /** A branch prepared by a live engine at the current clock reading. */
    private KafkaXAResource preparedLive(String name, FakeProducer producer) throws Exception {
        KafkaXAResource xa = new KafkaXAResource(producer, new TransactionStateMachine(producer.transactionalId()),
                recovery, CLUSTER, 60, () -> clock, new TransactionCompletion(producer, () -> clock, 120_000));
        xa.start(XaTranscript.xid(name), TMNOFLAGS);
        producer.send();
        xa.end(XaTranscript.xid(name), TMSUCCESS);
        xa.prepare(XaTranscript.xid(name));
        return xa;
    }

    /** A branch only the journal knows (its engine is gone), prepared at the given clock reading. */
    private void journaled(String name, String transactionalId, long preparedAt) {
        journal.record(new PreparedBranch(XaTranscript.xid(name), transactionalId, new ProducerIdentity(7, (short) 1),
                preparedAt));
    }

    private List<String> recovered() throws Exception {
        KafkaXAResource scan = KafkaXAResource.forRecovery(recovery, CLUSTER);
        return Arrays.stream(scan.recover(TMSTARTRSCAN | TMENDRSCAN)).map(XaTranscript::name).toList();
    }

    @Test
    void listsEachBranchWithItsAgeAndTimeLeftOnTheEnginesClockOldestFirst() throws Exception {
        journaled("old", "orders-node1-1", clock - 20_000);
        journaled("other-pool", "billing-node1-0", clock - 50_000);
        preparedLive("young", new FakeProducer("orders-node1-0"));
        clock += 5_000;

        List<InDoubtBranch> listed = branches.list();

        assertEquals(List.of("old", "young"), listed.stream().map(b -> XaTranscript.name(b.xid())).toList(),
                "oldest first, another pool's branch left out");
        assertEquals(List.of(25_000L, 5_000L), listed.stream().map(InDoubtBranch::ageMs).toList());
        assertEquals(List.of(35_000L, 55_000L), listed.stream().map(InDoubtBranch::timeLeftMs).toList());
        assertEquals(List.of(false, true), listed.stream().map(InDoubtBranch::live).toList());
        String summary = listed.get(0).summary();
        assertTrue(summary.startsWith(XaTranscript.xid("old") + " transactionalId=orders-node1-1 producerId=7 epoch=1 "
                + "preparedAt=1970-01-01T00:16:20Z ageMs=25000 timeLeftMs=35000 journal only"), summary);
    }

    @Test
    void aLiveBranchCommittedByHandGoesThroughItsEngineAndIsGoneForTheTransactionManager() throws Exception {
        FakeProducer producer = new FakeProducer("orders-node1-0");
        KafkaXAResource xa = preparedLive("x1", producer);
        assertEquals(List.of("x1"), recovered());

        String outcome = branches.commit(XaTranscript.xid("x1").toString());

        assertTrue(outcome.startsWith("Committed " + XaTranscript.xid("x1") + " -> transactional id orders-node1-0"),
                outcome);
        assertEquals("begin send prepare commit", producer.calls(), "the engine that holds it commits it");
        assertEquals("", coordinator.calls(), "no EndTxn of our own");
        assertEquals(List.of(), recovered(), "recover() no longer reports it");
        assertEquals(TxState.IDLE, xa.state(), "the engine is free for the next branch");
    }

    @Test
    void aJournalOnlyBranchIsEndedAtTheCoordinatorInEitherDirection() throws Exception {
        journaled("c", "orders-node1-1", clock);
        journaled("r", "orders-node1-2", clock);
        coordinator.answer(Errors.NONE).answer(Errors.NONE);

        branches.commit("Xid[" + XaTranscript.xid("c").getFormatId() + ":" + hex("c") + ":62]");
        String rolledBack = branches.rollback(XaTranscript.xid("r").toString());

        assertEquals("end(orders-node1-1,commit) end(orders-node1-2,abort)", coordinator.calls());
        assertTrue(rolledBack.startsWith("Rolled back "), rolledBack);
        assertEquals(List.of(), recovered());
    }

    @Test
    void aHeuristicOutcomeIsReportedAsTextAndTheBranchForgotten() throws Exception {
        journaled("late", "orders-node1-1", clock - 70_000);
        journaled("done", "orders-node1-2", clock);
        coordinator.answer(Errors.PRODUCER_FENCED).shows(new CoordinatorTransaction("CompleteAbort", 7, (short) 2))
                .answer(Errors.INVALID_TXN_STATE).shows(new CoordinatorTransaction("CompleteCommit", 7, (short) 2));

        String late = branches.commit(XaTranscript.xid("late").toString());
        String done = branches.rollback(XaTranscript.xid("done").toString());

        assertTrue(late.startsWith("Heuristic outcome XA_HEURRB of the commit of " + XaTranscript.xid("late")), late);
        assertTrue(late.contains("most likely because transaction.timeout.ms passed") && late.endsWith("The branch is "
                + "forgotten: the transaction manager will not see it again"), late);
        assertTrue(done.startsWith("Heuristic outcome XA_HEURCOM of the rollback"), done);
        assertEquals(List.of(), recovered(), "forgotten after the operator's decision");
    }

    @Test
    void anUnreachableCoordinatorLeavesTheBranchInDoubtAndSaysToRepeat() throws Exception {
        journaled("x1", "orders-node1-1", clock);
        coordinator.fail(new TimeoutException("EndTxn did not complete; sasl password s3cret"));

        IllegalStateException failed = assertThrows(IllegalStateException.class,
                () -> branches.commit(XaTranscript.xid("x1").toString()));

        assertTrue(failed.getMessage().contains("did not complete, the branch stays in doubt; repeat the call"),
                failed.getMessage());
        assertTrue(failed.getMessage().contains("XAER_RMFAIL"), failed.getMessage());
        assertFalse(failed.getMessage().contains("s3cret"), "secrets are scrubbed: " + failed.getMessage());
        assertEquals(List.of("x1"), recovered());
    }

    @Test
    void anXidThatIsNotInDoubtOrNotAnXidIsRefusedNamingWhatIs() {
        journaled("x1", "orders-node1-1", clock);
        journaled("foreign", "billing-node1-0", clock);

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> branches.commit(XaTranscript.xid("x2").toString()));
        IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class,
                () -> branches.rollback(XaTranscript.xid("foreign").toString()));
        IllegalArgumentException garbage = assertThrows(IllegalArgumentException.class,
                () -> branches.commit("tx-42"));

        assertTrue(unknown.getMessage().endsWith("in doubt: [" + XaTranscript.xid("x1") + "]"), unknown.getMessage());
        assertTrue(foreign.getMessage().contains("is not an in-doubt branch of this connection definition"),
                "another pool's branch is not this definition's to complete: " + foreign.getMessage());
        assertTrue(garbage.getMessage().startsWith("Not an Xid: 'tx-42'. Give it as the in-doubt listing shows it"),
                garbage.getMessage());
        assertEquals("", coordinator.calls());
    }

    @Test
    void warnsOncePerBranchWhenItPassesFourFifthsOfTheTransactionTimeout() {
        journaled("x1", "orders-node1-1", clock);
        journaled("x2", "orders-node1-2", clock + 10_000);

        clock += 47_999;
        branches.checkTimeouts();
        assertEquals(List.of(), warnings, "below 80% of 60 s");

        clock += 1;
        branches.checkTimeouts();
        branches.list();
        assertEquals(1, warnings.size(), "one warning for x1, however often it is looked at: " + warnings);
        assertTrue(warnings.get(0).startsWith("KAFKARA-TX-010: in-doubt XA branch " + XaTranscript.xid("x1")
                + " (transactional id orders-node1-1, producerId=7, epoch=1) has been prepared for 48000 ms of "
                + "transaction.timeout.ms=60000: the broker aborts it in at most 12000 ms"), warnings.get(0));
        assertTrue(warnings.get(0).endsWith("commit or rollback and this Xid on the MBean X"), warnings.get(0));

        clock += 10_000;
        branches.checkTimeouts();
        assertEquals(2, warnings.size(), "then x2: " + warnings);
        clock += 30_000;
        branches.checkTimeouts();
        assertEquals(2, warnings.size(), "still one each after the timeout passed");
    }

    @Test
    void aClusterThatKeepsPreparedBranchesGetsNoTimeoutWarningAndNoTimeLeft() {
        journaled("x1", "orders-node1-1", clock);
        branches.brokerKeepsPrepared(() -> true);
        clock += 120_000;

        List<InDoubtBranch> listed = branches.list();
        branches.checkTimeouts();

        assertEquals(List.of(), warnings, "two-phase commit mode: the broker never aborts it");
        assertEquals(List.of(Long.MAX_VALUE - 120_000), listed.stream().map(InDoubtBranch::timeLeftMs).toList());
        branches.brokerKeepsPrepared(() -> false);
        branches.checkTimeouts();
        assertEquals(1, warnings.size(), "a stock cluster warns about the same branch: " + warnings);
    }

    @Test
    void branchStartsLookAtMostOnceASecond() {
        journaled("x1", "orders-node1-1", clock - 47_500);

        branches.checkTimeoutsNowAndThen();
        clock += 600;
        branches.checkTimeoutsNowAndThen();
        assertEquals(List.of(), warnings, "the look at +600 ms was skipped, so 48,100 ms went unseen");

        clock += 400;
        branches.checkTimeoutsNowAndThen();
        assertEquals(1, warnings.size(), "a second after the last look: " + warnings);
    }

    private static String hex(String gtrid) {
        return java.util.HexFormat.of().formatHex(gtrid.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }


    @Test
    void branchesOfAnotherNodeOfThePrefixAreListedMarkedAndCompletedOnlyByHand() throws Exception {
        branches.otherNodes(pool::isOfOtherNode, pool::nodeOf);
        journaled("mine", "orders-node1-1", clock);
        journaled("renamed", "orders-node0-3", clock - 5_000);
        journaled("foreign", "billing-node1-0", clock);
        coordinator.answer(Errors.NONE);

        assertEquals(List.of("mine"), recovered(), "recovery never returns another node's branch");
        List<InDoubtBranch> listed = branches.listWithOtherNodes();
        assertEquals(List.of("node1", "node0"), listed.stream().map(InDoubtBranch::node).toList(),
                "another prefix is not listed at all");
        assertEquals(List.of(false, true), listed.stream().map(InDoubtBranch::otherNode).toList());
        assertTrue(listed.get(1).summary().contains("other node") && listed.get(1).summary().endsWith("node=node0"),
                listed.get(1).summary());

        String committed = branches.commit(XaTranscript.xid("renamed").toString());

        assertTrue(committed.startsWith("Committed "), committed);
        assertEquals("end(orders-node0-3,commit)", coordinator.calls());
        assertEquals(List.of(XaTranscript.xid("mine"), XaTranscript.xid("foreign")), journal.xids(),
                "the completed branch is tombstoned; the others stay");
    }
}
