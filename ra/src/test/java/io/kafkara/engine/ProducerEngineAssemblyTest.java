package io.kafkara.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.spi.work.HintsContext;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.kafkara.engine.kafka.MaskedSettings;

/**
 * The real engine, assembled with the real NetworkClient and Kafka's defaults: the one place a kafka-clients upgrade
 * that changes an internal constructor breaks.
 */
class ProducerEngineAssemblyTest {

    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    private static Map<String, Object> minimal(String clientId) {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092",
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    }

    @Test
    void theRealEngineBuildsWithDefaultsRegistersProducerMetricsAndReleasesThemOnClose() throws Exception {
        ProducerEngine engine = ProducerEngine.create(minimal("assembly-test"), getClass().getClassLoader());
        ObjectName producerMetrics = new ObjectName("kafka.producer:type=producer-metrics,client-id=assembly-test");
        try {
            assertEquals("assembly-test", engine.clientId());
            assertTrue(engine.isAlive(), "a created engine is usable before its Work starts");
            assertTrue(JMX.isRegistered(producerMetrics), "producer metrics are exposed over JMX");
            assertEquals(0.0, (Double) JMX.getAttribute(producerMetrics, "record-send-total"));
            assertTrue(JMX.isRegistered(new ObjectName("kafka.producer:type=app-info,id=assembly-test")));
            HintsContext hints = engine.workContext();
            assertEquals("kafka-ra-sender-assembly-test", hints.getHints().get(HintsContext.NAME_HINT));
            assertEquals(Boolean.TRUE, hints.getHints().get(HintsContext.LONGRUNNING_HINT));
        } finally {
            engine.close(Duration.ZERO);
        }
        assertFalse(engine.isAlive());
        assertFalse(JMX.isRegistered(producerMetrics), "close unregisters the metrics");
    }

    @Test
    void badSettingsAreRejectedNamingKeyAndValue() {
        Map<String, Object> settings = new java.util.HashMap<>(minimal("bad-settings"));
        settings.put(ProducerConfig.ACKS_CONFIG, "banana");
        ConfigException bad = assertThrows(ConfigException.class,
                () -> ProducerEngine.create(settings, getClass().getClassLoader()));
        assertTrue(bad.getMessage().contains("acks") && bad.getMessage().contains("banana"), bad.getMessage());

        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 1000);
        ConfigException inconsistent = assertThrows(ConfigException.class,
                () -> ProducerEngine.create(settings, getClass().getClassLoader()));
        assertTrue(inconsistent.getMessage().contains("delivery.timeout.ms")
                && inconsistent.getMessage().contains("1000"), inconsistent.getMessage());
        assertFalse(JMX.isRegistered(objectName("kafka.producer:type=producer-metrics,client-id=bad-settings")),
                "a failed assembly leaves no MBean behind");
    }

    @Test
    void loggedSettingsHideSecrets() {
        String shown = MaskedSettings.describe(Map.of(
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"s3cr3t\";",
                "ssl.keystore.password", new Password("k3y"),
                "ssl.key.password", "k3y",
                "key.serializer", StringSerializer.class.getName()));
        assertFalse(shown.contains("s3cr3t") || shown.contains("k3y"), shown);
        assertTrue(shown.contains(StringSerializer.class.getName()), "non-secrets stay readable: " + shown);
    }

    private static ObjectName objectName(String name) {
        try {
            return new ObjectName(name);
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
