package io.kafkara.spi;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.LocalTransaction;

/**
 * The local transaction of one managed connection, as the container sees it: begin leases the connection's
 * transactional engine on first use, then each call runs on that engine's {@code KafkaLocalTransaction}.
 */
final class ConnectionLocalTransaction implements LocalTransaction {

    private final KafkaManagedConnection connection;

    ConnectionLocalTransaction(KafkaManagedConnection connection) {
        this.connection = connection;
    }

    @Override
    public void begin() throws ResourceException {
        connection.transactionalLease().localTransaction().begin();
        connection.transactionBegins();
    }

    @Override
    public void commit() throws ResourceException {
        try {
            connection.leaseOrFail("commit").localTransaction().commit();
        } finally {
            connection.checkTransactionalEngine();
        }
    }

    @Override
    public void rollback() throws ResourceException {
        connection.transactionRollingBack();
        try {
            connection.leaseOrFail("rollback").localTransaction().rollback();
        } finally {
            connection.checkTransactionalEngine();
        }
    }
}
