package io.kafkara.spi;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;

import io.kafkara.engine.ProducerEngine;

/**
 * A pooled connection: a view on its definition's shared engine. The container pools these; applications only
 * ever see the thin {@link KafkaConnectionImpl} handles it creates.
 */
final class KafkaManagedConnection implements ManagedConnection {

    private final KafkaManagedConnectionFactory factory;
    private final ConnectionCredential credential;
    private final ProducerEngine engine;
    private final Set<KafkaConnectionImpl> handles = ConcurrentHashMap.newKeySet();
    private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean destroyed;
    private PrintWriter logWriter;

    KafkaManagedConnection(KafkaManagedConnectionFactory factory, ConnectionCredential credential, ProducerEngine engine) {
        this.factory = factory;
        this.credential = credential;
        this.engine = engine;
    }

    /** Serves a request only for the same settings and the same credentials, and only while its engine lives. */
    boolean matches(KafkaManagedConnectionFactory candidate, ConnectionCredential requested) {
        return factory.equals(candidate) && credential.equals(requested) && isUsable();
    }

    /** The engine for a handle's call; fails once the container destroyed this connection. */
    ProducerEngine engine() {
        if (destroyed) {
            throw new IllegalStateException("This Kafka connection was destroyed by the container; obtain a new one");
        }
        return engine;
    }

    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo info) {
        KafkaConnectionImpl handle = new KafkaConnectionImpl(this);
        handles.add(handle);
        return handle;
    }

    @Override
    public void associateConnection(Object connection) throws ResourceException {
        if (!(connection instanceof KafkaConnectionImpl handle)) {
            throw new ResourceException("Not a Kafka connection handle: " + connection);
        }
        handle.associateWith(this);
        handles.add(handle);
    }

    void detach(KafkaConnectionImpl handle) {
        handles.remove(handle);
    }

    /** Called by a handle's close(): tells the pool that this connection is free again. */
    void handleClosed(KafkaConnectionImpl handle) {
        handles.remove(handle);
        ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_CLOSED);
        event.setConnectionHandle(handle);
        for (ConnectionEventListener listener : listeners) {
            listener.connectionClosed(event);
        }
    }

    /** Called by a handle whose call found the engine dead: the pool must destroy this connection. */
    void engineDied(KafkaConnectionImpl handle, Exception cause) {
        ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_ERROR_OCCURRED, cause);
        event.setConnectionHandle(handle);
        for (ConnectionEventListener listener : listeners) {
            listener.connectionErrorOccurred(event);
        }
    }

    /** For the pool's validation: a connection whose engine stopped can never send again. */
    boolean isUsable() {
        return !destroyed && engine.isAlive();
    }

    @Override
    public void cleanup() {
        for (KafkaConnectionImpl handle : handles) {
            handle.invalidate();
        }
        handles.clear();
    }

    /** Destroys this pooled connection only: the definition's shared engine keeps serving the others. */
    @Override
    public void destroy() {
        cleanup();
        destroyed = true;
    }

    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public XAResource getXAResource() throws ResourceException {
        throw new NotSupportedException("This Kafka connection definition does not support XA transactions");
    }

    @Override
    public LocalTransaction getLocalTransaction() throws ResourceException {
        throw new NotSupportedException("This Kafka connection definition does not support local transactions");
    }

    @Override
    public ManagedConnectionMetaData getMetaData() {
        return new KafkaManagedConnectionMetaData(engine.clientId());
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }
}
