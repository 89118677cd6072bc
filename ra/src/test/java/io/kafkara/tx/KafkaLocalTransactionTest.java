package io.kafkara.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import jakarta.resource.ResourceException;

import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

/** JCA local transactions over one engine, as transcripts; they share the engine's state with XA. */
class KafkaLocalTransactionTest {

    private final FakeProducer producer = new FakeProducer("orders-node1-0");
    private final TransactionStateMachine machine = new TransactionStateMachine("orders-node1-0");
    private final TransactionCompletion completion = new TransactionCompletion(producer, producer::clockMs, 12_000);
    private final KafkaLocalTransaction local = new KafkaLocalTransaction(producer, machine, completion);
    private final KafkaXAResource xa = new KafkaXAResource(producer, machine,
            new BranchRecovery(new InMemoryBranchJournal(), new ScriptedCompleter(), id -> true), "c", 60,
            producer::clockMs, completion);
    private final List<String> transcript = new ArrayList<>();
    private final List<String> messages = new ArrayList<>();

    @FunctionalInterface
    private interface Call {
        void run() throws Exception;
    }

    private KafkaLocalTransactionTest step(String label, Call call) {
        try {
            call.run();
            transcript.add(label);
        } catch (ResourceException e) {
            transcript.add(label + "->" + e.getClass().getSimpleName());
            messages.add(e.getMessage());
        } catch (Exception e) {
            transcript.add(label + "->" + e.getClass().getSimpleName());
        }
        return this;
    }

    @Test
    void beginSendCommitAndBeginRollback() {
        step("begin", local::begin).step("send", producer::send).step("commit", local::commit)
                .step("begin", local::begin).step("send", producer::send).step("rollback", local::rollback);

        assertEquals("begin send commit begin send rollback", String.join(" ", transcript));
        assertEquals("begin send commit begin send abort", producer.calls());
        assertEquals(TxState.IDLE, machine.state());
    }

    @Test
    void aSendThatFailedInsideTheTransactionMakesCommitFailAndRollBack() {
        producer.failNextCommit(new KafkaException("Cannot execute transactional method because we are in an error "
                + "state", new org.apache.kafka.common.errors.RecordTooLargeException("record too large")));
        step("begin", local::begin).step("send", producer::send).step("commit", local::commit)
                .step("begin", local::begin);

        assertEquals("begin send commit->LocalTransactionException begin", String.join(" ", transcript));
        assertEquals("begin send commit abort begin", producer.calls());
        assertTrue(messages.get(0).contains("rolled back") && messages.get(0).contains("orders-node1-0"),
                messages.get(0));
    }

    @Test
    void aCommitTheCoordinatorDoesNotAnswerInTimeIsRetriedThenReportedAsUnknownNeverAborted() {
        producer.failNextCommit(new org.apache.kafka.common.errors.TimeoutException("Timeout expired after 3000ms "
                + "while awaiting EndTxn(true)"));
        step("begin", local::begin).step("send", producer::send).step("commit", local::commit);
        assertEquals("begin send commit", String.join(" ", transcript), "an early timeout is retried: committed");
        assertEquals("begin send commit commit", producer.calls());

        producer.commitTimesOut(1);
        step("begin", local::begin).step("send", producer::send).step("commit", local::commit)
                .step("begin", local::begin);

        assertEquals("begin send commit begin send commit->LocalTransactionException "
                + "begin->LocalTransactionException", String.join(" ", transcript),
                "past commitTimeoutMs the outcome is unknown, and the engine runs no other transaction");
        assertEquals("begin send commit commit begin send commit", producer.calls(),
                "no abort after the timed-out commit: Kafka refuses it, and the commit may still happen");
        assertTrue(messages.get(0).contains("is unknown") && messages.get(0).contains("commitTimeoutMs=12000"),
                messages.get(0));
        assertEquals(TxState.UNRESOLVED, machine.state());
        assertTrue(messages.get(1).contains("still waits for the coordinator's answer"), messages.get(1));
    }

    @Test
    void oneKindOfTransactionAtATime() throws Exception {
        step("begin", local::begin).step("begin", local::begin)
                .step("xa.start(x1)", () -> xa.start(XaTranscript.xid("x1"), javax.transaction.xa.XAResource.TMNOFLAGS))
                .step("rollback", local::rollback)
                .step("xa.start(x1)", () -> xa.start(XaTranscript.xid("x1"), javax.transaction.xa.XAResource.TMNOFLAGS))
                .step("begin", local::begin).step("commit", local::commit);

        assertEquals("begin begin->LocalTransactionException xa.start(x1)->XAException rollback xa.start(x1) "
                + "begin->LocalTransactionException commit->LocalTransactionException", String.join(" ", transcript));
        assertTrue(messages.get(0).contains("LOCAL_ACTIVE"), messages.get(0));
        assertTrue(messages.get(1).contains("XA_ACTIVE"), messages.get(1));
    }
}
