package io.kafkara.engine.kafka;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.types.Password;

/**
 * A printable view of producer settings with every secret (JAAS config, passwords, keys, tokens) hidden. Here
 * because Kafka's own secret type, {@code Password}, is not of its public API.
 */
public final class MaskedSettings {

    private static final Pattern SECRET_KEY = Pattern.compile(
            ".*(password|jaas|secret|token|credential|keystore\\.key|\\.key$).*", Pattern.CASE_INSENSITIVE);
    public static final String HIDDEN = "[hidden]";

    private MaskedSettings() {
    }

    public static String describe(Map<String, ?> settings) {
        Map<String, Object> shown = new TreeMap<>();
        settings.forEach((key, value) -> shown.put(key, isSecret(key, value) ? HIDDEN : value));
        return shown.toString();
    }

    private static boolean isSecret(String key, Object value) {
        return value instanceof Password || SECRET_KEY.matcher(key).matches();
    }
}
