package io.kafkara.spi;

import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * The calling thread's JTA transaction, as the container's {@link TransactionSynchronizationRegistry} (from the
 * adapter's BootstrapContext) reports it: whether there is one, its key (to tell whether a connection is enlisted in
 * it) and its status. Without a registry (a container that offers none) every thread reads as having none.
 */
final class CallerTransaction {

    /** The calling thread's transaction at one moment; {@code key} is null when the thread has none. */
    record Snapshot(Object key, int status) {

        boolean none() {
            return key == null || status == Status.STATUS_NO_TRANSACTION;
        }

        boolean active() {
            return !none() && status == Status.STATUS_ACTIVE;
        }

        /** The status as the JTA constant's name, for messages. */
        String statusName() {
            return switch (status) {
                case Status.STATUS_ACTIVE -> "STATUS_ACTIVE";
                case Status.STATUS_MARKED_ROLLBACK -> "STATUS_MARKED_ROLLBACK";
                case Status.STATUS_PREPARED -> "STATUS_PREPARED";
                case Status.STATUS_COMMITTED -> "STATUS_COMMITTED";
                case Status.STATUS_ROLLEDBACK -> "STATUS_ROLLEDBACK";
                case Status.STATUS_UNKNOWN -> "STATUS_UNKNOWN";
                case Status.STATUS_NO_TRANSACTION -> "STATUS_NO_TRANSACTION";
                case Status.STATUS_PREPARING -> "STATUS_PREPARING";
                case Status.STATUS_COMMITTING -> "STATUS_COMMITTING";
                case Status.STATUS_ROLLING_BACK -> "STATUS_ROLLING_BACK";
                default -> "status " + status;
            };
        }

        boolean rolledBackOrRollingBack() {
            return status == Status.STATUS_ROLLEDBACK || status == Status.STATUS_ROLLING_BACK
                    || status == Status.STATUS_MARKED_ROLLBACK;
        }
    }

    static final CallerTransaction NONE = new CallerTransaction(null);

    private final TransactionSynchronizationRegistry registry;

    CallerTransaction(TransactionSynchronizationRegistry registry) {
        this.registry = registry;
    }

    Snapshot current() {
        if (registry == null) {
            return new Snapshot(null, Status.STATUS_NO_TRANSACTION);
        }
        Object key = registry.getTransactionKey();
        return new Snapshot(key, key == null ? Status.STATUS_NO_TRANSACTION : registry.getTransactionStatus());
    }
}
