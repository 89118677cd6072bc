package io.kafkara.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * {@code pluginProperties}: settings for the plug-ins (serializers, partitioner, interceptors), not for Kafka. They
 * reach each plug-in's {@code configure} with the producer settings, as Kafka passes keys it does not know, e.g.
 * {@code schema.registry.url} or a serializer's own options. The rule that keeps {@code producerProperties} strict:
 * a Kafka producer key is refused here (it belongs in a property or in {@code producerProperties}, where Kafka checks
 * it), and a key a few characters off a Kafka key is passed on with a notice ({@code lingr.ms}: did you mean
 * {@code linger.ms}?). Same text form as {@code producerProperties}; the definition's value of a key replaces the
 * adapter's.
 */
public final class PluginProperties {

    /** What marks a plug-in key as secret: its value is never printed. */
    private static final List<String> SECRET_WORDS = List.of("password", "secret", "token", "jaas", "credential",
            "user.info", "private.key", "api.key", "apikey");

    private PluginProperties() {
    }

    /** A plug-in key whose value is secret: by its name, or a Kafka secret key's. */
    static boolean isSecretKey(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return Setting.isSecretKey(key) || SECRET_WORDS.stream().anyMatch(lower::contains);
    }

    /** The value as it may be printed. */
    static String show(String key, String value) {
        return isSecretKey(key) ? Secrets.HIDDEN : value;
    }

    /** The text as it may be printed: its entries with secret values hidden, unparseable parts left out. */
    static String describe(String text) {
        StringJoiner shown = new StringJoiner("; ", "{", "}");
        for (ProducerPropertiesText.Entry entry : ProducerPropertiesText.parse(text).entries()) {
            shown.add(entry.key() + "=" + show(entry.key(), entry.value()));
        }
        return shown.toString();
    }

    /** The secret values of one level's text. */
    static List<String> secretValues(SettingValues values) {
        return ProducerPropertiesText.parse(values.asMap().get(SettingsTable.PLUGIN_PROPERTIES)).entries().stream()
                .filter(entry -> isSecretKey(entry.key())).map(ProducerPropertiesText.Entry::value).toList();
    }

    /** The plug-in settings of the levels, later levels replacing earlier; problems and notices are added to. */
    static Map<String, String> merge(List<String> problems, List<String> notices, SettingValues... levels) {
        Map<String, String> merged = new TreeMap<>();
        for (SettingValues values : levels) {
            String of = " of the " + values.level().label();
            ProducerPropertiesText.Parsed text = ProducerPropertiesText.parse(
                    values.asMap().get(SettingsTable.PLUGIN_PROPERTIES));
            text.problems().forEach(problem -> problems.add(problem.replace("producerProperties",
                    SettingsTable.PLUGIN_PROPERTIES) + of));
            Map<String, String> level = new TreeMap<>();
            for (ProducerPropertiesText.Entry entry : text.entries()) {
                String origin = SettingsTable.PLUGIN_PROPERTIES + " " + entry.position() + of;
                if (SettingsTable.forKey(entry.key()).isPresent()) {
                    problems.add(entry.key() + " (" + origin + ") is a Kafka producer setting: set it as a property "
                            + "or in producerProperties, where Kafka checks it; pluginProperties is for the "
                            + "plug-ins' own settings");
                } else if (level.putIfAbsent(entry.key(), entry.value()) != null) {
                    problems.add(entry.key() + " is set twice in " + SettingsTable.PLUGIN_PROPERTIES + of
                            + "; keep one");
                } else {
                    KeySuggestions.closest(entry.key()).ifPresent(known -> notices.add(entry.key() + " (" + origin
                            + ") is not a Kafka producer setting and goes to the plug-ins only; did you mean "
                            + known + "? Then set it in producerProperties"));
                }
            }
            merged.putAll(level);
        }
        return merged;
    }
}
