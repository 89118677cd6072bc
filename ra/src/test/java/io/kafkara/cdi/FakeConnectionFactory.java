package io.kafkara.cdi;

import javax.naming.Reference;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;

/** Stands for the factory the server binds; the lookup only passes it on, so every method refuses. */
final class FakeConnectionFactory implements KafkaConnectionFactory {

    private static final long serialVersionUID = 1L;

    @Override
    public KafkaConnection getConnection() {
        throw new UnsupportedOperationException("the lookup must not open connections");
    }

    @Override
    public void setReference(Reference reference) {
        throw new UnsupportedOperationException("setReference");
    }

    @Override
    public Reference getReference() {
        throw new UnsupportedOperationException("getReference");
    }
}
