package io.kafkara.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;

/**
 * Merges and validates settings. Precedence, lowest first: the resource adapter's typed properties and its
 * producerProperties, then the connection definition's typed properties and its producerProperties. A key set
 * twice at one level (by a typed property and in producerProperties, or twice in producerProperties) is an error;
 * a definition's value replaces the adapter's. Kafka's {@link ConfigDef} judges types and values; the adapter
 * only rejects keys that are not Kafka producer settings and keys it owns.
 *
 * <p>Class names (serializers, partitioner, callback handlers) must be Java class names; the classes are loaded when
 * the first connection is created, with the application's class loader, because they may live in the application.
 * One the adapter cannot see at activation is a notice, not an error. {@code bootstrap.servers} must be a list of
 * {@code host:port} entries ({@link BootstrapServersRule}).
 */
public final class SettingsResolver {

    /** One value and where the administrator wrote it. */
    private record Entry(String key, String value, String origin) {
    }

    private SettingsResolver() {
    }

    /** Checks the adapter's own values alone, as defaults (at ResourceAdapter.start). */
    public static void checkAdapter(SettingValues adapter) throws InvalidSettingsException {
        List<String> problems = new ArrayList<>();
        Map<String, Entry> entries = layer(adapter, problems);
        checkWithKafka(entries, false, problems);
        PluginProperties.merge(problems, new ArrayList<>(), adapter);
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(adapter, problems, Secrets.valuesOf(adapter));
        }
    }

    /** A definition's settings over the adapter's defaults, checked as a whole by Kafka. */
    public static ResolvedSettings resolve(SettingValues adapter, SettingValues definition)
            throws InvalidSettingsException {
        List<String> problems = new ArrayList<>();
        Map<String, Entry> merged = new TreeMap<>(layer(adapter, problems));
        merged.putAll(layer(definition, problems));
        checkWithKafka(merged, true, problems);
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(definition, problems, Secrets.valuesOf(adapter, definition));
        }
        List<String> notices = new ArrayList<>(classesTheAdapterCannotSee(merged));
        Map<String, String> plugins = PluginProperties.merge(problems, notices, adapter, definition);
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(definition, problems, Secrets.valuesOf(adapter, definition));
        }
        Map<String, String> settings = new TreeMap<>();
        merged.forEach((key, entry) -> settings.put(key, entry.value()));
        return new ResolvedSettings(settings, plugins, definition.asMap().get(SettingsTable.CLIENT_ID_PREFIX),
                notices);
    }

    /** One notice per class setting whose class is not visible to the adapter (it may be the application's). */
    private static List<String> classesTheAdapterCannotSee(Map<String, Entry> entries) {
        ConfigDef kafka = ProducerConfig.configDef();
        List<String> notices = new ArrayList<>();
        entries.forEach((key, entry) -> {
            if (kafka.configKeys().get(key).type == ConfigDef.Type.CLASS
                    && !ClassNameRule.visibleToTheAdapter(entry.value())) {
                notices.add(key + "=" + entry.value().trim() + " (" + entry.origin() + ") is not a class the adapter "
                        + "can load: it must be visible to the applications that use this definition, or their first "
                        + "getConnection() fails; check the spelling, or package the class with the application");
            }
        });
        return notices;
    }

    /** One level's values by Kafka key: its typed properties and its producerProperties entries. */
    private static Map<String, Entry> layer(SettingValues values, List<String> problems) {
        String of = " of the " + values.level().label();
        Map<String, Entry> entries = new TreeMap<>();
        values.asMap().forEach((property, value) -> SettingsTable.forProperty(property).ifPresent(setting ->
                entries.put(setting.key(), new Entry(setting.key(), value, "property " + property + of))));
        ProducerPropertiesText.Parsed text = ProducerPropertiesText.parse(values.asMap().get(SettingsTable.PRODUCER_PROPERTIES));
        text.problems().forEach(problem -> problems.add(problem + of));
        for (ProducerPropertiesText.Entry line : text.entries()) {
            Entry entry = new Entry(line.key(), line.value(), "producerProperties " + line.position() + of);
            Optional<String> rejected = rejection(line.key());
            if (rejected.isPresent()) {
                problems.add(rejected.get() + " (" + entry.origin() + ")");
                continue;
            }
            Entry earlier = entries.putIfAbsent(line.key(), entry);
            if (earlier != null) {
                problems.add(line.key() + " is set twice: by " + earlier.origin() + " and by " + entry.origin()
                        + "; keep one");
            }
        }
        return entries;
    }

    /** Why a producerProperties key is refused: not a producer setting, or owned by the adapter. */
    private static Optional<String> rejection(String key) {
        Optional<Setting> setting = SettingsTable.forKey(key);
        if (setting.isEmpty()) {
            return Optional.of(key + " is not a Kafka producer setting"
                    + KeySuggestions.closest(key).map(known -> "; did you mean " + known + "?")
                    .orElse("; see the configuration reference (docs/configuration.md) for the settings Kafka knows"));
        }
        if (setting.get().exposure() == Exposure.NOT_EXPOSED) {
            return Optional.of(key + " cannot be set: " + setting.get().reason());
        }
        return Optional.empty();
    }

    /**
     * Runs Kafka's own validation over the values. With {@code complete}, missing required settings are problems
     * too; otherwise (adapter defaults) only the values given are judged.
     */
    private static void checkWithKafka(Map<String, Entry> entries, boolean complete, List<String> problems) {
        ConfigDef kafka = ProducerConfig.configDef();
        Map<String, String> input = new HashMap<>();
        entries.forEach((key, entry) -> {
            if (kafka.configKeys().get(key).type != ConfigDef.Type.CLASS) {
                input.put(key, entry.value());
            }
        });
        entries.forEach((key, entry) -> formProblem(kafka, key, entry.value()).ifPresent(problem ->
                problems.add(key + "=" + Secrets.show(key, entry.value()) + " (" + entry.origin() + ") " + problem)));
        Map<String, ConfigValue> results = kafka.validateAll(input);
        for (String key : new TreeSet<>(results.keySet())) {
            List<String> errors = results.get(key).errorMessages();
            Entry entry = entries.get(key);
            if (errors.isEmpty() || (entry == null && !complete)) {
                continue;
            }
            if (entry == null) {
                problems.add(missing(key));
            } else if (kafka.configKeys().get(key).type != ConfigDef.Type.CLASS) {
                // The first error says why; Kafka's validator then adds one about the unparsed (null) value.
                problems.add(key + "=" + Secrets.show(key, entry.value()) + " (" + entry.origin() + "): "
                        + errors.get(0));
            }
        }
    }

    /** What Kafka checks only when it builds a producer: the form of broker addresses and class names. */
    private static Optional<String> formProblem(ConfigDef kafka, String key, String value) {
        if (key.equals(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            return BootstrapServersRule.problem(value);
        }
        if (kafka.configKeys().get(key).type == ConfigDef.Type.CLASS) {
            return ClassNameRule.problem(value);
        }
        return Optional.empty();
    }

    private static String missing(String key) {
        String where = SettingsTable.forKey(key)
                .filter(setting -> setting.exposure() == Exposure.DEFINITION
                        || setting.exposure() == Exposure.ADAPTER_DEFAULT)
                .map(setting -> "set property " + setting.property()
                        + (setting.exposure() == Exposure.ADAPTER_DEFAULT
                        ? " on the connection definition or the resource adapter" : " on the connection definition"))
                .orElse("set it in producerProperties");
        return key + " is required and not set: " + where;
    }
}
