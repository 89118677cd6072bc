package io.kafkara.engine.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.ApiVersions;
import org.apache.kafka.clients.ClientUtils;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.KafkaClient;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.internals.BufferPool;
import org.apache.kafka.clients.producer.internals.KafkaProducerMetrics;
import org.apache.kafka.clients.producer.internals.ProducerMetadata;
import org.apache.kafka.clients.producer.internals.ProducerMetrics;
import org.apache.kafka.clients.producer.internals.RecordAccumulator;
import org.apache.kafka.clients.producer.internals.Sender;
import org.apache.kafka.clients.producer.internals.TransactionManager;
import org.apache.kafka.common.internals.ClusterResourceListeners;
import org.apache.kafka.common.metrics.KafkaMetricsContext;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.MetricsReporter;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.telemetry.internals.ClientTelemetryReporter;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.common.utils.LogContext;
import org.apache.kafka.common.utils.Time;

/**
 * Builds a {@link ProducerPipeline} from the settings the user gave, the way the producer assembles itself: config
 * (Kafka fills every default), metrics with the JMX prefix {@value ProducerPipeline#JMX_PREFIX}, plug-ins, the
 * transaction manager (idempotence needs one too), buffer pool and accumulator, metadata, network client and Sender.
 * Nothing is started: the Sender runs only when its owner calls {@link ProducerPipeline#runSenderLoop()}.
 */
public final class EngineAssembly {

    private static final String METRIC_GROUP = "producer-metrics";

    private final ProducerConfig config;
    private final Time time;
    private final String clientId;
    private final LogContext logContext;
    private final List<AutoCloseable> built = new ArrayList<>();
    /** The definition's record memory shared by its engines, or null for a pool of this engine's own. */
    private final RecordMemory memory;

    private EngineAssembly(ProducerConfig config, Time time, RecordMemory memory) {
        this.config = config;
        this.time = time;
        this.memory = memory;
        this.clientId = config.getString(ProducerConfig.CLIENT_ID_CONFIG);
        String transactionalId = config.getString(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        this.logContext = new LogContext(transactionalId == null
                ? String.format("[Producer clientId=%s] ", clientId)
                : String.format("[Producer clientId=%s, transactionalId=%s] ", clientId, transactionalId));
    }

    /**
     * Assembles a pipeline.
     *
     * @param settings          only what the user set; validated by {@link ProducerConfig}, which throws a
     *                          {@code ConfigException} naming the key and value on bad input; under
     *                          {@link RecordMemory#SETTING} the definition's record memory, if its engines share one
     * @param applicationLoader loads the plug-in classes named in the settings, with the adapter's loader as fallback
     * @param time              the clock of every timeout and metric
     * @param clientFactory     the network client to use, or {@code null} for Kafka's NetworkClient
     * @param onSenderLoop      answers "is the current thread running this engine's sender loop?"
     */
    public static ProducerPipeline assemble(Map<String, Object> settings, ClassLoader applicationLoader, Time time,
                                            KafkaClientFactory clientFactory, BooleanSupplier onSenderLoop) {
        // Kafka resolves class-typed settings through the context class loader while it parses and instantiates them.
        return ContextClassLoader.with(FallbackClassLoader.over(applicationLoader,
                EngineAssembly.class.getClassLoader()), () -> {
            Map<String, Object> kafkaSettings = new java.util.HashMap<>(settings);
            RecordMemory memory = RecordMemory.takeFrom(kafkaSettings);
            EngineAssembly assembly = new EngineAssembly(new ProducerConfig(kafkaSettings), time, memory);
            try {
                return assembly.build(clientFactory, onSenderLoop);
            } catch (Throwable t) {
                throw ProducerPipeline.closeAfterFailure(assembly.built, t);
            }
        });
    }

    private ProducerPipeline build(KafkaClientFactory clientFactory, BooleanSupplier onSenderLoop) {
        List<MetricsReporter> reporters = CommonClientConfigs.metricsReporters(clientId, config);
        Optional<ClientTelemetryReporter> telemetry = CommonClientConfigs.telemetryReporter(clientId, config);
        telemetry.ifPresent(reporters::add);
        Metrics metrics = keep(new Metrics(metricConfig(), reporters, time, new KafkaMetricsContext(
                ProducerPipeline.JMX_PREFIX, config.originalsWithPrefix(CommonClientConfigs.METRICS_CONTEXT_PREFIX))));
        // Kafka's producer-level sensors (flush, send, metadata wait times); a metrics holder, not a KafkaProducer.
        KafkaProducerMetrics producerMetrics = keep(new KafkaProducerMetrics(metrics));

        // The engine's own plug-ins, for callers that bring none (the adapter's callers always bring theirs).
        ApplicationPlugins defaults = keep(ApplicationPlugins.ofEngine(config, clientId, metrics));
        ClusterResourceListeners listeners = ClientUtils.configureClusterResourceListeners(reporters);
        defaults.listenWith(listeners);

        ApiVersions apiVersions = new ApiVersions();
        TransactionManager transactionManager = transactionManager(apiVersions, onSenderLoop);
        RecordAccumulator accumulator = accumulator(defaults.partitions().isCustom(), metrics, transactionManager);
        ProducerMetadata metadata = metadata(listeners);

        int maxInFlight = config.getInt(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
        ProducerMetrics senderRegistry = new ProducerMetrics(metrics);
        Sensor throttleTime = Sender.throttleTimeSensor(senderRegistry.senderMetrics);
        // ClientUtils builds the NetworkClient with broker version discovery on: ApiVersions then drives request
        // versions and the transaction-version check after initTransactions.
        KafkaClient network = keep(clientFactory != null ? clientFactory.create(metadata)
                : ClientUtils.createNetworkClient(config, metrics, "producer", logContext, apiVersions, time,
                        maxInFlight, metadata, throttleTime,
                        telemetry.map(ClientTelemetryReporter::telemetrySender).orElse(null)));
        KafkaClient client = twoPhaseCommit(transactionManager) ? new TwoPhaseCommitClient(network) : network;
        Sender sender = new Sender(logContext, client, metadata, accumulator, maxInFlight == 1,
                config.getInt(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                Short.parseShort(config.getString(ProducerConfig.ACKS_CONFIG)),
                config.getInt(ProducerConfig.RETRIES_CONFIG), senderRegistry.senderMetrics, time,
                config.getInt(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG),
                config.getLong(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), transactionManager);

        long maxBlockMs = config.getLong(ProducerConfig.MAX_BLOCK_MS_CONFIG);
        MetadataWaiter metadataWaiter = new MetadataWaiter(metadata, time, sender::wakeup, producerMetrics);
        RecordSendPath sendPath = new RecordSendPath(new RecordSendPath.Parts(clientId, time,
                new RecordSizeLimits(config.getInt(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                        config.getLong(ProducerConfig.BUFFER_MEMORY_CONFIG)),
                metadataWaiter, accumulator, transactionManager, ProducerSettings.compression(config), maxBlockMs,
                metrics.sensor("errors"), sender::wakeup));

        config.logUnused();
        AppInfoParser.registerAppInfo(ProducerPipeline.JMX_PREFIX, clientId, metrics, time.milliseconds());
        return new ProducerPipeline(new ProducerPipeline.Parts(clientId, time, metrics, producerMetrics,
                defaults, telemetry, metadata, accumulator, transactionManager, client, sender, sendPath,
                metadataWaiter, maxBlockMs));
    }

    private MetricConfig metricConfig() {
        return new MetricConfig()
                .samples(config.getInt(ProducerConfig.METRICS_NUM_SAMPLES_CONFIG))
                .timeWindow(config.getLong(ProducerConfig.METRICS_SAMPLE_WINDOW_MS_CONFIG), TimeUnit.MILLISECONDS)
                .recordLevel(Sensor.RecordingLevel.forName(
                        config.getString(ProducerConfig.METRICS_RECORDING_LEVEL_CONFIG)))
                .tags(Map.of("client-id", clientId));
    }

    /** Idempotence (Kafka's default) needs a transaction manager for producer ids and sequences, not only transactions. */
    private TransactionManager transactionManager(ApiVersions apiVersions, BooleanSupplier onSenderLoop) {
        if (!config.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)) {
            config.ignore(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
            return null;
        }
        return new EngineTransactionManager(logContext, config.getString(ProducerConfig.TRANSACTIONAL_ID_CONFIG),
                config.getInt(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                config.getLong(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), apiVersions,
                config.getBoolean(ProducerConfig.TRANSACTION_TWO_PHASE_COMMIT_ENABLE_CONFIG), onSenderLoop);
    }

    /**
     * Whether this engine must ask the broker never to time its transactions out. Kafka's own client reads
     * transaction.two.phase.commit.enable but does not act on it (4.3.1 never sends enable2Pc): the engine does.
     */
    private boolean twoPhaseCommit(TransactionManager transactionManager) {
        return transactionManager != null && transactionManager.isTransactional()
                && config.getBoolean(ProducerConfig.TRANSACTION_TWO_PHASE_COMMIT_ENABLE_CONFIG);
    }

    private RecordAccumulator accumulator(boolean customPartitioner, Metrics metrics, TransactionManager transactions) {
        // Adaptive partitioning only serves the built-in partitioner; a custom one makes it pointless work.
        RecordAccumulator.PartitionerConfig partitionerConfig = new RecordAccumulator.PartitionerConfig(
                !customPartitioner
                        && config.getBoolean(ProducerConfig.PARTITIONER_ADAPTIVE_PARTITIONING_ENABLE_CONFIG),
                config.getLong(ProducerConfig.PARTITIONER_AVAILABILITY_TIMEOUT_MS_CONFIG));
        int batchSize = ProducerSettings.batchSize(config);
        BufferPool pool = memory != null ? memory.poolFor(config)
                : new BufferPool(config.getLong(ProducerConfig.BUFFER_MEMORY_CONFIG), batchSize, metrics, time,
                METRIC_GROUP);
        return new RecordAccumulator(logContext, batchSize, ProducerSettings.compression(config),
                ProducerSettings.lingerMs(config), config.getLong(ProducerConfig.RETRY_BACKOFF_MS_CONFIG),
                config.getLong(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG), ProducerSettings.deliveryTimeoutMs(config),
                partitionerConfig, metrics, METRIC_GROUP, time, transactions, pool);
    }

    private ProducerMetadata metadata(ClusterResourceListeners listeners) {
        ProducerMetadata metadata = new ProducerMetadata(config.getLong(ProducerConfig.RETRY_BACKOFF_MS_CONFIG),
                config.getLong(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG),
                config.getLong(ProducerConfig.METADATA_MAX_AGE_CONFIG),
                config.getLong(ProducerConfig.METADATA_MAX_IDLE_CONFIG), logContext, listeners, time);
        keep(metadata::close);
        metadata.bootstrap(ClientUtils.parseAndValidateAddresses(config));
        return metadata;
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        built.add(closeable);
        return closeable;
    }
}
