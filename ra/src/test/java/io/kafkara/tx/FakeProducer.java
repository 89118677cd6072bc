package io.kafkara.tx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.apache.kafka.common.errors.TimeoutException;

import io.kafkara.engine.ProducerIdentity;

/**
 * A transactional producer that records each call as one word ("begin send prepare commit abort") and fails a call
 * when the test scripted a failure for it. It refuses what kafka-clients 4.3.1's TransactionManager refuses: calls
 * out of order, and, after a commit (or abort) timed out, anything but the retry of that same call (its
 * {@code handleCachedTransactionRequestResult}). A scripted timeout waits the whole timeout on the fake's clock.
 */
final class FakeProducer implements TransactionalProducer {

    static final ProducerIdentity IDENTITY = new ProducerIdentity(4711, (short) 3);

    private final String transactionalId;
    private final List<String> calls = new ArrayList<>();
    private final Deque<RuntimeException> commitFailures = new ArrayDeque<>();
    private final Deque<RuntimeException> abortFailures = new ArrayDeque<>();
    private final Deque<RuntimeException> prepareFailures = new ArrayDeque<>();
    private int commitTimeouts;
    private int abortTimeouts;
    private String pending;
    private boolean inTransaction;
    private long sends;
    private long clockMs = 1_000;

    FakeProducer(String transactionalId) {
        this.transactionalId = transactionalId;
    }

    /** The fake's clock: a scripted timeout moves it on by the time waited. */
    long clockMs() {
        return clockMs;
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

    /** The next {@code times} commits wait their whole timeout without an answer (the broker is frozen). */
    void commitTimesOut(int times) {
        commitTimeouts = times;
    }

    /** The next {@code times} aborts wait their whole timeout without an answer. */
    void abortTimesOut(int times) {
        abortTimeouts = times;
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
        refusePending("beginTransaction");
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
        refusePending("prepareTransaction");
        requireTransaction("prepare");
        calls.add("prepare");
        throwIfScripted(prepareFailures);
        return IDENTITY;
    }

    @Override
    public void commitTransaction(long timeoutMs) {
        requireTransaction("commit");
        refusePendingOtherThan("commitTransaction");
        calls.add("commit");
        if (commitTimeouts > 0) {
            commitTimeouts--;
            timeOut("commitTransaction", timeoutMs);
        }
        pending = null;
        throwIfScripted(commitFailures);
        inTransaction = false;
    }

    @Override
    public void abortTransaction(long timeoutMs) {
        requireTransaction("abort");
        refusePendingOtherThan("abortTransaction");
        calls.add("abort");
        if (abortTimeouts > 0) {
            abortTimeouts--;
            timeOut("abortTransaction", timeoutMs);
        }
        pending = null;
        throwIfScripted(abortFailures);
        inTransaction = false;
    }

    private void timeOut(String operation, long timeoutMs) {
        clockMs += timeoutMs;
        pending = operation;
        throw new TimeoutException("Timeout expired after " + timeoutMs + "ms while awaiting " + operation);
    }

    private void refusePending(String operation) {
        if (pending != null) {
            throw new IllegalStateException("Cannot attempt operation `" + operation + "` because the previous call "
                    + "to `" + pending + "` timed out and must be retried");
        }
    }

    private void refusePendingOtherThan(String operation) {
        if (pending != null && !pending.equals(operation)) {
            refusePending(operation);
        }
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
