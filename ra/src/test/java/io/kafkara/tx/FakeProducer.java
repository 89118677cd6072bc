package io.kafkara.tx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import io.kafkara.engine.ProducerIdentity;

/**
 * A transactional producer that records each call as one word ("begin send prepare commit abort") and fails a call
 * when the test scripted a failure for it. Calls out of Kafka's order fail, as the TransactionManager would.
 */
final class FakeProducer implements TransactionalProducer {

    static final ProducerIdentity IDENTITY = new ProducerIdentity(4711, (short) 3);

    private final String transactionalId;
    private final List<String> calls = new ArrayList<>();
    private final Deque<RuntimeException> commitFailures = new ArrayDeque<>();
    private final Deque<RuntimeException> abortFailures = new ArrayDeque<>();
    private final Deque<RuntimeException> prepareFailures = new ArrayDeque<>();
    private boolean inTransaction;
    private long sends;

    FakeProducer(String transactionalId) {
        this.transactionalId = transactionalId;
    }

    /** A record sent through the engine inside the transaction. */
    void send() {
        if (!inTransaction) {
            throw new IllegalStateException("send outside a transaction");
        }
        calls.add("send");
        sends++;
    }

    void failNextCommit(RuntimeException e) {
        commitFailures.add(e);
    }

    void failNextAbort(RuntimeException e) {
        abortFailures.add(e);
    }

    void failNextPrepare(RuntimeException e) {
        prepareFailures.add(e);
    }

    String calls() {
        return String.join(" ", calls);
    }

    @Override
    public String transactionalId() {
        return transactionalId;
    }

    @Override
    public void beginTransaction() {
        if (inTransaction) {
            throw new IllegalStateException("begin inside a transaction");
        }
        calls.add("begin");
        inTransaction = true;
        sends = 0;
    }

    @Override
    public long sendsInTransaction() {
        return sends;
    }

    @Override
    public ProducerIdentity prepareTransaction() {
        requireTransaction("prepare");
        calls.add("prepare");
        throwIfScripted(prepareFailures);
        return IDENTITY;
    }

    @Override
    public void commitTransaction() {
        requireTransaction("commit");
        calls.add("commit");
        throwIfScripted(commitFailures);
        inTransaction = false;
    }

    @Override
    public void abortTransaction() {
        requireTransaction("abort");
        calls.add("abort");
        throwIfScripted(abortFailures);
        inTransaction = false;
    }

    private void requireTransaction(String call) {
        if (!inTransaction) {
            throw new IllegalStateException(call + " outside a transaction");
        }
    }

    private static void throwIfScripted(Deque<RuntimeException> failures) {
        RuntimeException next = failures.poll();
        if (next != null) {
            throw next;
        }
    }
}
