package io.kafkara.engine.kafka;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.ClientUtils;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.internals.ProducerInterceptors;
import org.apache.kafka.common.ClusterResource;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.internals.ClusterResourceListeners;
import org.apache.kafka.common.internals.Plugin;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;

/**
 * The caller's half of the send path (the seeds' split): interceptors' {@code onSend}, key and value serializers and
 * the partitioner, as instances of one application's classes. An engine has a set of its own (its settings' classes
 * as its loader sees them); the adapter gives each application a set of its own and keeps the engine free of them.
 *
 * <p>A set built for an application is not registered anywhere in an engine, so it never pins the application's
 * class loader: no engine {@link Metrics} (a {@code Monitorable} plug-in of an application has no metrics), no
 * {@link ClusterResourceListeners} of an engine (it hears the cluster id once, at its first send with metadata).
 */
public final class ApplicationPlugins implements AutoCloseable {

    /** The settings naming plug-in classes of the caller's half. */
    static final List<String> PLUGIN_CLASS_SETTINGS = List.of(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ProducerConfig.PARTITIONER_CLASS_CONFIG,
            ProducerConfig.INTERCEPTOR_CLASSES_CONFIG);

    private final ProducerInterceptors<Object, Object> interceptors;
    private final Serializer<Object> keySerializer;
    private final Serializer<Object> valueSerializer;
    private final PartitionChooser partitions;
    private final List<AutoCloseable> closeables;
    private final List<Object> listenerCandidates;
    private final ClusterResourceListeners listeners = new ClusterResourceListeners();
    private volatile boolean clusterAnnounced;

    private ApplicationPlugins(Parts parts, boolean clusterAnnounced) {
        this.interceptors = parts.interceptors;
        this.keySerializer = parts.keySerializer;
        this.valueSerializer = parts.valueSerializer;
        this.partitions = parts.partitions;
        this.closeables = parts.closeables;
        this.listenerCandidates = parts.listenerCandidates;
        this.clusterAnnounced = clusterAnnounced;
        if (!clusterAnnounced) {
            listeners.maybeAddAll(listenerCandidates);
        }
    }

    /**
     * One application's plug-ins for the settings of a connection definition: Kafka resolves and instantiates the
     * classes through {@code applicationLoader}, with the adapter's loader as fallback; each plug-in's
     * {@code configure} gets every setting, the keys Kafka does not know included (as Kafka passes them).
     *
     * @throws org.apache.kafka.common.config.ConfigException naming the setting when a class cannot be loaded or used
     */
    public static ApplicationPlugins assemble(Map<String, Object> settings, ClassLoader applicationLoader,
                                              String clientId) {
        return ContextClassLoader.with(FallbackClassLoader.over(applicationLoader,
                ApplicationPlugins.class.getClassLoader()), () -> {
            Map<String, Object> withClientId = new HashMap<>(settings);
            withClientId.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
            return new ApplicationPlugins(Parts.build(new ProducerConfig(withClientId), clientId, null), false);
        });
    }

    /** An engine's own set, with its metrics; its listeners are the engine's to register with its metadata. */
    static ApplicationPlugins ofEngine(ProducerConfig config, String clientId, Metrics metrics) {
        return new ApplicationPlugins(Parts.build(config, clientId, metrics), true);
    }

    /**
     * The settings an engine needs when every caller brings its own plug-ins: the same, with byte-array serializers
     * (Kafka requires serializer settings; the engine never serializes) and none of the other plug-in classes, so
     * that the engine loads no application class.
     */
    public static Map<String, Object> withoutPluginClasses(Map<String, Object> settings) {
        Map<String, Object> engine = new HashMap<>(settings);
        engine.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        engine.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        engine.remove(ProducerConfig.PARTITIONER_CLASS_CONFIG);
        engine.remove(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG);
        return engine;
    }

    /**
     * The plug-in classes the settings name, as {@code loader} (with the adapter's as fallback) resolves them, in the
     * order of {@link #PLUGIN_CLASS_SETTINGS}; a name no loader knows is left out (assembling the set then fails
     * naming it).
     */
    public static List<Class<?>> classesFor(Map<String, Object> settings, ClassLoader loader) {
        ClassLoader resolving = FallbackClassLoader.over(loader, ApplicationPlugins.class.getClassLoader());
        List<Class<?>> classes = new ArrayList<>();
        for (String setting : PLUGIN_CLASS_SETTINGS) {
            for (Object named : named(settings.get(setting))) {
                if (named instanceof Class<?> type) {
                    classes.add(type);
                } else {
                    try {
                        classes.add(Class.forName(named.toString().strip(), false, resolving));
                    } catch (ClassNotFoundException | LinkageError e) {
                        // Reported by assemble(), as Kafka words it.
                    }
                }
            }
        }
        return classes;
    }

    private static List<Object> named(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return List.copyOf(list);
        }
        if (value instanceof String text) {
            return Arrays.stream(text.split(",")).filter(name -> !name.isBlank()).map(name -> (Object) name).toList();
        }
        return List.of(value);
    }

    ProducerInterceptors<Object, Object> interceptors() {
        return interceptors;
    }

    Serializer<Object> keySerializer() {
        return keySerializer;
    }

    Serializer<Object> valueSerializer() {
        return valueSerializer;
    }

    PartitionChooser partitions() {
        return partitions;
    }

    /** The cluster's id for plug-ins that listen for it (Kafka's {@code ClusterResourceListener}), once known. */
    void announce(ClusterResource cluster) {
        if (!clusterAnnounced && cluster != null && cluster.clusterId() != null) {
            clusterAnnounced = true;
            listeners.onUpdate(cluster);
        }
    }

    /** For an engine's own set: the engine's metadata tells these plug-ins of every cluster update. */
    void listenWith(ClusterResourceListeners engineListeners) {
        engineListeners.maybeAddAll(listenerCandidates);
    }

    /** Closes the plug-ins (their {@code close()}), the first failure logged by Kafka's helper and swallowed. */
    @Override
    public void close() {
        AtomicReference<Throwable> first = new AtomicReference<>();
        Utils.closeQuietly(interceptors, "producer interceptors", first);
        for (AutoCloseable plugin : closeables) {
            Utils.closeQuietly(plugin, "producer plug-in", first);
        }
    }

    /** Builds the instances from a parsed config; closes what it built when a later plug-in fails. */
    private record Parts(ProducerInterceptors<Object, Object> interceptors, Serializer<Object> keySerializer,
                         Serializer<Object> valueSerializer, PartitionChooser partitions,
                         List<AutoCloseable> closeables, List<Object> listenerCandidates) {

        @SuppressWarnings("unchecked")
        static Parts build(ProducerConfig config, String clientId, Metrics metrics) {
            List<AutoCloseable> built = new ArrayList<>();
            try {
                Map<String, Object> clientIdOverride = Map.of(ProducerConfig.CLIENT_ID_CONFIG, clientId);
                Partitioner partitioner = config.getConfiguredInstance(ProducerConfig.PARTITIONER_CLASS_CONFIG,
                        Partitioner.class, clientIdOverride);
                if (partitioner != null) {
                    built.add(Plugin.wrapInstance(partitioner, metrics, ProducerConfig.PARTITIONER_CLASS_CONFIG));
                }
                Serializer<Object> key = serializer(config, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, clientId, true);
                built.add(Plugin.wrapInstance(key, metrics, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG));
                Serializer<Object> value = serializer(config, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, clientId,
                        false);
                built.add(Plugin.wrapInstance(value, metrics, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG));
                List<ProducerInterceptor<Object, Object>> interceptorList =
                        (List<ProducerInterceptor<Object, Object>>) ClientUtils.configuredInterceptors(config,
                                ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, ProducerInterceptor.class);
                ProducerInterceptors<Object, Object> interceptors = new ProducerInterceptors<>(interceptorList, metrics);
                List<Object> listenerCandidates = new ArrayList<>(interceptorList);
                listenerCandidates.add(key);
                listenerCandidates.add(value);
                return new Parts(interceptors, key, value, new PartitionChooser(partitioner,
                        config.getBoolean(ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG)), List.copyOf(built),
                        List.copyOf(listenerCandidates));
            } catch (RuntimeException e) {
                KafkaException failure = ProducerPipeline.closeAfterFailure(built, e);
                // A plug-in's own exception (its configure() refused the settings, say) says more than "failed".
                throw failure.getCause() == e ? new KafkaException("A plug-in could not be created or configured: "
                        + e, e) : failure;
            }
        }

        @SuppressWarnings("unchecked")
        private static Serializer<Object> serializer(ProducerConfig config, String setting, String clientId,
                                                     boolean isKey) {
            Serializer<Object> serializer = config.getConfiguredInstance(setting, Serializer.class);
            serializer.configure(config.originals(Map.of(ProducerConfig.CLIENT_ID_CONFIG, clientId)), isKey);
            return serializer;
        }
    }
}
