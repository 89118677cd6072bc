package io.kafkara.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The settings the adapter owns (none is a Kafka key), declared as Kafka declares its own: name, type, default, rule
 * and documentation. The records that read them ({@link TransactionSettings}, {@link HandleSettings}) declare theirs;
 * this class declares the rest and gathers them per level, for the list of JavaBean properties and the reference.
 */
public final class OwnSettings {

    public static final String SHUTDOWN_TIMEOUT = "shutdownTimeoutMs";
    /** A text, for the JavaBean property's annotation. */
    public static final String DEFAULT_SHUTDOWN_TIMEOUT_MS = "30000";

    /** The adapter's own settings on the resource adapter. */
    public static final ConfigDef RESOURCE_ADAPTER = new ConfigDef()
            .define(SHUTDOWN_TIMEOUT, Type.LONG, DEFAULT_SHUTDOWN_TIMEOUT_MS, SettingRule.atLeast(0, "0 or more "
                    + "milliseconds"), Importance.MEDIUM, "How long, in milliseconds, stopping the adapter (undeploy, "
                    + "server shutdown) lets each producer engine deliver the records it accepted before it forces the "
                    + "engine closed; records still unacknowledged then fail. Engines are closed one after another. "
                    + "0 forces at once.");

    private static final ConfigDef NAMING = new ConfigDef()
            .define(SettingsTable.CLIENT_ID_PREFIX, Type.STRING, ResolvedSettings.DEFAULT_CLIENT_ID_PREFIX,
                    Importance.LOW, "The adapter names each engine of the definition <clientIdPrefix>-<n>: its Kafka "
                    + "client id (client.id) in JMX metrics and logs.");

    /** The adapter's own settings on a connection definition, in the reference's order. */
    public static final ConfigDef CONNECTION_DEFINITION = joined(NAMING, TransactionSettings.DEFINITION,
            HandleSettings.DEFINITION);

    private OwnSettings() {
    }

    /** The declared default of one of the adapter's own settings. */
    public static Object defaultOf(ConfigDef declared, String name) {
        return declared.configKeys().get(name).defaultValue;
    }

    private static ConfigDef joined(ConfigDef... parts) {
        ConfigDef all = new ConfigDef();
        for (ConfigDef part : parts) {
            part.configKeys().values().forEach(all::define);
        }
        return all;
    }
}
