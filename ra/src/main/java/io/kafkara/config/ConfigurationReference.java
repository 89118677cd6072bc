package io.kafkara.config;

import java.util.List;
import java.util.Locale;

import org.apache.kafka.common.config.ConfigDef;

import io.kafkara.engine.kafka.KafkaClientVersion;

/**
 * Renders the configuration reference (src/docs/configuration.md) from the settings table and Kafka's own
 * definitions (type, documentation), so the document can never disagree with the code.
 */
public final class ConfigurationReference {

    /** How to rewrite the committed file after the table or the Kafka version changed. */
    public static final String REGENERATE =
            "mvn -B -pl ra test -Dtest=ConfigurationReferenceTest -Dkafkara.docs.write=true";

    private ConfigurationReference() {
    }

    static String render() {
        StringBuilder md = new StringBuilder();
        md.append("# Configuration reference\n\n")
                .append("Generated from `io.kafkara.config.SettingsTable` and the producer configuration of kafka-clients ")
                .append(KafkaClientVersion.current()).append(" (descriptions are Kafka's own); do not edit. ")
                .append("Regenerate with `").append(REGENERATE).append("`.\n\n");
        precedence(md);
        properties(md);
        passThrough(md);
        notExposed(md);
        return md.toString();
    }

    private static void precedence(StringBuilder md) {
        md.append("## Where a value comes from\n\n")
                .append("Only what you set is passed to Kafka; Kafka's defaults apply to everything else. ")
                .append("From lowest to highest precedence:\n\n")
                .append("1. the resource adapter's config properties (the brokers and security settings below, and its ")
                .append("`producerProperties`): defaults of every connection definition;\n")
                .append("2. the connection definition's config properties and its `producerProperties`.\n\n")
                .append("A key set twice at one level (by a property and in `producerProperties`, or twice in ")
                .append("`producerProperties`) is an error. `producerProperties` holds `key=value` entries, one per line or ")
                .append("separated by `;` on one line (a `;` separates only before the next `key=`, so a JAAS ")
                .append("configuration keeps its own); lines starting with `#` are comments; an empty value is passed on ")
                .append("(`ssl.endpoint.identification.algorithm=` disables host name checks). Every config property is ")
                .append("a string: Kafka parses and validates the values.\n\n")
                .append("Values are checked when the adapter starts and when a connection definition is activated: an ")
                .append("unknown key, a wrong type or an invalid value fails that deployment or activation with a message ")
                .append("naming the key, the value (secrets hidden) and what Kafka allows. Class names (serializers, ")
                .append("partitioner, interceptors, callback handlers) are loaded with the application's class loader ")
                .append("when the application asks for its first connection, and so are checked then, as are Kafka's ")
                .append("rules that combine settings (for example `enable.idempotence=true` needs `acks=all`).\n\n")
                .append("`pluginProperties` (same form, same two levels) holds settings for the serializers, ")
                .append("partitioner and interceptors only, such as `schema.registry.url` or a serializer's own ")
                .append("options: their `configure()` gets them with the producer settings, as Kafka passes keys it ")
                .append("does not know; the engine does not. A Kafka producer key there is an error (set it as a ")
                .append("property or in `producerProperties`, where Kafka checks it); a key a few characters off a ")
                .append("Kafka key is passed on with a warning that names the Kafka key. Values of keys naming a ")
                .append("password, secret, token, credential, `user.info`, private or API key, or JAAS are hidden in ")
                .append("every message.\n\n");
    }

    private static void properties(StringBuilder md) {
        md.append("## Config properties\n\n")
                .append("| property | Kafka key | set on | type | secret | description |\n")
                .append("|---|---|---|---|---|---|\n");
        for (Setting setting : typed()) {
            String where = setting.exposure() == Exposure.ADAPTER_DEFAULT
                    ? "resource adapter, connection definition" : "connection definition";
            md.append("| `").append(setting.property()).append("` | `").append(setting.key()).append("` | ")
                    .append(where).append(" | ").append(type(setting)).append(" | ")
                    .append(setting.isSecret() ? "yes" : "no").append(" | ").append(doc(setting)).append(" |\n");
        }
        md.append("| `").append(SettingsTable.PRODUCER_PROPERTIES).append("` | any below | resource adapter, ")
                .append("connection definition | key=value lines | values of secret keys are hidden in messages | ")
                .append("Kafka producer settings without a property of their own (or with one that is not set). |\n");
        md.append("| `").append(SettingsTable.PLUGIN_PROPERTIES).append("` | (plug-ins) | resource adapter, ")
                .append("connection definition | key=value lines | values of secret keys are hidden in messages | ")
                .append("Settings for the serializers, partitioner and interceptors only, passed to their ")
                .append("`configure()`; no Kafka producer key. |\n");
        own(md, OwnSettings.RESOURCE_ADAPTER, "resource adapter");
        own(md, OwnSettings.CONNECTION_DEFINITION, "connection definition");
        md.append("\nThe properties marked (adapter) are the adapter's own, not Kafka keys, declared in ")
                .append("`io.kafkara.config.OwnSettings` and the records that read them: the transaction properties ")
                .append("are explained in transactions.md, `").append(HandleSettings.LEAK_STACK_TRACES)
                .append("` in connections.md.\n\n");
    }

    /** The adapter's own settings, from their declaration: type, default and rule as declared. */
    private static void own(StringBuilder md, ConfigDef declared, String level) {
        for (ConfigDef.ConfigKey key : declared.configKeys().values()) {
            StringBuilder doc = new StringBuilder(key.documentation);
            if (key.defaultValue != null) {
                doc.append(" Default: `").append(key.defaultValue).append("`.");
            }
            if (key.validator != null) {
                doc.append(" Valid values: ").append(key.validator).append(".");
            }
            md.append("| `").append(key.name).append("` | (adapter) | ").append(level).append(" | ")
                    .append(key.type.name().toLowerCase(Locale.ROOT)).append(" | no | ").append(cell(doc.toString()))
                    .append(" |\n");
        }
    }

    private static void passThrough(StringBuilder md) {
        md.append("## Settings for `producerProperties`\n\n")
                .append("| Kafka key | Kafka type | secret | description |\n|---|---|---|---|\n");
        for (Setting setting : SettingsTable.all()) {
            if (setting.exposure() == Exposure.PASS_THROUGH) {
                md.append("| `").append(setting.key()).append("` | ").append(type(setting)).append(" | ")
                        .append(setting.isSecret() ? "yes" : "no").append(" | ").append(doc(setting)).append(" |\n");
            }
        }
        md.append("\nThe keys of the config properties above may be given in `producerProperties` too.\n\n");
    }

    private static void notExposed(StringBuilder md) {
        md.append("## Not settable\n\n| Kafka key | why |\n|---|---|\n");
        for (Setting setting : SettingsTable.all()) {
            if (setting.exposure() == Exposure.NOT_EXPOSED) {
                md.append("| `").append(setting.key()).append("` | ").append(cell(setting.reason())).append(" |\n");
            }
        }
    }

    private static List<Setting> typed() {
        return SettingsTable.propertiesAt(Level.CONNECTION_DEFINITION);
    }

    private static String type(Setting setting) {
        ConfigDef.ConfigKey definition = setting.kafkaDefinition();
        return definition.type.name().toLowerCase(Locale.ROOT);
    }

    private static String doc(Setting setting) {
        return cell(setting.kafkaDefinition().documentation);
    }

    /** A table cell: one line, no column separator. */
    private static String cell(String text) {
        return text == null ? "" : text.replace("\r", " ").replace("\n", " ").replace("|", "\\|").trim();
    }
}
