package io.kafkara.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.kafkara.engine.kafka.ApplicationPlugins;

/**
 * Many applications on one engine: each application's records go through its own plug-in classes, a set made of
 * the adapter's classes serves all, and nothing keeps an application's class loader once the application is gone.
 */
class PluginsPerApplicationTest {

    private static final String APP_SERIALIZER = ApplicationLoader.APPLICATION_PACKAGE + "GenerationSerializer";

    /** The engine as the adapter builds it: without any plug-in class of an application; it has a producer id. */
    private static EngineHarness sharedEngine() {
        EngineHarness h = new EngineHarness(Map.of(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class.getName()));
        h.initProducerId();
        return h;
    }

    private static Map<String, Object> definition(String valueSerializer) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, valueSerializer);
        return settings;
    }

    @Test
    void eachApplicationsRecordsGoThroughItsOwnClassOfTheSameNameOnOneEngine() {
        try (EngineHarness h = sharedEngine();
             PluginsPerApplication plugins = new PluginsPerApplication(definition(APP_SERIALIZER), "orders")) {
            ApplicationPlugins first = plugins.forLoader(new ApplicationLoader("shop-1"));
            ApplicationPlugins second = plugins.forLoader(new ApplicationLoader("billing-1"));
            assertNotSame(first, second, "two applications, two sets");

            h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "order"), null, first);
            h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "invoice"), null, second);
            h.step();

            List<String> values = h.broker.oldestProduce().batches().values().stream()
                    .flatMap(batch -> FakeBroker.values(batch).stream()).collect(Collectors.toList());
            assertEquals(List.of("shop-1:order", "billing-1:invoice"), values);
            h.broker.answerOldestProduce(Errors.NONE);
        }
    }

    @Test
    void theSameApplicationGetsTheSameSetAndAnAdapterClassSetServesEveryApplication() {
        try (PluginsPerApplication plugins = new PluginsPerApplication(definition(APP_SERIALIZER), "orders");
             PluginsPerApplication adapterClasses = new PluginsPerApplication(
                     definition(StringSerializer.class.getName()), "orders")) {
            ApplicationLoader shop = new ApplicationLoader("shop-1");
            assertSame(plugins.forLoader(shop), plugins.forLoader(shop));
            assertSame(adapterClasses.forLoader(shop), adapterClasses.forLoader(new ApplicationLoader("billing-1")));
            assertEquals(0, adapterClasses.applicationSets(), "no set is kept in an application's class");
        }
    }

    @Test
    void anApplicationsClassLoaderGoesWhileTheEngineAndTheDefinitionLiveOn() {
        try (EngineHarness h = sharedEngine();
             PluginsPerApplication plugins = new PluginsPerApplication(definition(APP_SERIALIZER), "orders")) {
            WeakReference<ClassLoader> undeployed = sendOnceAndForget(h, plugins);

            // The application is gone; only a collection can tell that nothing kept its loader.
            for (int attempt = 0; attempt < 50 && undeployed.get() != null; attempt++) {
                System.gc();
            }
            assertEquals(null, undeployed.get(), "the engine or the definition still holds the application's loader");
            assertEquals(0, plugins.applicationSets());

            // The engine serves the next application as before.
            h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "next"), null,
                    plugins.forLoader(new ApplicationLoader("shop-2")));
            h.step();
            assertEquals(List.of("shop-2:next"), FakeBroker.values(h.broker.oldestProduce().batches().values()
                    .iterator().next()));
            Reference.reachabilityFence(h);
        }
    }

    private static WeakReference<ClassLoader> sendOnceAndForget(EngineHarness h, PluginsPerApplication plugins) {
        ApplicationLoader shop = new ApplicationLoader("shop-1");
        h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "order"), null, plugins.forLoader(shop));
        h.step();
        h.broker.answerOldestProduce(Errors.NONE);
        h.step();
        assertEquals(1, plugins.applicationSets());
        return new WeakReference<>(shop);
    }

    @Test
    void aPluginGetsItsOwnSettingInConfigureAndFailsNamingItWithout() {
        Map<String, Object> withMarker = definition(MarkerSerializer.class.getName());
        withMarker.put(MarkerSerializer.MARKER, "blue");
        try (EngineHarness h = sharedEngine();
             PluginsPerApplication plugins = new PluginsPerApplication(withMarker, "orders");
             PluginsPerApplication without = new PluginsPerApplication(definition(MarkerSerializer.class.getName()),
                     "orders")) {
            h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "order"), null,
                    plugins.forLoader(getClass().getClassLoader()));
            h.step();
            assertEquals(List.of("blue:order"), FakeBroker.values(h.broker.oldestProduce().batches().values()
                    .iterator().next()));

            KafkaException refused = assertThrows(KafkaException.class,
                    () -> without.forLoader(getClass().getClassLoader()));
            assertTrue(refused.getMessage().contains("shop.marker is not set"), refused.getMessage());
        }
    }

    @Test
    void aPluginHearsTheClusterIdAtItsFirstSendAndIsClosedWithTheDefinition() {
        ClusterListeningSerializer.CLUSTER_IDS.clear();
        ClusterListeningSerializer.CLOSED.clear();
        PluginsPerApplication plugins = new PluginsPerApplication(
                definition(ClusterListeningSerializer.class.getName()), "orders");
        try (EngineHarness h = sharedEngine()) {
            ApplicationPlugins set = plugins.forLoader(getClass().getClassLoader());
            assertEquals(List.of(), ClusterListeningSerializer.CLUSTER_IDS, "no metadata yet");
            h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "a"), null, set);
            h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "b"), null, set);
            assertEquals(1, ClusterListeningSerializer.CLUSTER_IDS.size(), "told once");
            assertTrue(ClusterListeningSerializer.CLUSTER_IDS.get(0) != null);
        }
        assertEquals(List.of(), ClusterListeningSerializer.CLOSED, "the engine's close leaves the definition's sets");
        plugins.close();
        assertEquals(List.of("closed"), ClusterListeningSerializer.CLOSED);
        IllegalStateException closed = assertThrows(IllegalStateException.class,
                () -> plugins.forLoader(getClass().getClassLoader()));
        assertTrue(closed.getMessage().contains("orders"), closed.getMessage());
    }
}
