package io.kafkara.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * pluginProperties: the plug-ins' own settings pass through to their configure(), while producerProperties stays
 * strict and a Kafka key is refused in pluginProperties; secrets among them are never printed.
 */
class PluginPropertiesTest {

    private static final String STRINGS = "org.apache.kafka.common.serialization.StringSerializer";

    private final SettingValues adapter = new SettingValues(Level.RESOURCE_ADAPTER);
    private final SettingValues definition = new SettingValues(Level.CONNECTION_DEFINITION);

    PluginPropertiesTest() {
        definition.set("bootstrapServers", "broker:9092");
        definition.set("keySerializer", STRINGS);
        definition.set("valueSerializer", STRINGS);
    }

    @Test
    void keysKafkaDoesNotKnowReachThePluginsButNotTheEngine() throws Exception {
        definition.set("pluginProperties", "schema.registry.url=http://registry:8081\nshop.marker=blue");

        ResolvedSettings resolved = SettingsResolver.resolve(adapter, definition);

        Map<String, Object> plugins = resolved.pluginConfig("orders-1");
        assertEquals("http://registry:8081", plugins.get("schema.registry.url"));
        assertEquals("blue", plugins.get("shop.marker"));
        assertEquals(STRINGS, plugins.get("value.serializer"), "with the producer settings");
        assertFalse(resolved.producerConfig("orders-1").containsKey("shop.marker"), "the engine does not get them");
    }

    @Test
    void theDefinitionsValueOfAKeyReplacesTheAdaptersAndTheAdaptersOthersStay() throws Exception {
        adapter.set("pluginProperties", "schema.registry.url=http://shared:8081;shop.region=eu");
        definition.set("pluginProperties", "schema.registry.url=http://own:8081");

        Map<String, Object> plugins = SettingsResolver.resolve(adapter, definition).pluginConfig("orders-1");

        assertEquals("http://own:8081", plugins.get("schema.registry.url"));
        assertEquals("eu", plugins.get("shop.region"));
    }

    @Test
    void producerPropertiesStayStrictWithTheirSuggestion() {
        definition.set("producerProperties", "lingr.ms=5");

        InvalidSettingsException refused = assertThrows(InvalidSettingsException.class,
                () -> SettingsResolver.resolve(adapter, definition));

        assertEquals(List.of("lingr.ms is not a Kafka producer setting; did you mean linger.ms? (producerProperties "
                + "line 1 of the connection definition)"), refused.problems());
    }

    @Test
    void aKafkaKeyInPluginPropertiesIsRefusedNamingWhereItBelongs() {
        definition.set("pluginProperties", "linger.ms=5");

        InvalidSettingsException refused = assertThrows(InvalidSettingsException.class,
                () -> SettingsResolver.resolve(adapter, definition));

        assertEquals(List.of("linger.ms (pluginProperties line 1 of the connection definition) is a Kafka producer "
                + "setting: set it as a property or in producerProperties, where Kafka checks it; pluginProperties is "
                + "for the plug-ins' own settings"), refused.problems());
    }

    @Test
    void aKeyCloseToAKafkaKeyPassesWithANotice() throws Exception {
        definition.set("pluginProperties", "lingr.ms=5");

        ResolvedSettings resolved = SettingsResolver.resolve(adapter, definition);

        assertEquals("5", resolved.pluginConfig("orders-1").get("lingr.ms"));
        assertEquals(List.of("lingr.ms (pluginProperties line 1 of the connection definition) is not a Kafka "
                + "producer setting and goes to the plug-ins only; did you mean linger.ms? Then set it in "
                + "producerProperties"), resolved.notices());
    }

    @Test
    void secretPluginValuesAreNeverPrinted() throws Exception {
        definition.set("pluginProperties", "basic.auth.user.info=shop:s3cr3t-1\nregistry.api.token=t0k3n-2\n"
                + "schema.registry.url=http://registry:8081\nsasl.jaas.extra=jaas-3\nshop.password=p4ss-4");

        ResolvedSettings resolved = SettingsResolver.resolve(adapter, definition);
        String printed = resolved + " " + resolved.hideSecrets("Kafka said: shop:s3cr3t-1 t0k3n-2 jaas-3 p4ss-4")
                + " " + Secrets.showProperty("pluginProperties", definition.asMap().get("pluginProperties"));

        for (String secret : List.of("s3cr3t-1", "t0k3n-2", "jaas-3", "p4ss-4")) {
            assertFalse(printed.contains(secret), secret + " printed: " + printed);
        }
        assertTrue(printed.contains("schema.registry.url=http://registry:8081"), "what is not secret is shown: "
                + printed);
    }

    @Test
    void aBadLineOfTheAdaptersPluginPropertiesFailsTheAdaptersCheck() {
        adapter.set("pluginProperties", "not a key value line");

        InvalidSettingsException refused = assertThrows(InvalidSettingsException.class,
                () -> SettingsResolver.checkAdapter(adapter));

        assertEquals(List.of("pluginProperties line 1 is not of the form key=value (not shown, it may hold a secret) "
                + "of the resource adapter"), refused.problems());
    }
}
