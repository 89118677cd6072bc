package io.kafkara.spi;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * The container's registry as the adapter reads it: the key and status of "the calling thread's" transaction, which
 * the test sets (one for all threads: the tests run the application on one thread). Everything else throws.
 */
final class FakeTransactionRegistry implements TransactionSynchronizationRegistry {

    private volatile Object key;
    private volatile int status = Status.STATUS_NO_TRANSACTION;

    /** The thread is in the transaction {@code transactionKey}, with the given JTA status. */
    void inTransaction(Object transactionKey, int jtaStatus) {
        this.key = transactionKey;
        this.status = jtaStatus;
    }

    @Override
    public Object getTransactionKey() {
        return key;
    }

    @Override
    public int getTransactionStatus() {
        return key == null ? Status.STATUS_NO_TRANSACTION : status;
    }

    @Override
    public void putResource(Object resourceKey, Object value) {
        throw new UnsupportedOperationException("putResource");
    }

    @Override
    public Object getResource(Object resourceKey) {
        throw new UnsupportedOperationException("getResource");
    }

    @Override
    public void registerInterposedSynchronization(Synchronization sync) {
        throw new UnsupportedOperationException("registerInterposedSynchronization");
    }

    @Override
    public void setRollbackOnly() {
        throw new UnsupportedOperationException("setRollbackOnly");
    }

    @Override
    public boolean getRollbackOnly() {
        throw new UnsupportedOperationException("getRollbackOnly");
    }
}
