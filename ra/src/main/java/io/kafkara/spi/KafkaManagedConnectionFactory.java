package io.kafkara.spi;

import java.io.PrintWriter;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import javax.security.auth.Subject;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionDefinition;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import jakarta.resource.spi.TransactionSupport;
import jakarta.resource.spi.ValidatingManagedConnectionFactory;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkara.api.KafkaConnection;
import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.api.KafkaResourceException;
import io.kafkara.api.KafkaTransactionException;
import io.kafkara.config.HandleSettings;
import io.kafkara.config.InvalidSettingsException;
import io.kafkara.config.ResolvedSettings;
import io.kafkara.config.SettingsResolver;
import io.kafkara.config.TransactionSettings;
import io.kafkara.engine.ProducerEngine;
import io.kafkara.engine.kafka.ApplicationPlugins;
import io.kafkara.engine.kafka.RecordMemory;
import io.kafkara.observe.ObservedDefinitions;
import io.kafkara.observe.TraceHeaders;
import io.kafkara.tx.DefinitionTransactions;
import io.kafkara.tx.TransactionalIdPool;
import io.kafkara.tx.XaTransactionTimeout;

/**
 * One connection definition: the producer settings an administrator configured for one JNDI name. Its
 * connections share one engine (one sender loop, one memory budget); the engine is created with the first
 * connection. Its config properties are declared by {@link ConnectionDefinitionProperties}; they are validated when
 * the container associates it with the adapter, which is when the definition is activated.
 */
@ConnectionDefinition(
        connectionFactory = KafkaConnectionFactory.class,
        connectionFactoryImpl = KafkaConnectionFactoryImpl.class,
        connection = KafkaConnection.class,
        connectionImpl = KafkaConnectionImpl.class)
public class KafkaManagedConnectionFactory extends ConnectionDefinitionProperties
        implements ManagedConnectionFactory, ValidatingManagedConnectionFactory, ResourceAdapterAssociation,
        TransactionSupport {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(KafkaManagedConnectionFactory.class);

    private transient KafkaResourceAdapter resourceAdapter;
    private transient PrintWriter logWriter;
    private transient ProducerEngine sharedEngine;
    private transient volatile DefinitionPlugins plugins;
    private transient RecordMemory memory;
    private transient DefinitionTransactions transactions;
    /** What operators see of this definition (metrics, readiness); made at its first use. */
    private transient DefinitionObservation observation;
    /** The trace context its records carry, chosen at activation. */
    private transient volatile TraceHeaders traceHeaders = TraceHeaders.NONE;
    private transient volatile InvalidPropertyException activationFailure;
    /** Whether {@link #activateOnce()} ran (guarded by this). */
    private transient boolean activated;
    private transient volatile boolean orphaned;
    /** How messages name this definition, fixed at activation: naming it later may need classes no longer there. */
    private transient volatile String activatedIdentity;

    /**
     * Created with this class, while its class loader works: what the definition answers after that class loader
     * was closed (see {@link #createManagedConnection}).
     */
    private static final OrphanedRecoveryConnection ORPHANED = new OrphanedRecoveryConnection();
    private static final String OWN_CLASS_FILE = "io/kafkara/spi/KafkaManagedConnectionFactory.class";

    @Override
    public Object createConnectionFactory(ConnectionManager connectionManager) {
        activateOnce();
        return new KafkaConnectionFactoryImpl(this, connectionManager);
    }

    @Override
    public Object createConnectionFactory() throws ResourceException {
        throw new NotSupportedException("The Kafka resource adapter needs a Jakarta EE container: "
                + "deploy it and look the connection factory up in JNDI");
    }

    /**
     * Never lets an Error out: the transaction manager's recovery thread calls this too, and an Error (a
     * NoClassDefFoundError over the class loader of an adapter that was undeployed or failed to start) would kill it.
     * Once that class loader is gone, the definition answers with {@link OrphanedRecoveryConnection}, which needs no
     * class that would have to be loaded.
     */
    @Override
    public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo info) throws ResourceException {
        if (orphaned) {
            return ORPHANED;
        }
        try {
            return newManagedConnection(subject);
        } catch (LinkageError e) {
            if (classLoaderClosed()) {
                return answerAsOrphan();
            }
            throw new ResourceException("The Kafka resource adapter could not load a class it needs (" + e
                    + "); check that the adapter archive is complete", e);
        } catch (ResourceException e) {
            // A definition that failed (or whose adapter never started) refuses with its reason; once its deployment
            // is gone, recovery keeps asking, and the reason would be logged as an error at every scan.
            if (classLoaderClosed()) {
                return answerAsOrphan();
            }
            throw e;
        }
    }

    private ManagedConnection answerAsOrphan() {
        orphaned = true;
        LOG.warn("KAFKARA-RA-011: {} outlived its resource adapter deployment (the server kept its XA recovery "
                + "registration after the deployment failed or was removed, and its classes can no longer be loaded): "
                + "it now tells recovery it has no in-doubt branch, and its branches are recovered by the adapter's "
                + "next working deployment. A server restart drops the leftover registration",
                activatedIdentity != null ? activatedIdentity : "A connection definition of the Kafka resource adapter");
        return ORPHANED;
    }

    /**
     * True when this definition's own class loader no longer finds the adapter's files (it was closed). A resource,
     * not a class: a class loader answers for a class it loaded even after it was closed.
     */
    private static boolean classLoaderClosed() {
        ClassLoader own = KafkaManagedConnectionFactory.class.getClassLoader();
        return own != null && own.getResource(OWN_CLASS_FILE) == null;
    }

    private ManagedConnection newManagedConnection(Subject subject) throws ResourceException {
        activateOnce();
        InvalidPropertyException invalid = activationFailure;
        if (invalid != null) {
            throw invalid(invalid.getMessage(), invalid);
        }
        ConnectionCredential credential = ConnectionCredential.of(subject, this);
        DefinitionTransactions definitionTransactions = transactions();
        if (definitionTransactions == null) {
            if (adapter().awaitsStart()) {
                // A pool prefilled at deployment: the engine needs the started adapter's work manager, so this
                // connection takes the shared engine when a handle first needs it.
                return new KafkaManagedConnection(this, credential, this::sharedEngine, null);
            }
            return new KafkaManagedConnection(this, credential, sharedEngine());
        }
        return new KafkaManagedConnection(this, credential, this::sharedEngine, definitionTransactions);
    }

    /**
     * The level the administrator chose for this definition with {@code transactionSupportLevel}: IronJacamar lets it
     * replace the activation's transaction-support (JCA 7.13), so one activation can offer all three levels.
     */
    @Override
    public TransactionSupportLevel getTransactionSupport() {
        return TransactionSupportLevel.valueOf(TransactionSettings.levelOf(settingValues()));
    }

    /** The definition's transaction machinery, shared by its connections; null without transaction support. */
    private synchronized DefinitionTransactions transactions() throws ResourceException {
        if (transactions == null) {
            TransactionSettings chosen = transactionSettings();
            if (!chosen.transactional()) {
                return null;
            }
            KafkaResourceAdapter adapter = adapter();
            transactions = new DefinitionTransactions(new AdapterTransactionHost(adapter), resolveSettings(adapter), chosen, this::recordMemory,
                    observation().engines());
        }
        return transactions;
    }

    /** The calling thread's JTA transaction, as the container reports it (none before the adapter starts). */
    CallerTransaction callerTransaction() {
        KafkaResourceAdapter adapter = resourceAdapter;
        return adapter == null ? CallerTransaction.NONE : adapter.callerTransaction();
    }

    /** The adapter's clock, which ages a connection's transactions (0 before the adapter is associated). */
    long clockMs() {
        KafkaResourceAdapter adapter = resourceAdapter;
        return adapter == null ? 0L : adapter.time().milliseconds();
    }

    /** The definition's transaction machinery if it exists yet, for looks that must not start it. */
    synchronized DefinitionTransactions transactionsIfCreated() {
        return transactions;
    }

    /** What operators see of this definition; named by its clientIdPrefix, else its transactionalIdPrefix. */
    synchronized DefinitionObservation observation() {
        if (observation == null) {
            String name = getClientIdPrefix();
            if (name == null || name.isBlank()) {
                name = getTransactionalIdPrefix();
            }
            if (name == null || name.isBlank()) {
                name = "definition-" + Integer.toHexString(System.identityHashCode(this));
            }
            observation = new DefinitionObservation(this, name.trim());
        }
        return observation;
    }

    /** The trace context the definition's records carry (none where the server has no OpenTelemetry API). */
    TraceHeaders traceHeaders() {
        return traceHeaders;
    }

    private TransactionSettings transactionSettings() throws ResourceException {
        try {
            return TransactionSettings.of(settingValues());
        } catch (InvalidSettingsException e) {
            throw invalid(e.getMessage(), e);
        }
    }

    /** The handle settings (leakStackTraces, traceContext), judged at activation as the other settings. */
    private HandleSettings handleSettings() throws ResourceException {
        try {
            return HandleSettings.of(settingValues());
        } catch (InvalidSettingsException e) {
            throw invalid(e.getMessage(), e);
        }
    }

    /**
     * Connections of one definition share its engine, so a pooled connection serves a request when it was made by
     * a factory with the same settings, for the same credential, and its engine still runs; otherwise none does.
     */
    @Override
    @SuppressWarnings("rawtypes")
    public ManagedConnection matchManagedConnections(Set candidates, Subject subject, ConnectionRequestInfo info) {
        ConnectionCredential requested = ConnectionCredential.of(subject, this);
        for (Object candidate : candidates) {
            if (candidate instanceof KafkaManagedConnection connection && connection.matches(this, requested)) {
                return connection;
            }
        }
        return null;
    }

    /**
     * When the container refuses a connection to a thread whose JTA transaction is no longer active, that is the
     * reason to tell (not the pool); null when the thread's transaction is active or absent.
     */
    KafkaTransactionException whyNoConnectionInCallerTransaction() {
        KafkaResourceAdapter adapter = resourceAdapter;
        if (adapter == null || getTransactionSupport() == TransactionSupportLevel.NoTransaction) {
            return null;
        }
        CallerTransaction.Snapshot caller = adapter.callerTransaction().current();
        return caller.none() || caller.active() ? null : Enlistment.inactiveTransaction(caller);
    }

    /** Lets the pool replace connections whose engine stopped (its sender Work ended): they can never send again. */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Set getInvalidConnections(Set connections) {
        Set invalid = new HashSet<>();
        if (orphaned) {
            // Recovery checks the orphaned connection before each scan: it stays as it is, and nothing more loads.
            return invalid;
        }
        for (Object candidate : connections) {
            if (candidate instanceof KafkaManagedConnection connection && !connection.isUsable()) {
                invalid.add(connection);
            }
        }
        return invalid;
    }

    /**
     * The calling application's serializers, partitioner and interceptors for this definition (the caller's context
     * class loader picks them): every send goes through them, on the shared or a transactional engine.
     */
    ApplicationPlugins pluginsForCaller() {
        DefinitionPlugins current = plugins;
        return (current != null && !current.isClosed() ? current : definitionPlugins()).forCaller();
    }

    private synchronized DefinitionPlugins definitionPlugins() {
        if (plugins == null || plugins.isClosed()) {
            try {
                KafkaResourceAdapter adapter = adapter();
                ResolvedSettings settings = resolveSettings(adapter);
                // The plug-ins' client.id: the definition's prefix (its engines' ids are the prefix and a number).
                String clientId = settings.clientIdPrefix();
                plugins = new DefinitionPlugins(identity(), settings, adapter.engines().pluginSets(
                        settings.pluginConfig(clientId), clientId));
            } catch (ResourceException e) {
                throw new KafkaResourceException(e.getMessage(), e);
            }
        }
        return plugins;
    }

    private synchronized ProducerEngine sharedEngine() throws ResourceException {
        if (sharedEngine == null || !sharedEngine.isAlive()) {
            if (sharedEngine != null) {
                // A dead engine still holds its metrics and MBeans until closed.
                sharedEngine.closeInBackground();
            }
            KafkaResourceAdapter adapter = adapter();
            ResolvedSettings settings = resolveSettings(adapter);
            // The engine loads no application class: each caller brings its own plug-ins (pluginsForCaller).
            Map<String, Object> config = ApplicationPlugins.withoutPluginClasses(
                    settings.producerConfig(adapter.nextClientId(settings.clientIdPrefix())));
            try {
                config.put(RecordMemory.SETTING, recordMemory());
                sharedEngine = adapter.engines().launch(config, KafkaManagedConnectionFactory.class.getClassLoader());
                observation().engines().add(sharedEngine);
            } catch (ConfigException e) {
                // What only the engine can check: classes the application provides, combinations of settings.
                throw invalid(identity() + " cannot serve connections: Kafka refused its producer settings: "
                        + settings.hideSecrets(e.getMessage()), e);
            }
        }
        return sharedEngine;
    }

    /**
     * The record buffers every engine of this definition allocates from (its buffer.memory in all), for this start
     * of the adapter.
     */
    synchronized RecordMemory recordMemory() throws ResourceException {
        if (memory == null || memory.isClosed()) {
            // Closed by the adapter's last stop: a new start sets up a new one.
            KafkaResourceAdapter adapter = adapter();
            memory = adapter.engines().recordMemory(resolveSettings(adapter).producerConfig("memory"), adapter.time());
        }
        return memory;
    }

    /** The adapter's defaults overridden by this definition's values, validated by Kafka. */
    private ResolvedSettings resolveSettings(KafkaResourceAdapter adapter) throws ResourceException {
        try {
            return SettingsResolver.resolve(adapter.settingValues(), settingValues());
        } catch (InvalidSettingsException e) {
            throw invalid(e.getMessage(), e);
        }
    }

    private static InvalidPropertyException invalid(String message, Exception cause) {
        InvalidPropertyException invalid = new InvalidPropertyException(message);
        invalid.initCause(cause);
        return invalid;
    }

    private KafkaResourceAdapter adapter() throws ResourceException {
        if (resourceAdapter == null) {
            throw new ResourceException("This connection definition is not associated with a started Kafka resource adapter");
        }
        return resourceAdapter;
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    /**
     * Only associates: the settings are judged at the definition's first use ({@link #activateOnce()}). The
     * specification leaves the order of this call and the property setters open, and servers differ: IronJacamar sets
     * the properties first, Open Liberty calls this first.
     */
    @Override
    public void setResourceAdapter(ResourceAdapter adapter) throws ResourceException {
        if (!(adapter instanceof KafkaResourceAdapter kafkaAdapter)) {
            throw new ResourceException("Expected the Kafka resource adapter, got " + adapter);
        }
        this.resourceAdapter = kafkaAdapter;
    }

    /**
     * Judges the settings and claims the transactional ids, once, when the container first uses the definition
     * (creates its connection factory, or a connection for recovery): every server has set the properties by then.
     * A definition with invalid settings is accepted and refuses every connection with the reason: throwing would
     * fail the activation of the whole adapter, and so every other definition with it. The container has not named
     * the definition (IronJacamar sets the pool and JNDI names later), so the message names it by its clientIdPrefix
     * when it has one, and shows its values (secrets hidden).
     */
    private synchronized void activateOnce() {
        KafkaResourceAdapter kafkaAdapter = resourceAdapter;
        if (activated || kafkaAdapter == null) {
            return;
        }
        activated = true;
        activatedIdentity = identity();
        try {
            ResolvedSettings resolved = resolveSettings(kafkaAdapter);
            claimTransactionalIds(kafkaAdapter, transactionSettings(), resolved);
            traceHeaders = handleSettings().traceContext() ? TraceHeaders.ofThisServer() : TraceHeaders.NONE;
            ObservedDefinitions.register(kafkaAdapter, observation());
            activationFailure = null;
            resolved.notices().forEach(notice -> LOG.warn("KAFKARA-RA-012: {}: {}", identity(), notice));
        } catch (ResourceException e) {
            activationFailure = invalid(identity() + " cannot serve connections: " + e.getMessage(), e);
            LOG.error("KAFKARA-RA-010: {}. The adapter's other connection definitions are not affected; this one "
                    + "refuses every getConnection() with this message until its configuration is corrected",
                    activationFailure.getMessage());
        }
    }

    /**
     * How messages name this definition before the container has: by its clientIdPrefix, else its
     * transactionalIdPrefix; an operator finds the definition in the configuration by that value.
     */
    String identity() {
        String clientPrefix = getClientIdPrefix();
        if (clientPrefix != null && !clientPrefix.isBlank()) {
            return "The connection definition with clientIdPrefix=" + clientPrefix;
        }
        String idPrefix = getTransactionalIdPrefix();
        if (idPrefix != null && !idPrefix.isBlank()) {
            return "The connection definition with transactionalIdPrefix=" + idPrefix;
        }
        return "A connection definition of the Kafka resource adapter (set its clientIdPrefix to name it in messages)";
    }

    /** Why this definition refuses connections (invalid settings found at activation), or null. */
    InvalidPropertyException activationFailure() {
        return activationFailure;
    }

    /** Two definitions with the same transactional ids would fence each other's engines: the second one fails. */
    private void claimTransactionalIds(KafkaResourceAdapter adapter, TransactionSettings chosen,
                                       ResolvedSettings resolved)
            throws ResourceException {
        if (!chosen.transactional()) {
            return;
        }
        TransactionalIdPool pool;
        try {
            pool = TransactionalIdPool.forThisNode(chosen.idPrefix(), chosen.node(), chosen.poolSize());
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage(), e);
        }
        adapter.transactionalDefinitions().claim(this, pool.idHead(), "the connection definition with "
                + TransactionSettings.ID_PREFIX + "=" + chosen.idPrefix() + ", node " + pool.node() + ", "
                + TransactionSettings.SUPPORT + "=" + chosen.support() + ", clientIdPrefix="
                + getClientIdPrefix());
        pool.hostNameWarning(chosen.node()).ifPresent(LOG::warn);
        Object timeout = resolved.settings().get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
        XaTransactionTimeout.shortTimeoutWarning(chosen, timeout == null ? null
                : Integer.valueOf(String.valueOf(timeout).trim())).ifPresent(LOG::warn);
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    /** Equal when every config property is equal: the container matches factories by their settings. */
    @Override
    public boolean equals(Object other) {
        return other instanceof KafkaManagedConnectionFactory that && settingValues().equals(that.settingValues());
    }

    @Override
    public int hashCode() {
        return settingValues().hashCode();
    }

    /** The settings with every secret hidden. */
    @Override
    public String toString() {
        return "KafkaManagedConnectionFactory " + settingValues();
    }
}
