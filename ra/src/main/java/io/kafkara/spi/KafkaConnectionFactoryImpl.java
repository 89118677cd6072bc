package io.kafkara.spi;

import javax.naming.Reference;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.InvalidPropertyException;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.api.KafkaResourceException;
import io.kafkara.api.KafkaTransactionException;
import io.kafkara.engine.kafka.ApplicationPlugins;

/** The object bound in JNDI: asks the container's connection manager for a pooled connection. */
final class KafkaConnectionFactoryImpl implements KafkaConnectionFactory {

    private static final long serialVersionUID = 1L;

    private final KafkaManagedConnectionFactory managedFactory;
    private final transient ConnectionManager connectionManager;
    private final transient LeakedHandles leakedHandles;
    /** The plug-in view of the application that last obtained a handle: the next handle of it shares it. */
    private transient volatile KafkaConnectionImpl.CallerPlugins recentCaller;
    private Reference reference;

    KafkaConnectionFactoryImpl(KafkaManagedConnectionFactory managedFactory, ConnectionManager connectionManager) {
        this.managedFactory = managedFactory;
        this.connectionManager = connectionManager;
        this.leakedHandles = LeakedHandles.of(managedFactory);
    }

    @Override
    public KafkaConnection getConnection() {
        leakedHandles.reportCollected();
        // The caller's plug-in classes, before any engine starts: a class this application cannot load or use
        // fails here, naming the definition and the setting.
        ApplicationPlugins plugins = managedFactory.activationFailure() == null ? managedFactory.pluginsForCaller()
                : null;
        Object handle;
        try {
            handle = connectionManager.allocateConnection(managedFactory, null);
        } catch (ResourceException e) {
            if (managedFactory.activationFailure() != null) {
                // Not the pool: the definition's own settings are invalid, and the reason is its whole message.
                throw new KafkaResourceException(managedFactory.activationFailure().getMessage(), e);
            }
            InvalidPropertyException settings = refusedSettings(e);
            if (settings != null) {
                // Not the pool either: building the engine showed a setting Kafka refuses (a class that cannot be
                // loaded, a combination of values); the container only wrapped the reason.
                throw new KafkaResourceException(settings.getMessage(), e);
            }
            KafkaTransactionException transactionGone = managedFactory.whyNoConnectionInCallerTransaction();
            if (transactionGone != null) {
                // IronJacamar: IJ000461 and the like; the transaction's status is the real reason.
                throw new KafkaTransactionException(transactionGone.getMessage() + " (the container refused a "
                        + "connection: " + e.getMessage() + ")", e);
            }
            // The pool's own message says why (e.g. IJ000655: no connection free within the blocking timeout).
            throw new KafkaResourceException("Could not obtain a Kafka connection: " + e.getMessage()
                    + " (if the pool is exhausted, raise the connection definition's max-pool-size or"
                    + " blocking-timeout-wait-millis, or close connections sooner)", e);
        }
        if (handle instanceof KafkaConnectionImpl ours) {
            KafkaConnectionImpl.CallerPlugins caller = null;
            if (plugins != null) {
                caller = KafkaConnectionImpl.CallerPlugins.forCurrentThread(recentCaller, plugins);
                recentCaller = caller;
            }
            ours.obtainedThrough(connectionManager, leakedHandles.track(ours), caller);
        }
        return (KafkaConnection) handle;
    }

    /** The definition's own refusal of its settings, somewhere in what the container threw, or null. */
    private static InvalidPropertyException refusedSettings(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof InvalidPropertyException invalid) {
                return invalid;
            }
        }
        return null;
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public Reference getReference() {
        return reference;
    }
}
