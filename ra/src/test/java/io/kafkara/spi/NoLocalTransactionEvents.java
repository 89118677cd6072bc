package io.kafkara.spi;

import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;

/** The connection listener of a fake container without local transactions: their events are refused. */
interface NoLocalTransactionEvents extends ConnectionEventListener {

    @Override
    default void localTransactionStarted(ConnectionEvent event) {
        throw new UnsupportedOperationException("localTransactionStarted");
    }

    @Override
    default void localTransactionCommitted(ConnectionEvent event) {
        throw new UnsupportedOperationException("localTransactionCommitted");
    }

    @Override
    default void localTransactionRolledback(ConnectionEvent event) {
        throw new UnsupportedOperationException("localTransactionRolledback");
    }
}
