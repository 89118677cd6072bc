package io.kafkara.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The connection-handle settings of one connection definition: settings the adapter owns (no Kafka key). Declared
 * here once, as Kafka declares its own ({@link #DEFINITION}); the definition's JavaBean properties, their validation
 * and the reference documentation use the declaration.
 */
public record HandleSettings(boolean leakStackTraces, boolean traceContext) {

    public static final String LEAK_STACK_TRACES = "leakStackTraces";
    public static final String TRACE_CONTEXT = "traceContext";

    /** The handle settings, declared once: type, default, rule and documentation, in the reference's order. */
    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(LEAK_STACK_TRACES, Type.BOOLEAN, false, SettingRule.flag(), Importance.LOW, "true records where "
                    + "each connection handle is obtained (the stack of its getConnection()), so that the warning "
                    + "KAFKARA-RA-020 about a handle the application lost without close() shows where it came from. "
                    + "Off by default because taking a stack costs tens of microseconds at every getConnection(); "
                    + "without it the warning still names the definition and the handle.")
            .define(TRACE_CONTEXT, Type.BOOLEAN, true, SettingRule.flag(), Importance.LOW, "Where the server makes "
                    + "the OpenTelemetry API visible and the sending thread has a current span, each record carries "
                    + "that span's W3C traceparent (and tracestate) header, unless the application set traceparent "
                    + "itself. false sends records without it.");

    /** Reads and checks the handle settings of a definition. */
    public static HandleSettings of(SettingValues definition) throws InvalidSettingsException {
        List<String> problems = new ArrayList<>();
        Map<String, Object> values = DeclaredSettings.read(DEFINITION, definition, problems);
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(definition, problems, Secrets.valuesOf(definition));
        }
        return new HandleSettings((Boolean) values.get(LEAK_STACK_TRACES), (Boolean) values.get(TRACE_CONTEXT));
    }
}
