package io.kafkara.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Reads a definition's values of settings declared in a {@link ConfigDef}: each one parsed to its declared type and
 * checked by its rule, its default when unset or blank. Unlike {@code ConfigDef.parse}, which stops at the first bad
 * value, every bad value becomes a problem, so one error names them all.
 */
final class DeclaredSettings {

    private DeclaredSettings() {
    }

    /** The declared settings' values by name; a refused value adds a problem and reads as its default. */
    static Map<String, Object> read(ConfigDef declared, SettingValues definition, List<String> problems) {
        Map<String, Object> values = new HashMap<>();
        for (ConfigDef.ConfigKey key : declared.configKeys().values()) {
            String text = definition.get(key.name);
            if (text == null || text.isBlank()) {
                values.put(key.name, key.defaultValue);
                continue;
            }
            try {
                Object value = ConfigDef.parseType(key.name, text, key.type);
                if (key.validator != null) {
                    key.validator.ensureValid(key.name, value);
                }
                values.put(key.name, value);
            } catch (ConfigException e) {
                problems.add(key.validator instanceof SettingRule rule ? rule.problem(key.name, text.trim())
                        : key.name + "=" + text.trim() + ": " + e.getMessage());
                values.put(key.name, key.defaultValue);
            }
        }
        return values;
    }
}
