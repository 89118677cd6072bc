package io.kafkara.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The connection-handle settings of one connection definition: settings the adapter owns (no Kafka key). Declared
 * here once; the definition's JavaBean property, its validation and the reference documentation use this table.
 */
public record HandleSettings(boolean leakStackTraces) {

    public static final String LEAK_STACK_TRACES = "leakStackTraces";

    /** Property name -> what it means, in the order the reference lists them. */
    public static final Map<String, String> PROPERTIES = Map.of(LEAK_STACK_TRACES, "true or false (default): true "
            + "records where each connection handle is obtained (the stack of its getConnection()), so that the "
            + "warning KAFKARA-RA-020 about a handle the application lost without close() shows where it came from. "
            + "Off by default because taking a stack costs tens of microseconds at every getConnection(); without it "
            + "the warning still names the definition and the handle.");

    /** Reads and checks the handle settings of a definition. */
    public static HandleSettings of(SettingValues definition) throws InvalidSettingsException {
        String text = definition.get(LEAK_STACK_TRACES);
        String value = text == null || text.isBlank() ? "false" : text.trim().toLowerCase(Locale.ROOT);
        if (!value.equals("true") && !value.equals("false")) {
            throw new InvalidSettingsException(definition, List.of(LEAK_STACK_TRACES + "=" + text.trim()
                    + " must be true or false"), Secrets.valuesOf(definition));
        }
        return new HandleSettings(value.equals("true"));
    }
}
