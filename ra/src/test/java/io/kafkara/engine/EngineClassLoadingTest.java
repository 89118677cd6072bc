package io.kafkara.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** Plug-in classes named in the settings come from the application's class loader, the adapter's as fallback. */
class EngineClassLoadingTest {

    private static final String APP_SERIALIZER = "com.example.app.ShoutingSerializer";

    /** An application class loader that alone knows APP_SERIALIZER and sees nothing of Kafka or the adapter. */
    static final class ApplicationLoader extends ClassLoader {
        final List<String> asked = new CopyOnWriteArrayList<>();

        ApplicationLoader() {
            super("test-application", null);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            asked.add(name);
            if (name.equals(APP_SERIALIZER)) {
                return ShoutingSerializer.class;
            }
            return super.loadClass(name, resolve);
        }
    }

    @Test
    void aSerializerNamedInTheSettingsIsLoadedThroughTheApplicationsClassLoader() {
        ApplicationLoader loader = new ApplicationLoader();
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (EngineHarness h = new EngineHarness(Map.of(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, APP_SERIALIZER),
                loader, true)) {
            assertTrue(loader.asked.contains(APP_SERIALIZER), "the application loader was asked: " + loader.asked);
            assertSame(before, Thread.currentThread().getContextClassLoader(), "the context loader is restored");
            h.initProducerId();
            h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "hello"), null);

            // send produce request: the value went through the application's serializer
            h.step();
            assertEquals(List.of("HELLO"), FakeBroker.values(h.broker.oldestProduce().batches().values().iterator()
                    .next()));
            h.broker.answerOldestProduce(Errors.NONE);
        }
    }

    @Test
    void aClassNoLoaderKnowsIsAConfigExceptionNamingKeyAndValue() {
        ConfigException bad = assertThrows(ConfigException.class, () -> new EngineHarness(
                Map.of(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, APP_SERIALIZER)));
        assertTrue(bad.getMessage().contains(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG), bad.getMessage());
        assertTrue(bad.getMessage().contains(APP_SERIALIZER), bad.getMessage());
    }
}
