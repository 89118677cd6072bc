package io.kafkara.spi;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;

import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.LazyEnlistableConnectionManager;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaTransactionException;
import io.kafkara.engine.EngineStoppedException;
import io.kafkara.engine.ProducerEngine;

/**
 * The application's handle: holds only its managed connection and checks on every call that it is still open.
 * Closing it returns the managed connection to the pool and never closes the shared engine.
 */
final class KafkaConnectionImpl implements KafkaConnection {

    private volatile KafkaManagedConnection managed;
    private volatile boolean closed;
    private volatile LazyEnlistableConnectionManager enlister;
    private volatile Supplier<KafkaTransactionException> closedDiagnosis = () -> null;

    KafkaConnectionImpl(KafkaManagedConnection managed) {
        this.managed = managed;
    }

    /** The container's connection manager, when it can enlist a connection lazily (JCA 7.14). */
    void enlistThrough(ConnectionManager connectionManager) {
        if (connectionManager instanceof LazyEnlistableConnectionManager lazy) {
            enlister = lazy;
        }
    }

    @Override
    public <K, V> Future<RecordMetadata> send(ProducerRecord<K, V> record) {
        return send(record, null);
    }

    @Override
    public <K, V> Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
        ProducerEngine engine = engine();
        Future<RecordMetadata> sent;
        try {
            sent = engine.send(record, callback);
        } catch (EngineStoppedException e) {
            throw reportDead(e);
        }
        KafkaManagedConnection current = managed;
        return current == null ? sent : current.explainAborts(engine, sent);
    }

    @Override
    public <K, V> CompletionStage<RecordMetadata> sendAsync(ProducerRecord<K, V> record) {
        ProducerEngine engine = engine();
        try {
            return engine.sendAsync(record);
        } catch (EngineStoppedException e) {
            throw reportDead(e);
        }
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        ProducerEngine engine = engine();
        try {
            return engine.partitionsFor(topic);
        } catch (EngineStoppedException e) {
            throw reportDead(e);
        }
    }

    @Override
    public void flush() {
        ProducerEngine engine = engine();
        try {
            engine.flush();
        } catch (EngineStoppedException e) {
            throw reportDead(e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        KafkaManagedConnection current = managed;
        if (current != null) {
            current.handleClosed(this);
        }
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

    /** A dead engine can never send again: tell the pool, so it destroys this connection instead of reusing it. */
    private EngineStoppedException reportDead(EngineStoppedException e) {
        KafkaManagedConnection current = managed;
        if (current != null) {
            current.engineDied(this, e);
        }
        return e;
    }

    private ProducerEngine engine() {
        KafkaManagedConnection current = managed;
        if (closed || current == null) {
            KafkaTransactionException transactionGone = current != null ? current.closedDiagnosis().get()
                    : closedDiagnosis.get();
            if (transactionGone != null) {
                throw transactionGone;
            }
            throw new IllegalStateException("This Kafka connection is closed; obtain a new one from the connection factory");
        }
        return current.engine(enlister);
    }
}
