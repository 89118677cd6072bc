package io.kafkara.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Merging, precedence and validation of the adapter's defaults and a definition's values. */
class SettingsResolverTest {

    private static final String STRINGS = "org.apache.kafka.common.serialization.StringSerializer";

    private final SettingValues adapter = new SettingValues(Level.RESOURCE_ADAPTER);
    private final SettingValues definition = new SettingValues(Level.CONNECTION_DEFINITION);

    private void minimalDefinition() {
        definition.set("bootstrapServers", "broker:9092");
        definition.set("keySerializer", STRINGS);
        definition.set("valueSerializer", STRINGS);
    }

    @Test
    void onlyWhatWasSetIsPassedToKafkaWithTheAdaptersClientId() throws Exception {
        minimalDefinition();

        Map<String, Object> config = SettingsResolver.resolve(adapter, definition).producerConfig("kafka-ra-7");

        assertEquals(Map.of("bootstrap.servers", "broker:9092", "key.serializer", STRINGS, "value.serializer", STRINGS,
                "client.id", "kafka-ra-7"), config);
    }

    @Test
    void theDefinitionInheritsTheAdaptersDefaultsAndOverridesThem() throws Exception {
        adapter.set("bootstrapServers", "default:9092");
        adapter.set("securityProtocol", "SASL_SSL");
        adapter.set("producerProperties", "linger.ms=20\nmetrics.num.samples=3");
        definition.set("keySerializer", STRINGS);
        definition.set("valueSerializer", STRINGS);
        definition.set("securityProtocol", "SSL");
        definition.set("lingerMs", "50");

        Map<String, String> settings = SettingsResolver.resolve(adapter, definition).settings();

        assertEquals("default:9092", settings.get("bootstrap.servers"), "inherited from the adapter");
        assertEquals("SSL", settings.get("security.protocol"), "the definition's property wins");
        assertEquals("50", settings.get("linger.ms"), "the definition's property beats the adapter's producerProperties");
        assertEquals("3", settings.get("metrics.num.samples"), "a pass-through default of the adapter");
    }

    @Test
    void aDefinitionsProducerPropertiesOverrideTheAdaptersProperty() throws Exception {
        adapter.set("bootstrapServers", "default:9092");
        definition.set("keySerializer", STRINGS);
        definition.set("valueSerializer", STRINGS);
        definition.set("producerProperties", "bootstrap.servers=other:9092");

        assertEquals("other:9092", SettingsResolver.resolve(adapter, definition).settings().get("bootstrap.servers"));
    }

    @Test
    void aKeySetByAPropertyAndInProducerPropertiesOfOneDefinitionIsAnError() {
        minimalDefinition();
        definition.set("lingerMs", "5");
        definition.set("producerProperties", "linger.ms=10");

        String message = rejected().getMessage();

        assertTrue(message.contains("linger.ms is set twice: by property lingerMs of the connection definition and by "
                + "producerProperties line 1 of the connection definition; keep one"), message);
    }

    @Test
    void aKeyTwiceInProducerPropertiesIsAnError() {
        minimalDefinition();
        definition.set("producerProperties", "send.buffer.bytes=1\n# comment\nsend.buffer.bytes=2");

        String message = rejected().getMessage();

        assertTrue(message.contains("send.buffer.bytes is set twice: by producerProperties line 1 of the connection "
                + "definition and by producerProperties line 3"), message);
    }

    @Test
    void anUnknownKeyIsRejectedWithTheClosestKnownOne() {
        minimalDefinition();
        definition.set("producerProperties", "lingr.ms=5");

        assertEquals(List.of("lingr.ms is not a Kafka producer setting; did you mean linger.ms? (producerProperties "
                + "line 1 of the connection definition)"), rejected().problems());
    }

    @Test
    void anUnknownKeyFarFromAnyKnownOnePointsToTheReference() {
        minimalDefinition();
        definition.set("producerProperties", "foo.bar=1");

        String problem = rejected().problems().get(0);

        assertTrue(problem.startsWith("foo.bar is not a Kafka producer setting; see the configuration reference"), problem);
    }

    @Test
    void aKeyTheAdapterOwnsIsRejectedWithTheReason() {
        minimalDefinition();
        definition.set("producerProperties", "transactional.id=mine");

        String problem = rejected().problems().get(0);

        assertTrue(problem.startsWith("transactional.id cannot be set: The adapter owns the transactional ids"), problem);
    }

    @Test
    void aWrongTypeIsReportedByKafkaWithKeyValueAndProperty() {
        minimalDefinition();
        definition.set("lingerMs", "abc");

        assertEquals(List.of("linger.ms=abc (property lingerMs of the connection definition): Invalid value abc for "
                + "configuration linger.ms: Not a number of type LONG"), rejected().problems());
    }

    @Test
    void anInvalidValueIsReportedWithWhatKafkaAllows() {
        minimalDefinition();
        definition.set("producerProperties", "compression.type=brotli");
        definition.set("acks", "2");

        List<String> problems = rejected().problems();

        assertEquals(2, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("acks=2 (property acks of the connection definition): Invalid value 2 "
                + "for configuration acks: String must be one of: all, -1, 0, 1"), problems::toString);
        assertTrue(problems.get(1).startsWith("compression.type=brotli (producerProperties line 1 of the connection "
                + "definition): Invalid value brotli for configuration compression.type: String must be one of: none, "
                + "gzip, snappy, lz4, zstd"), problems::toString);
    }

    @Test
    void aMissingRequiredSettingSaysWhereToSetIt() {
        definition.set("keySerializer", STRINGS);
        definition.set("valueSerializer", STRINGS);

        assertEquals(List.of("bootstrap.servers is required and not set: set property bootstrapServers on the "
                + "connection definition or the resource adapter"), rejected().problems());
    }

    @Test
    void theMessageNamesTheDefinitionByItsValuesAndCountsTheProblems() {
        definition.set("clientIdPrefix", "orders");
        definition.set("lingerMs", "-1");

        String message = rejected().getMessage();

        assertTrue(message.startsWith("Invalid Kafka producer settings of the connection definition {clientIdPrefix="
                + "orders, lingerMs=-1} (4 problems): (1) bootstrap.servers is required"), message);
        assertTrue(message.contains("(4) value.serializer is required"), message);
    }

    @Test
    void classNamesAreLeftForTheEngineToLoadWithTheApplicationsClassLoader() throws Exception {
        minimalDefinition();
        definition.set("keySerializer", "com.example.app.OrderSerializer");
        definition.set("partitionerClass", "com.example.app.RegionPartitioner");

        ResolvedSettings resolved = SettingsResolver.resolve(adapter, definition);

        assertEquals("com.example.app.OrderSerializer", resolved.settings().get("key.serializer"));
        assertEquals(2, resolved.notices().size(), "one notice per class the adapter cannot see: "
                + resolved.notices());
        assertTrue(resolved.notices().get(0).startsWith("key.serializer=com.example.app.OrderSerializer (property "
                + "keySerializer of the connection definition) is not a class the adapter can load: it must be "
                + "visible to the applications"), resolved.notices().get(0));
        assertTrue(resolved.notices().get(1).startsWith("partitioner.class=com.example.app.RegionPartitioner"),
                resolved.notices().get(1));
    }

    @Test
    void aClassTheAdapterCanLoadNeedsNoNotice() throws Exception {
        minimalDefinition();

        assertEquals(List.of(), SettingsResolver.resolve(adapter, definition).notices());
    }

    @Test
    void aValueThatCannotNameAClassIsAnErrorAtActivation() {
        minimalDefinition();
        definition.set("valueSerializer", "org.example.My Serializer");

        String message = rejected().getMessage();

        assertTrue(message.contains("value.serializer=org.example.My Serializer (property valueSerializer of the "
                + "connection definition) is not a Java class name; give the fully qualified name"), message);
    }

    @Test
    void malformedBrokerAddressesAreErrorsAtActivationNamingEachEntry() {
        minimalDefinition();
        definition.set("bootstrapServers", "localhost-9092, broker2:9092,broker3:99999");

        String message = rejected().getMessage();

        assertTrue(message.contains("bootstrap.servers=localhost-9092, broker2:9092,broker3:99999 (property "
                + "bootstrapServers of the connection definition) 'localhost-9092', 'broker3:99999' are not host:port "
                + "with a port from 1 to 65535; give host:port entries separated by commas"), message);
    }

    @Test
    void wellFormedBrokerAddressesPass() throws Exception {
        minimalDefinition();
        definition.set("bootstrapServers", " broker-1.example.com:9092,10.0.0.7:9093,[::1]:9094,SASL_SSL://b4:9095 ");

        assertEquals(" broker-1.example.com:9092,10.0.0.7:9093,[::1]:9094,SASL_SSL://b4:9095 ",
                SettingsResolver.resolve(adapter, definition).settings().get("bootstrap.servers"));
    }

    @Test
    void aBadAdapterDefaultAddressFailsTheAdaptersCheck() {
        adapter.set("bootstrapServers", "broker:port");

        InvalidSettingsException rejected = assertThrows(InvalidSettingsException.class,
                () -> SettingsResolver.checkAdapter(adapter));

        assertTrue(rejected.getMessage().contains("'broker:port' is not host:port"), rejected.getMessage());
    }

    @Test
    void theAdapterAloneIsCheckedOnlyForTheValuesItHas() throws Exception {
        adapter.set("securityProtocol", "SASL_SSL");
        SettingsResolver.checkAdapter(adapter);

        adapter.set("producerProperties", "linger.ms=soon");
        InvalidSettingsException failure = assertThrows(InvalidSettingsException.class,
                () -> SettingsResolver.checkAdapter(adapter));

        assertEquals(List.of("linger.ms=soon (producerProperties line 1 of the resource adapter): Invalid value soon "
                + "for configuration linger.ms: Not a number of type LONG"), failure.problems());
    }

    @Test
    void producerPropertiesTakeSemicolonsCommentsAndEmptyValues() throws Exception {
        minimalDefinition();
        definition.set("producerProperties", "# tuning\nlinger.ms=10; batch.size = 32768 ;"
                + "ssl.endpoint.identification.algorithm=\r\nsasl.jaas.config=a.B required user=\"u\"; b.C required;");

        Map<String, String> settings = SettingsResolver.resolve(adapter, definition).settings();

        assertEquals("10", settings.get("linger.ms"));
        assertEquals("32768", settings.get("batch.size"));
        assertEquals("", settings.get("ssl.endpoint.identification.algorithm"));
        assertEquals("a.B required user=\"u\"; b.C required;", settings.get("sasl.jaas.config"),
                "A ';' not followed by key= stays in the value");
    }

    @Test
    void aLineThatIsNotKeyValueIsReportedWithoutEchoingIt() {
        minimalDefinition();
        definition.set("producerProperties", "linger.ms=1\nhunter2");

        assertEquals(List.of("producerProperties line 2 is not of the form key=value (not shown, it may hold a secret)"
                + " of the connection definition"), rejected().problems());
    }

    @Test
    void theDefaultClientIdPrefixIsTheAdaptersName() throws Exception {
        minimalDefinition();
        assertEquals("kafka-ra", SettingsResolver.resolve(adapter, definition).clientIdPrefix());

        definition.set("clientIdPrefix", "orders");
        assertEquals("orders", SettingsResolver.resolve(adapter, definition).clientIdPrefix());
    }

    @Test
    void blankPropertiesAreUnsetAndUnknownOnesRefused() {
        definition.set("lingerMs", "5");
        definition.set("lingerMs", "  ");

        assertEquals(null, definition.get("lingerMs"));
        assertThrows(IllegalArgumentException.class, () -> adapter.set("lingerMs", "5"),
                "linger.ms is no property of the resource adapter");
        assertThrows(IllegalArgumentException.class, () -> definition.set("transactionalId", "x"));
    }

    @Test
    void keySuggestionsAreCloseOrAbsent() {
        assertEquals("linger.ms", KeySuggestions.closest("LINGER.MS").orElseThrow());
        assertEquals("max.request.size", KeySuggestions.closest("max.requets.size").orElseThrow());
        assertTrue(KeySuggestions.closest("completely.different").isEmpty());
    }

    private InvalidSettingsException rejected() {
        return assertThrows(InvalidSettingsException.class, () -> SettingsResolver.resolve(adapter, definition));
    }
}
