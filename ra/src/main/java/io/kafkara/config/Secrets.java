package io.kafkara.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Keeps secrets (Kafka's PASSWORD settings) out of every string the adapter prints. */
public final class Secrets {

    public static final String HIDDEN = "[hidden]";

    private Secrets() {
    }

    /** The value as it may be printed for this key: only values of known, non-secret Kafka keys are shown. */
    static String show(String key, String value) {
        boolean known = SettingsTable.forKey(key).isPresent();
        return known && !Setting.isSecretKey(key) ? value : HIDDEN;
    }

    /** A JavaBean property's value as it may be printed; producerProperties is shown with its secrets hidden. */
    static String showProperty(String property, String value) {
        if (SettingsTable.PRODUCER_PROPERTIES.equals(property)) {
            return ProducerPropertiesText.describe(value);
        }
        if (SettingsTable.PLUGIN_PROPERTIES.equals(property)) {
            return PluginProperties.describe(value);
        }
        return SettingsTable.forProperty(property).map(setting -> show(setting.key(), value)).orElse(value);
    }

    /**
     * The secret values set at these levels: confidential properties, secret keys in producerProperties and in
     * pluginProperties.
     */
    static List<String> valuesOf(SettingValues... levels) {
        List<String> secrets = new java.util.ArrayList<>();
        for (SettingValues values : levels) {
            values.asMap().forEach((property, value) -> {
                if (SettingsTable.forProperty(property).map(Setting::isSecret).orElse(false)) {
                    secrets.add(value);
                }
            });
            ProducerPropertiesText.parse(values.asMap().get(SettingsTable.PRODUCER_PROPERTIES)).entries().stream()
                    .filter(entry -> Setting.isSecretKey(entry.key()))
                    .forEach(entry -> secrets.add(entry.value()));
            secrets.addAll(PluginProperties.secretValues(values));
        }
        return secrets;
    }

    /** Replaces every occurrence of the given secret values in a text (for messages that echo what Kafka said). */
    static String scrub(String text, Collection<String> secretValues) {
        String scrubbed = text;
        List<String> longestFirst = secretValues.stream()
                .filter(secret -> secret != null && !secret.isEmpty())
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
        for (String secret : longestFirst) {
            scrubbed = scrubbed.replace(secret, HIDDEN);
        }
        return scrubbed;
    }
}
