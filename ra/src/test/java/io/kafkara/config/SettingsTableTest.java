package io.kafkara.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** The guard: the table and Kafka's producer configuration name the same keys, each classified once. */
class SettingsTableTest {

    @Test
    void everyKafkaProducerKeyIsClassified() {
        Set<String> unclassified = new TreeSet<>(ProducerConfig.configNames());
        SettingsTable.all().forEach(setting -> unclassified.remove(setting.key()));

        assertTrue(unclassified.isEmpty(), () -> "Kafka producer settings not classified: " + unclassified
                + ". Add each to io.kafkara.config.SettingsTable as DEFINITION (a typed property of connection "
                + "definitions), ADAPTER_DEFAULT (also on the resource adapter), PASS_THROUGH (producerProperties "
                + "only) or NOT_EXPOSED with a reason; then regenerate the reference: " + ConfigurationReference.REGENERATE);
    }

    @Test
    void everyClassifiedKeyIsAKafkaProducerKey() {
        List<String> unknown = SettingsTable.all().stream().map(Setting::key)
                .filter(key -> !ProducerConfig.configNames().contains(key)).toList();

        assertTrue(unknown.isEmpty(), () -> "Not producer settings of this Kafka version (removed or misspelled): "
                + unknown + "; remove them from io.kafkara.config.SettingsTable");
    }

    @Test
    void eachKeyIsClassifiedOnce() {
        assertEquals(ProducerConfig.configNames().size(), SettingsTable.all().size());
        assertEquals(SettingsTable.all().size(), SettingsTable.all().stream().map(Setting::key).distinct().count());
    }

    @Test
    void theCommonSettingsAreTypedPropertiesOfDefinitions() {
        Set<String> definition = SettingsTable.propertiesAt(Level.CONNECTION_DEFINITION).stream()
                .map(Setting::property).collect(Collectors.toSet());

        assertTrue(definition.containsAll(Set.of("acks", "lingerMs", "batchSize", "compressionType",
                "enableIdempotence", "deliveryTimeoutMs", "maxBlockMs", "requestTimeoutMs", "maxRequestSize",
                "bufferMemory", "retries", "keySerializer", "valueSerializer", "bootstrapServers")), definition::toString);
    }

    @Test
    void theResourceAdapterHoldsTheBrokersAndSecurity() {
        Set<String> adapter = SettingsTable.propertiesAt(Level.RESOURCE_ADAPTER).stream()
                .map(Setting::key).collect(Collectors.toSet());

        assertTrue(adapter.containsAll(Set.of("bootstrap.servers", "security.protocol", "sasl.mechanism",
                "sasl.jaas.config", "ssl.truststore.location", "ssl.truststore.password", "ssl.truststore.type",
                "ssl.keystore.location", "ssl.keystore.password", "ssl.keystore.type", "ssl.key.password")),
                adapter::toString);
        assertTrue(SettingsTable.propertiesAt(Level.RESOURCE_ADAPTER).stream()
                .allMatch(setting -> setting.exposure() == Exposure.ADAPTER_DEFAULT));
    }

    @Test
    void secretsAreKafkasPasswordSettings() {
        Set<String> secrets = SettingsTable.all().stream().filter(Setting::isSecret).map(Setting::key)
                .collect(Collectors.toCollection(TreeSet::new));

        assertTrue(secrets.containsAll(Set.of("sasl.jaas.config", "ssl.truststore.password", "ssl.keystore.password",
                "ssl.key.password", "ssl.keystore.key")), secrets::toString);
        assertTrue(secrets.stream().noneMatch(key -> key.equals("ssl.truststore.location")), secrets::toString);
    }

    @Test
    void propertyNamesAreTheCamelCaseOfTheKeys() {
        assertEquals("maxInFlightRequestsPerConnection", Setting.camelCase("max.in.flight.requests.per.connection"));
        assertEquals("sslKeystoreCertificateChain", SettingsTable.forKey("ssl.keystore.certificate.chain")
                .orElseThrow().property());
    }

    @Test
    void whatIsNotExposedSaysWhy() {
        List<Setting> notExposed = SettingsTable.all().stream()
                .filter(setting -> setting.exposure() == Exposure.NOT_EXPOSED).toList();

        assertEquals(List.of("client.id", "transactional.id", "transaction.two.phase.commit.enable",
                "config.providers"), notExposed.stream().map(Setting::key).toList());
        assertTrue(notExposed.stream().allMatch(setting -> setting.reason().length() > 40));
    }
}
