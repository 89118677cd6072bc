package io.kafkara.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ManagedConnection;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.kafkara.config.SettingsResolver;

/**
 * Secret settings (Kafka's PASSWORD type) appear nowhere: not in toString, not in exception messages, not in what
 * the configuration path logs, whether they are set as confidential properties or in producerProperties.
 */
class SecretsNeverShownTest {

    private static final String MARK = "S3CRET";
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"app\" password=\"jaas-" + MARK + "\";";

    private final KafkaResourceAdapter adapter = new KafkaResourceAdapter();
    private final KafkaManagedConnectionFactory factory = new KafkaManagedConnectionFactory();
    private final FakeContainer container = new FakeContainer();

    @BeforeEach
    void secretsEverywhere() {
        adapter.setBootstrapServers("127.0.0.1:9");
        adapter.setSaslJaasConfig(JAAS);
        adapter.setSslTruststorePassword("trust-" + MARK);
        factory.setKeySerializer("org.apache.kafka.common.serialization.StringSerializer");
        factory.setValueSerializer("org.apache.kafka.common.serialization.StringSerializer");
        factory.setSslKeyPassword("key-" + MARK);
        factory.setProducerProperties("sasl.oauthbearer.client.credentials.client.secret=oauth-" + MARK);
    }

    @AfterEach
    void stopAdapter() {
        adapter.stop();
    }

    @Test
    void toStringHidesEverySecret() throws Exception {
        String shown = factory + " " + adapter.settingValues() + " "
                + SettingsResolver.resolve(adapter.settingValues(), factory.settingValues());

        assertFalse(shown.contains(MARK), shown);
        assertTrue(shown.contains("saslJaasConfig=[hidden]"), shown);
        assertTrue(shown.contains("sslKeyPassword=[hidden]"), shown);
        assertTrue(shown.contains("sasl.oauthbearer.client.credentials.client.secret=[hidden]"), shown);
        assertTrue(shown.contains("sasl.jaas.config=[hidden]"), shown);
    }

    @Test
    void validationMessagesHideEverySecret() throws Exception {
        adapter.start(container);
        factory.setLingerMs("trust-" + MARK);
        factory.setProducerProperties("ssl.keystore.pasword=typo-" + MARK + "\npassword: line-" + MARK);

        factory.setResourceAdapter(adapter);
        InvalidPropertyException failure = assertThrows(InvalidPropertyException.class,
                () -> factory.createManagedConnection(null, null));

        String message = failure.getMessage() + " " + failure.getCause().getMessage();
        assertFalse(message.contains(MARK), message);
        assertTrue(message.contains("ssl.keystore.pasword is not a Kafka producer setting; did you mean "
                + "ssl.keystore.password?"), message);
        assertTrue(message.contains("linger.ms=[hidden]"), "A value equal to a secret is hidden too: " + message);
        assertTrue(message.contains("line 2 is not of the form key=value"), message);
    }

    @Test
    void kafkasOwnRejectionAtEngineCreationHidesEverySecret() throws Exception {
        adapter.start(container);
        factory.setEnableIdempotence("true");
        factory.setAcks("0");
        factory.setResourceAdapter(adapter);

        InvalidPropertyException failure = assertThrows(InvalidPropertyException.class,
                () -> factory.createManagedConnection(null, null));

        assertTrue(failure.getMessage().contains("cannot serve connections: Kafka refused its producer settings: "
                + "Must set acks to all in order to use the idempotent producer"), failure.getMessage());
        assertFalse(failure.getMessage().contains(MARK), failure.getMessage());
        assertEquals(0, container.scheduled.size(), "No engine was started");
    }

    @Test
    void theConfigurationPathLogsNoSecret() throws Exception {
        String logged = StandardErrorCapture.during(() -> {
            adapter.start(container);
            factory.setResourceAdapter(adapter);
            ManagedConnection connection = factory.createManagedConnection(null, null);
            connection.destroy();
            adapter.stop();
        });

        assertEquals(1, container.scheduled.size(), "The engine was created and its sender loop scheduled");
        assertTrue(logged.contains("sasl.jaas.config = [hidden]"), "Kafka logged the engine's configuration:\n" + logged);
        assertFalse(logged.contains(MARK), logged);
    }
}
