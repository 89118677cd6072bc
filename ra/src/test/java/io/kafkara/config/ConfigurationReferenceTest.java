package io.kafkara.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * src/docs/configuration.md is what {@link ConfigurationReference} renders. With {@code -Dkafkara.docs.write=true}
 * this test writes it instead (see {@link ConfigurationReference#REGENERATE}).
 */
class ConfigurationReferenceTest {

    private static final Path COMMITTED = Path.of("..", "src", "docs", "configuration.md");

    @Test
    void theCommittedReferenceIsWhatTheTableGenerates() throws IOException {
        String generated = ConfigurationReference.render();
        if (Boolean.getBoolean("kafkara.docs.write")) {
            Files.createDirectories(COMMITTED.getParent());
            Files.writeString(COMMITTED, generated, StandardCharsets.UTF_8);
        }

        assertTrue(Files.isRegularFile(COMMITTED), "Missing " + COMMITTED.toAbsolutePath().normalize()
                + "; generate it with: " + ConfigurationReference.REGENERATE);
        assertEquals(generated, Files.readString(COMMITTED, StandardCharsets.UTF_8),
                "src/docs/configuration.md differs from what the settings table generates; regenerate it with: "
                        + ConfigurationReference.REGENERATE);
    }

    @Test
    void theReferenceListsEverySettingWithKafkasDescription() {
        String reference = ConfigurationReference.render();

        for (Setting setting : SettingsTable.all()) {
            assertTrue(reference.contains("`" + setting.key() + "`"), setting.key());
        }
        assertTrue(reference.contains("| `lingerMs` | `linger.ms` | connection definition | long | no | The producer "
                + "groups together"), "Kafka's own description of linger.ms");
        assertTrue(reference.contains("| `saslJaasConfig` | `sasl.jaas.config` | resource adapter, connection "
                + "definition | password | yes |"));
        assertTrue(reference.contains("| `transactional.id` | The adapter owns"));
    }
}
