package io.kafkara.spi;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.LocalTransaction;

/**
 * The local transaction of one managed connection, as the container sees it: begin borrows a transactional engine of
 * the definition's set, commit and rollback give it back, and each call runs on that engine's
 * {@code KafkaLocalTransaction}.
 */
final class ConnectionLocalTransaction implements LocalTransaction {

    private final KafkaManagedConnection connection;

    ConnectionLocalTransaction(KafkaManagedConnection connection) {
        this.connection = connection;
    }

    @Override
    public void begin() throws ResourceException {
        try {
            connection.transactionalLease().localTransaction().begin();
        } finally {
            connection.transactionCallEnded();
        }
        connection.transactionBegins();
    }

    @Override
    public void commit() throws ResourceException {
        try {
            connection.leaseOrFail("commit").localTransaction().commit();
        } finally {
            connection.transactionCallEnded();
        }
    }

    @Override
    public void rollback() throws ResourceException {
        connection.transactionRollingBack();
        try {
            connection.leaseOrFail("rollback").localTransaction().rollback();
        } finally {
            connection.transactionCallEnded();
        }
    }
}
