package io.kafkara.config;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The values an administrator set at one level (the resource adapter, or one connection definition), by JavaBean
 * property name, exactly as given. Only what was set is held: an unset or blank property leaves Kafka's default.
 * Not thread-safe: the container sets properties before it uses the bean.
 */
public final class SettingValues implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Level level;
    private final TreeMap<String, String> byProperty = new TreeMap<>();

    public SettingValues(Level level) {
        this.level = Objects.requireNonNull(level, "level");
    }

    Level level() {
        return level;
    }

    public String get(String property) {
        requireProperty(property);
        return byProperty.get(property);
    }

    /** Sets a property; null or blank unsets it. */
    public void set(String property, String value) {
        requireProperty(property);
        if (value == null || value.isBlank()) {
            byProperty.remove(property);
        } else {
            byProperty.put(property, value);
        }
    }

    /** The properties set, by name. */
    Map<String, String> asMap() {
        return java.util.Collections.unmodifiableMap(byProperty);
    }

    private void requireProperty(String property) {
        if (!SettingsTable.propertyNamesAt(level).contains(property)) {
            throw new IllegalArgumentException(property + " is not a config property of the " + level.label());
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SettingValues that && level == that.level && byProperty.equals(that.byProperty);
    }

    @Override
    public int hashCode() {
        return Objects.hash(level, byProperty);
    }

    /** The values with every secret hidden, including secrets inside {@code producerProperties}. */
    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        byProperty.forEach((property, value) -> shown.put(property, Secrets.showProperty(property, value)));
        return level.label() + " " + shown;
    }
}
