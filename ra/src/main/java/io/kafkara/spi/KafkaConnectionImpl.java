package io.kafkara.spi;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Supplier;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.LazyAssociatableConnectionManager;
import jakarta.resource.spi.LazyEnlistableConnectionManager;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaResourceException;
import io.kafkara.api.KafkaTransactionException;
import io.kafkara.engine.EngineStoppedException;
import io.kafkara.engine.kafka.ApplicationPlugins;

/**
 * The application's handle: holds only its managed connection and checks on every call that it is still open.
 * Closing it returns the managed connection to the pool and never closes the shared engine.
 *
 * <p>Outside a transaction the container may take the managed connection away while the handle is idle (JCA lazy
 * association, {@link KafkaManagedConnection#dissociateConnections()}; IronJacamar does when the pool is full): the
 * handle's next call asks the container for a managed connection again. So a handle the application forgets to close
 * holds a pooled connection only until the pool needs it.
 */
final class KafkaConnectionImpl implements KafkaConnection {

    private static final AtomicReferenceFieldUpdater<KafkaConnectionImpl, KafkaManagedConnection> MANAGED =
            AtomicReferenceFieldUpdater.newUpdater(KafkaConnectionImpl.class, KafkaManagedConnection.class, "managed");

    private final KafkaManagedConnectionFactory definition;
    private volatile KafkaManagedConnection managed;
    private volatile boolean closed;
    private volatile LazyEnlistableConnectionManager enlister;
    private volatile LazyAssociatableConnectionManager associator;
    private volatile LeakedHandles.Tracking tracking;
    private volatile Supplier<KafkaTransactionException> closedDiagnosis = () -> null;
    private final HandleSends sends = new HandleSends();
    /** The plug-ins of the application that obtained the handle, for calls on threads of the same loader. */
    private volatile CallerPlugins callerPlugins;

    /**
     * A set of plug-ins and the context class loader it was picked for, both weakly: a handle the application
     * forgets (held by a pooled connection) must not keep an undeployed application (its anchor class keeps the set
     * while the application lives).
     */
    static final class CallerPlugins {
        private final WeakReference<ClassLoader> loader;
        private final WeakReference<ApplicationPlugins> plugins;

        private CallerPlugins(ClassLoader loader, ApplicationPlugins plugins) {
            this.loader = new WeakReference<>(loader);
            this.plugins = new WeakReference<>(plugins);
        }

        /**
         * The calling thread's view of {@code plugins}: {@code recent} when it is that already. Handles of one
         * application share one view, so that a getConnection() creates no weak reference (the garbage collector
         * processes each one on its own).
         */
        static CallerPlugins forCurrentThread(CallerPlugins recent, ApplicationPlugins plugins) {
            ClassLoader caller = Thread.currentThread().getContextClassLoader();
            return recent != null && recent.forLoader(caller) == plugins ? recent : new CallerPlugins(caller, plugins);
        }

        /** The set, if it was picked for {@code caller} and is still there. */
        ApplicationPlugins forLoader(ClassLoader caller) {
            return loader.get() == caller ? plugins.get() : null;
        }
    }

    KafkaConnectionImpl(KafkaManagedConnection managed) {
        this.managed = managed;
        this.definition = managed.definition();
    }

    /**
     * The application obtained this handle through the container's connection manager: it enlists the connection
     * lazily (JCA 7.14) and associates it again after a dissociation (JCA 7.9) where the manager can; {@code tracking}
     * reports the handle if it is lost without close().
     */
    void obtainedThrough(ConnectionManager connectionManager, LeakedHandles.Tracking tracking,
                         CallerPlugins plugins) {
        callerPlugins = plugins;
        if (connectionManager instanceof LazyEnlistableConnectionManager lazy) {
            enlister = lazy;
        }
        if (connectionManager instanceof LazyAssociatableConnectionManager lazy) {
            associator = lazy;
        }
        this.tracking = tracking;
    }

    @Override
    public <K, V> Future<RecordMetadata> send(ProducerRecord<K, V> record) {
        return send(record, null);
    }

    @Override
    public <K, V> Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
        KafkaManagedConnection.SendRoute route = route();
        Future<RecordMetadata> sent;
        try {
            definition.traceHeaders().addTo(record);
            sent = route.engine().send(record, callback, plugins());
        } catch (EngineStoppedException e) {
            throw reportDead(e);
        } finally {
            route.done();
        }
        sends.sent(sent);
        KafkaManagedConnection current = managed;
        return current == null ? sent : current.explainAborts(route, sent);
    }

    @Override
    public <K, V> CompletionStage<RecordMetadata> sendAsync(ProducerRecord<K, V> record) {
        KafkaManagedConnection.SendRoute route = route();
        try {
            definition.traceHeaders().addTo(record);
            CompletionStage<RecordMetadata> sent = route.engine().sendAsync(record, plugins());
            sends.sent(sent.toCompletableFuture());
            return sent;
        } catch (EngineStoppedException e) {
            throw reportDead(e);
        } finally {
            route.done();
        }
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        KafkaManagedConnection.SendRoute route = route();
        try {
            return route.engine().partitionsFor(topic);
        } catch (EngineStoppedException e) {
            throw reportDead(e);
        } finally {
            route.done();
        }
    }

    /** Waits for this handle's sends only; see {@link KafkaConnection#flush()} for how that differs from Kafka's. */
    @Override
    public void flush() {
        if (closed) {
            throw closedError(managed);
        }
        sends.awaitCompletion();
    }

    @Override
    public void close() {
        LeakedHandles.Tracking tracked = tracking;
        if (tracked != null) {
            tracked.retire();
        }
        if (closed) {
            return;
        }
        closed = true;
        KafkaManagedConnection current = managed;
        if (current != null) {
            current.handleClosed(this);
        } else if (associator != null) {
            // Dissociated: no managed connection to return; the container may forget the handle (JCA 7.9.2).
            associator.inactiveConnectionClosed(this, definition);
        }
    }

    /** The container took {@code from} back while this handle was idle; the next call associates it again. */
    void dissociateFrom(KafkaManagedConnection from) {
        MANAGED.compareAndSet(this, from, null);
    }

    /** The container reassigned this handle to another managed connection (connection sharing). */
    void associateWith(KafkaManagedConnection other) {
        KafkaManagedConnection previous = managed;
        if (previous != null && previous != other) {
            previous.detach(this);
        }
        managed = other;
    }

    /**
     * The container cleaned up the managed connection under this handle; {@code diagnosis} tells later calls what
     * happened to the transaction, if that is why.
     */
    void invalidate(Supplier<KafkaTransactionException> diagnosis) {
        closedDiagnosis = diagnosis;
        closed = true;
        managed = null;
    }

    /**
     * The calling application's plug-ins: the handle's own when the thread has the loader they were picked for
     * (no lookup per send), else the definition's set for the thread's loader.
     */
    private ApplicationPlugins plugins() {
        ClassLoader caller = Thread.currentThread().getContextClassLoader();
        CallerPlugins known = callerPlugins;
        ApplicationPlugins same = known == null ? null : known.forLoader(caller);
        if (same != null) {
            return same;
        }
        ApplicationPlugins plugins = definition.pluginsForCaller();
        callerPlugins = new CallerPlugins(caller, plugins);
        return plugins;
    }

    /** A dead engine can never send again: tell the pool, so it destroys this connection instead of reusing it. */
    private EngineStoppedException reportDead(EngineStoppedException e) {
        KafkaManagedConnection current = managed;
        if (current != null) {
            current.engineDied(this, e);
        }
        return e;
    }

    /**
     * The engine for a call (the caller ends it with done()). When the container moves this handle during the call (IronJacamar's lazy enlistment
     * dissociates a connection when the caller's transaction has one of the pool already), the call is asked again
     * of the connection the handle then has.
     */
    private KafkaManagedConnection.SendRoute route() {
        KafkaManagedConnection current = associated();
        try {
            return current.route(enlister);
        } catch (KafkaTransactionException refused) {
            if (closed || managed == current) {
                throw refused;
            }
            return associated().route(enlister);
        }
    }

    /** The managed connection for a call: this handle's, or, after a dissociation, one the container gives it now. */
    private KafkaManagedConnection associated() {
        KafkaManagedConnection current = managed;
        if (!closed && current != null) {
            return current;
        }
        if (closed) {
            throw closedError(current);
        }
        return reassociate();
    }

    private RuntimeException closedError(KafkaManagedConnection current) {
        KafkaTransactionException transactionGone = current != null ? current.closedDiagnosis().get()
                : closedDiagnosis.get();
        if (transactionGone != null) {
            return transactionGone;
        }
        return new IllegalStateException("This Kafka connection is closed; obtain a new one from the connection factory");
    }

    private synchronized KafkaManagedConnection reassociate() {
        KafkaManagedConnection current = managed;
        if (current != null) {
            return current;
        }
        LazyAssociatableConnectionManager container = associator;
        if (container == null) {
            throw new IllegalStateException("The container took this Kafka connection's pooled connection back and "
                    + "cannot give it another one; obtain a new connection from the connection factory");
        }
        try {
            container.associateConnection(this, definition, null);
        } catch (ResourceException e) {
            KafkaTransactionException transactionGone = definition.whyNoConnectionInCallerTransaction();
            if (transactionGone != null) {
                throw new KafkaTransactionException(transactionGone.getMessage() + " (the container refused a "
                        + "connection: " + e.getMessage() + ")", e);
            }
            throw new KafkaResourceException("This Kafka connection was idle and the pool lent its connection to "
                    + "another caller; it could not get one back: " + e.getMessage(), e);
        }
        current = managed;
        if (current == null) {
            throw new IllegalStateException("The container did not associate this Kafka connection with a pooled "
                    + "connection; obtain a new connection from the connection factory");
        }
        return current;
    }
}
