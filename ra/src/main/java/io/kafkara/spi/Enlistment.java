package io.kafkara.spi;

import java.util.function.LongSupplier;

import org.apache.kafka.common.errors.TransactionAbortedException;

import io.kafkara.api.KafkaTransactionException;

/**
 * Which JTA transaction a managed connection's Kafka transaction belongs to, and how it ended when the transaction
 * manager ended it from another thread than the one that began it (Narayana's reaper rolls a transaction back on its
 * own thread when the transaction timeout expires). Sends compare the calling thread's transaction with it; the
 * refusals it builds say what happened in the application's terms.
 */
final class Enlistment {

    private final LongSupplier clockMs;
    private volatile Object transactionKey;
    private volatile Thread thread;
    private volatile long beganAtMs;
    private volatile Object rolledBackElsewhereKey;
    private volatile long rolledBackAfterMs;

    Enlistment(LongSupplier clockMs) {
        this.clockMs = clockMs;
    }

    /** A Kafka transaction began (local begin, XA start) for the calling thread's JTA transaction. */
    void began(CallerTransaction.Snapshot caller) {
        transactionKey = caller.key();
        thread = Thread.currentThread();
        beganAtMs = clockMs.getAsLong();
    }

    /** Whether the calling thread's transaction is the one the Kafka transaction began for. */
    boolean isFor(CallerTransaction.Snapshot caller) {
        Object key = transactionKey;
        return key != null && key.equals(caller.key());
    }

    /** A rollback (or end with TMFAIL) arrives: remembered when another thread than the beginning one sends it. */
    void rollingBack() {
        Thread began = thread;
        if (began != null && began != Thread.currentThread() && transactionKey != null) {
            rolledBackElsewhereKey = transactionKey;
            rolledBackAfterMs = clockMs.getAsLong() - beganAtMs;
        }
    }

    /** The transaction a send goes into now; a later failure of its record is explained against it. */
    Object currentKey() {
        return transactionKey;
    }

    /**
     * When a record sent in the transaction {@code key} failed because its Kafka transaction was aborted, and the
     * transaction manager rolled that transaction back from another thread (its timeout): the reason in the
     * application's terms, wrapping Kafka's exception; null otherwise.
     */
    KafkaTransactionException explainAbort(Object key, Throwable failure) {
        Object elsewhere = rolledBackElsewhereKey;
        if (!(failure instanceof TransactionAbortedException) || key == null || !key.equals(elsewhere)) {
            return null;
        }
        return new KafkaTransactionException("This record was sent in a JTA transaction that the transaction manager "
                + "rolled back on another thread " + rolledBackAfterMs + " ms after its Kafka transaction began, "
                + "while the application was still using it: its transaction timeout expired. The Kafka transaction "
                + "was aborted with the record: nothing of the transaction is visible. Raise the transaction timeout, "
                + "or do less in one transaction", failure);
    }

    /** Why a send of the calling thread cannot go into its transaction, which is not active. */
    KafkaTransactionException inactive(CallerTransaction.Snapshot caller) {
        Object elsewhere = rolledBackElsewhereKey;
        if (elsewhere != null && elsewhere.equals(caller.key())) {
            return new KafkaTransactionException("The JTA transaction of this thread was rolled back by the "
                    + "transaction manager on another thread " + rolledBackAfterMs + " ms after its Kafka transaction "
                    + "began, while the application was still using it: its transaction timeout expired (status "
                    + caller.statusName() + "). The Kafka transaction was aborted and this call is refused: nothing "
                    + "of the transaction is visible. Raise the transaction timeout, or do less in one transaction");
        }
        return inactiveTransaction(caller);
    }

    /** Why a call of the calling thread cannot go into its transaction, which is not active, as far as its status says. */
    static KafkaTransactionException inactiveTransaction(CallerTransaction.Snapshot caller) {
        if (caller.rolledBackOrRollingBack()) {
            return new KafkaTransactionException("The JTA transaction of this thread is " + caller.statusName()
                    + ": it was rolled back, or marked for rollback, before this call (by its transaction timeout, by "
                    + "setRollbackOnly or by a failed resource). This call is refused and nothing is sent: its records "
                    + "would be discarded with the transaction");
        }
        return new KafkaTransactionException("The JTA transaction of this thread is " + caller.statusName()
                + ": it is completing or completed, so nothing can be sent in it any more. This call is refused; send "
                + "in a new transaction");
    }

    /** The calling thread's transaction is active, but the Kafka transaction belongs to another one. */
    static KafkaTransactionException otherTransaction() {
        return new KafkaTransactionException("This Kafka connection is enlisted in another JTA transaction than the "
                + "one of the calling thread, so the call is refused and nothing is sent: obtain a connection inside "
                + "the transaction you send in (a connection obtained in one transaction cannot be used in another)");
    }

    /** The calling thread's transaction is active, and the container did not enlist this connection in it. */
    static KafkaTransactionException notEnlisted(String why) {
        return new KafkaTransactionException("This Kafka connection is not enlisted in the JTA transaction of the "
                + "calling thread (" + why + "), so the call is refused and nothing is sent: obtain the connection "
                + "inside the transaction");
    }
}
