package io.kafkara.config;

import java.util.Objects;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * One Kafka producer setting and how the adapter exposes it. Type, default, validator and documentation stay in
 * Kafka's {@link ProducerConfig} definition and are read from there.
 *
 * @param key      the Kafka key, e.g. {@code linger.ms}
 * @param property the JavaBean property name derived from the key, e.g. {@code lingerMs}
 * @param exposure how the adapter exposes it
 * @param reason   why it is not exposed ({@link Exposure#NOT_EXPOSED} only, otherwise null)
 */
public record Setting(String key, String property, Exposure exposure, String reason) {

    private static final ConfigDef KAFKA = ProducerConfig.configDef();

    public Setting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(exposure, "exposure");
        if ((exposure == Exposure.NOT_EXPOSED) != (reason != null)) {
            throw new IllegalArgumentException("A reason is required for, and only for, a setting that is not exposed: " + key);
        }
    }

    static Setting of(String key, Exposure exposure) {
        return new Setting(key, camelCase(key), exposure, null);
    }

    static Setting notExposed(String key, String reason) {
        return new Setting(key, camelCase(key), Exposure.NOT_EXPOSED, reason);
    }

    /** True if this setting has a JavaBean property at the given level. */
    boolean isPropertyAt(Level level) {
        return exposure == Exposure.ADAPTER_DEFAULT
                || (exposure == Exposure.DEFINITION && level == Level.CONNECTION_DEFINITION);
    }

    /** Kafka's definition of the key; null for a key this Kafka version does not know (the guard test fails then). */
    ConfigDef.ConfigKey kafkaDefinition() {
        return KAFKA.configKeys().get(key);
    }

    /** Kafka's PASSWORD type: never printed, masked in every message. */
    boolean isSecret() {
        return isSecretKey(key);
    }

    static boolean isSecretKey(String key) {
        ConfigDef.ConfigKey definition = KAFKA.configKeys().get(key);
        return definition != null && definition.type.isSensitive();
    }

    /** {@code max.in.flight.requests.per.connection} becomes {@code maxInFlightRequestsPerConnection}. */
    static String camelCase(String key) {
        StringBuilder property = new StringBuilder(key.length());
        boolean upper = false;
        for (char c : key.toCharArray()) {
            if (c == '.' || c == '-' || c == '_') {
                upper = true;
            } else {
                property.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return property.toString();
    }
}
