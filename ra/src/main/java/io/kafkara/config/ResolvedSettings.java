package io.kafkara.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The producer settings of one connection definition after the adapter's defaults and the definition's own values
 * were merged and validated: only what the administrator set, by Kafka key. Immutable; prints no secret.
 */
public final class ResolvedSettings {

    /** Engines are named {@code kafka-ra-<n>} unless the definition sets {@code clientIdPrefix}. */
    static final String DEFAULT_CLIENT_ID_PREFIX = "kafka-ra";

    private final Map<String, String> settings;
    private final Map<String, String> pluginSettings;
    private final String clientIdPrefix;
    private final List<String> notices;

    ResolvedSettings(Map<String, String> settings, Map<String, String> pluginSettings, String clientIdPrefix,
                     List<String> notices) {
        this.settings = Collections.unmodifiableMap(new TreeMap<>(settings));
        this.pluginSettings = Collections.unmodifiableMap(new TreeMap<>(pluginSettings));
        this.clientIdPrefix = clientIdPrefix == null ? DEFAULT_CLIENT_ID_PREFIX : clientIdPrefix;
        this.notices = List.copyOf(notices);
    }

    /** What may still go wrong and the adapter cannot decide yet (a class only an application may provide). */
    public List<String> notices() {
        return notices;
    }

    /** What the administrator set, by Kafka key, values as given (Kafka parses them). */
    public Map<String, String> settings() {
        return settings;
    }

    public String clientIdPrefix() {
        return clientIdPrefix;
    }

    /** The configuration of one engine: the settings plus the client id the adapter gave it. */
    public Map<String, Object> producerConfig(String clientId) {
        Map<String, Object> config = new LinkedHashMap<>(settings);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return config;
    }

    /**
     * What the plug-ins' {@code configure} gets: the settings of one engine and the definition's pluginProperties
     * (keys Kafka does not know; Kafka passes such keys on and only logs them as unused).
     */
    public Map<String, Object> pluginConfig(String clientId) {
        Map<String, Object> config = producerConfig(clientId);
        config.putAll(pluginSettings);
        return config;
    }

    /** A text (a message from Kafka, say) with the secret values of these settings replaced by [hidden]. */
    public String hideSecrets(String text) {
        List<String> secrets = new java.util.ArrayList<>(settings.entrySet().stream()
                .filter(entry -> Setting.isSecretKey(entry.getKey())).map(Map.Entry::getValue).toList());
        pluginSettings.forEach((key, value) -> {
            if (PluginProperties.isSecretKey(key)) {
                secrets.add(value);
            }
        });
        return Secrets.scrub(String.valueOf(text), secrets);
    }

    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        settings.forEach((key, value) -> shown.put(key, Secrets.show(key, value)));
        Map<String, String> plugins = new TreeMap<>();
        pluginSettings.forEach((key, value) -> plugins.put(key, PluginProperties.show(key, value)));
        return "producer settings " + shown + (plugins.isEmpty() ? "" : ", plug-in settings " + plugins)
                + ", client ids " + clientIdPrefix + "-<n>";
    }
}
