package io.kafkara.spi;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import javax.transaction.xa.XAResource;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.Connector;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.TransactionSupport.TransactionSupportLevel;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kafkara.config.InvalidSettingsException;
import io.kafkara.config.Level;
import io.kafkara.config.OwnSettings;
import io.kafkara.config.SettingsResolver;
import io.kafkara.engine.ProducerEngine;
import io.kafkara.observe.ObservedDefinitions;
import io.kafkara.tx.TransactionalDefinitions;
import io.kafkara.tx.TransactionalEngineSet;

/**
 * The adapter's lifecycle: receives the container's {@link BootstrapContext} (and so its WorkManager, on which
 * every engine's sender loop runs) and closes every engine when the adapter stops. Outbound only.
 *
 * <p>{@code start()} starts no engine: engines are created, and their Work scheduled, when the first
 * connection of a connection definition is requested, so a full work-manager pool can never block a deploy.
 * Its config properties ({@link ResourceAdapterProperties}) are the defaults of every connection definition.
 * {@code stop()} gives each engine {@code shutdownTimeoutMs} to deliver what it accepted, then forces it closed.
 */
@Connector(
        displayName = "Kafka resource adapter",
        description = "A pooled, container-managed Kafka producer for Jakarta EE applications",
        vendorName = "io.kafkara",
        eisType = "Apache Kafka",
        version = "0.1",
        transactionSupport = TransactionSupportLevel.XATransaction)
public class KafkaResourceAdapter extends ResourceAdapterProperties implements jakarta.resource.spi.ResourceAdapter {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(KafkaResourceAdapter.class);


    private Long shutdownTimeoutMs;

    private transient volatile EngineSupervisor engines;
    private transient volatile CallerTransaction callerTransaction = CallerTransaction.NONE;
    private transient volatile boolean stopped;
    private final transient EngineSupervisor.EngineFactory engineFactory;
    private final transient Time time;
    private final transient TransactionalDefinitions transactionalDefinitions;
    private final AtomicInteger clientIds = new AtomicInteger();

    public KafkaResourceAdapter() {
        this(ProducerEngine::create, Time.SYSTEM, new TransactionalDefinitions());
    }

    /** For unit tests: engines over a fake network and clock. */
    KafkaResourceAdapter(EngineSupervisor.EngineFactory engineFactory) {
        this(engineFactory, Time.SYSTEM, new TransactionalDefinitions());
    }

    /** For unit tests: the engines' clock, and an MBean server of the test's own. */
    KafkaResourceAdapter(EngineSupervisor.EngineFactory engineFactory, Time time,
                         TransactionalDefinitions transactionalDefinitions) {
        super(Level.RESOURCE_ADAPTER);
        this.engineFactory = engineFactory;
        this.time = time;
        this.transactionalDefinitions = transactionalDefinitions;
    }

    public Long getShutdownTimeoutMs() {
        return shutdownTimeoutMs;
    }

    /** Declared in {@link OwnSettings#RESOURCE_ADAPTER}; the container reads this annotation. */
    @ConfigProperty(type = Long.class, defaultValue = OwnSettings.DEFAULT_SHUTDOWN_TIMEOUT_MS, description = "How "
            + "long, in milliseconds, stopping the adapter lets each engine deliver what it accepted before it forces "
            + "the engine closed. 0 forces at once.")
    public void setShutdownTimeoutMs(Long shutdownTimeoutMs) {
        this.shutdownTimeoutMs = shutdownTimeoutMs;
    }

    @Override
    public void start(BootstrapContext context) throws ResourceAdapterInternalException {
        try {
            // The adapter's properties are the defaults of every connection definition: refuse bad ones at deploy.
            SettingsResolver.checkAdapter(settingValues());
        } catch (InvalidSettingsException e) {
            throw new ResourceAdapterInternalException(e.getMessage(), e);
        }
        engines = new EngineSupervisor(context.getWorkManager(), shutdownTimeout(), engineFactory);
        callerTransaction = new CallerTransaction(transactionRegistry(context));
        transactionalDefinitions.open();
        LOG.info("KAFKARA-RA-015: Kafka resource adapter started. Each producer engine runs its sender loop as a "
                + "long-running Work of this adapter's work manager: one per connection definition in use, one per "
                + "concurrent transaction of a transactional definition (at most its transactionalIdPoolSize; up to "
                + "{} idle ones stay open for {} s), one per XA branch journal. At most one of them waits for a "
                + "thread at a time, so no caller blocks in the work manager: size its long-running threads to that "
                + "sum", TransactionalEngineSet.IDLE_FLOOR, TransactionalEngineSet.IDLE_CLOSE_MS / 1000);
    }

    /** The container's registry, through which sends see their thread's JTA transaction; null if it offers none. */
    private static TransactionSynchronizationRegistry transactionRegistry(BootstrapContext context) {
        try {
            return context.getTransactionSynchronizationRegistry();
        } catch (UnsupportedOperationException e) {
            LOG.warn("KAFKARA-RA-005: the container offers no TransactionSynchronizationRegistry: transactional "
                    + "connection definitions cannot check the calling thread's JTA transaction before a send");
            return null;
        }
    }

    /** The calling thread's JTA transaction, as the container reports it. */
    CallerTransaction callerTransaction() {
        return callerTransaction;
    }

    private Duration shutdownTimeout() throws ResourceAdapterInternalException {
        long millis = shutdownTimeoutMs != null ? shutdownTimeoutMs
                : (Long) OwnSettings.defaultOf(OwnSettings.RESOURCE_ADAPTER, OwnSettings.SHUTDOWN_TIMEOUT);
        if (millis < 0) {
            throw new ResourceAdapterInternalException("The resource adapter property " + OwnSettings.SHUTDOWN_TIMEOUT
                    + " is " + millis + ": set it to 0 or more milliseconds");
        }
        return Duration.ofMillis(millis);
    }

    @Override
    public void stop() {
        stopped = true;
        EngineSupervisor current = engines;
        engines = null;
        if (current != null) {
            current.closeAll();
        }
        transactionalDefinitions.releaseAll();
        ObservedDefinitions.unregisterAll(this);
        LOG.info("Kafka resource adapter stopped");
    }

    /**
     * True between deployment and start(): IronJacamar creates the pools, and fills prefilled ones, before it starts
     * the adapter. False once started, and after stop().
     */
    boolean awaitsStart() {
        return engines == null && !stopped;
    }

    /** The engines of this adapter instance; fails when the adapter is not started. */
    EngineSupervisor engines() throws ResourceException {
        EngineSupervisor current = engines;
        if (current == null) {
            throw new ResourceException("The Kafka resource adapter is not started (it was stopped or is being undeployed)");
        }
        return current;
    }

    /** The engines' clock: transactions stamp and age their branches with it. */
    Time time() {
        return time;
    }

    /** The transactional ids claimed by this adapter's definitions, and their MBeans. */
    TransactionalDefinitions transactionalDefinitions() {
        return transactionalDefinitions;
    }

    /** A client id that is unique within this adapter and readable in JMX and logs. */
    String nextClientId(String prefix) {
        return prefix + "-" + clientIds.incrementAndGet();
    }

    @Override
    public void endpointActivation(MessageEndpointFactory endpointFactory, ActivationSpec spec) throws ResourceException {
        throw new jakarta.resource.NotSupportedException("The Kafka resource adapter is outbound only: it has no message endpoints");
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory endpointFactory, ActivationSpec spec) {
        // Outbound only: nothing was activated.
    }

    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        return new XAResource[0];
    }

    // The archive validator requires equals/hashCode. An adapter instance owns its engines and client ids, so two
    // instances are never interchangeable, whatever their properties: identity is right.
    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
