package io.kafkara.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The connection-handle settings of one connection definition: settings the adapter owns (no Kafka key). Declared
 * here once; the definition's JavaBean property, its validation and the reference documentation use this table.
 */
public record HandleSettings(boolean leakStackTraces, boolean traceContext) {

    public static final String LEAK_STACK_TRACES = "leakStackTraces";
    public static final String TRACE_CONTEXT = "traceContext";

    /** Property name -> what it means, in the order the reference lists them. */
    public static final Map<String, String> PROPERTIES = properties();

    private static Map<String, String> properties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(LEAK_STACK_TRACES, "true or false (default): true records where each connection handle is "
                + "obtained (the stack of its getConnection()), so that the warning KAFKARA-RA-020 about a handle the "
                + "application lost without close() shows where it came from. Off by default because taking a stack "
                + "costs tens of microseconds at every getConnection(); without it the warning still names the "
                + "definition and the handle.");
        properties.put(TRACE_CONTEXT, "true (default) or false: where the server makes the OpenTelemetry API "
                + "visible and the sending thread has a current span, each record carries that span's W3C "
                + "traceparent (and tracestate) header, unless the application set traceparent itself. false sends "
                + "records without it.");
        return Collections.unmodifiableMap(properties);
    }

    /** Reads and checks the handle settings of a definition. */
    public static HandleSettings of(SettingValues definition) throws InvalidSettingsException {
        return new HandleSettings(flag(definition, LEAK_STACK_TRACES, false), flag(definition, TRACE_CONTEXT, true));
    }

    private static boolean flag(SettingValues definition, String property, boolean byDefault)
            throws InvalidSettingsException {
        String text = definition.get(property);
        String value = text == null || text.isBlank() ? String.valueOf(byDefault)
                : text.trim().toLowerCase(Locale.ROOT);
        if (!value.equals("true") && !value.equals("false")) {
            throw new InvalidSettingsException(definition, List.of(property + "=" + text.trim()
                    + " must be true or false"), Secrets.valuesOf(definition));
        }
        return value.equals("true");
    }
}
