package io.kafkara.config;

import java.util.List;
import java.util.Optional;

/** Test-only access to the settings table, for the tests of the JavaBean properties that feed it. */
public final class ConfigAccess {

    private ConfigAccess() {
    }

    public static List<String> propertyNamesAt(Level level) {
        return SettingsTable.propertyNamesAt(level);
    }

    public static Optional<Setting> forProperty(String property) {
        return SettingsTable.forProperty(property);
    }

    public static boolean isSecret(Setting setting) {
        return setting.isSecret();
    }
}
