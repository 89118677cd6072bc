package io.kafkara.it.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.naming.InitialContext;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.it.KafkaBrokerSetup;
import io.kafkara.it.SampleDeployment;
import io.kafkara.it.StrictArchiveValidation;

/**
 * TLS settings of a connection definition reach Kafka, key material included, and its passwords reach nothing else:
 * against a broker that requires TLS with a client certificate, a definition with the cluster's truststore and the
 * client's keystore sends (read back over TLS), one whose truststore trusts another CA fails within max.block.ms
 * with Kafka's SSL handshake error, a client without a certificate is refused (so the keystore did its part), and
 * no store password shows in the exceptions, in toString() or in the server log. Store locations and passwords come
 * from server system properties, as expressions in the descriptor. Ordered: the log is read last.
 */
@ExtendWith(ArquillianExtension.class)
@ServerSetup({StrictArchiveValidation.class, KafkaBrokerSetup.class, TlsClusterSetup.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TlsIT {

    static final String TOPIC = "tls-orders";

    private static final String FACTORY = "java:/kafka/Tls";
    private static final String UNTRUSTED_FACTORY = "java:/kafka/TlsUntrustedBroker";
    private static final long MAX_BLOCK_MS = 5_000;
    /** Scheduling slack on a shared 2-core machine; the wait itself is Kafka's. */
    private static final long SLACK_MS = 10_000;
    private static final String KEY = "order-1";
    private static final String VALUE = "created over SSL with a client certificate";

    @ArquillianResource
    private ManagementClient management;

    @Deployment
    static EnterpriseArchive sample() {
        return SampleDeployment.withExtraDefinitions(
                definition(FACTORY, "KafkaTls", TlsClusterSetup.TRUSTSTORE, TlsClusterSetup.TRUSTSTORE_PASSWORD)
                        + definition(UNTRUSTED_FACTORY, "KafkaTlsUntrusted", TlsClusterSetup.UNTRUSTED_TRUSTSTORE,
                                TlsClusterSetup.UNTRUSTED_TRUSTSTORE_PASSWORD),
                TlsIT.class, SecretLeaks.class, TimedSend.class);
    }

    /** The typed SSL properties, and the store types through producerProperties, as a user may mix them. */
    private static String definition(String jndiName, String poolName, String truststore, String truststorePassword) {
        return """
                <connection-definition class-name="io.kafkara.spi.KafkaManagedConnectionFactory"
                                       jndi-name="%s" pool-name="%s">
                  <config-property name="bootstrapServers">${%s}</config-property>
                  <config-property name="keySerializer">org.apache.kafka.common.serialization.StringSerializer</config-property>
                  <config-property name="valueSerializer">org.apache.kafka.common.serialization.StringSerializer</config-property>
                  <config-property name="securityProtocol">SSL</config-property>
                  <config-property name="sslTruststoreLocation">${%s}</config-property>
                  <config-property name="sslTruststorePassword">${%s}</config-property>
                  <config-property name="sslKeystoreLocation">${%s}</config-property>
                  <config-property name="sslKeystorePassword">${%s}</config-property>
                  <config-property name="sslKeyPassword">${%s}</config-property>
                  <config-property name="producerProperties">ssl.truststore.type=PKCS12;ssl.keystore.type=PKCS12</config-property>
                  <config-property name="maxBlockMs">%d</config-property>
                </connection-definition>
                """.formatted(jndiName, poolName, TlsClusterSetup.BOOTSTRAP, truststore, truststorePassword,
                TlsClusterSetup.KEYSTORE, TlsClusterSetup.KEYSTORE_PASSWORD, TlsClusterSetup.KEYSTORE_PASSWORD, MAX_BLOCK_MS);
    }

    @Test
    @Order(1)
    void theClientsDefinitionSendsOverTlsAndItsObjectsHideThePasswords() throws Exception {
        KafkaConnectionFactory factory = (KafkaConnectionFactory) new InitialContext().lookup(FACTORY);
        TimedSend.Acked sent = TimedSend.acked(factory, new ProducerRecord<>(TOPIC, KEY, VALUE), MAX_BLOCK_MS + SLACK_MS);
        System.out.printf("TlsIT: send over SSL acknowledged in %d ms at %s%n", sent.elapsedMs(), sent.written());
        assertEquals(0, sent.written().offset(), "the first record of the fresh topic: " + sent.written());

        String managedFactory = serverSideSecrets().assertAbsentFrom(factory);
        System.out.println("TlsIT: managed connection factory shows itself as: " + managedFactory);
        assertTrue(Stream.of("sslTruststorePassword=[hidden]", "sslKeystorePassword=[hidden]", "sslKeyPassword=[hidden]",
                "securityProtocol=SSL", "sslKeystoreLocation=" + System.getProperty(TlsClusterSetup.KEYSTORE))
                .allMatch(managedFactory::contains),
                "the managed connection factory hides the passwords and shows the other settings: " + managedFactory);
    }

    @Test
    @Order(2)
    void aTruststoreOfAnotherCaFailsWithKafkasSslHandshakeErrorWithinMaxBlock() throws Exception {
        KafkaConnectionFactory factory = (KafkaConnectionFactory) new InitialContext().lookup(UNTRUSTED_FACTORY);
        TimedSend.Failed sent = TimedSend.failed(factory, new ProducerRecord<>(TOPIC, KEY, "never written"),
                MAX_BLOCK_MS + SLACK_MS);
        Throwable cause = sent.failure().getCause();
        System.out.printf("TlsIT: send through an untrusting truststore failed after %d ms: %s (cause: %s)%n",
                sent.elapsedMs(), cause, cause.getCause());
        SslAuthenticationException refused = assertInstanceOf(SslAuthenticationException.class, cause,
                "Kafka's SSL authentication error reaches the application");
        assertTrue(refused.getMessage().contains("SSL handshake failed"), refused.getMessage());
        SecretLeaks secrets = serverSideSecrets();
        secrets.assertAbsent("the exception the application sees (with causes and stack)", SecretLeaks.stackTrace(sent.failure()));
        secrets.assertAbsentFrom(factory);
    }

    @Test
    @Order(3)
    @RunAsClient
    void aTlsClientReadsTheRecordBack() {
        ConsumerRecord<String, String> read = FirstRecord.of(TlsClusterSetup.cluster(), TOPIC);
        assertEquals(KEY, read.key());
        assertEquals(VALUE, read.value());
    }

    /** So the adapter's successful send proves that the definition's keystore reached Kafka. */
    @Test
    @Order(4)
    @RunAsClient
    void theBrokerRefusesAClientWithoutACertificate() {
        Map<String, Object> config = new HashMap<>(TlsClusterSetup.cluster().clientProperties());
        config.keySet().removeIf(key -> key.startsWith("ssl.keystore.") || key.equals("ssl.key.password"));
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TlsClusterSetup.cluster().bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> admin.describeCluster().nodes().get(MAX_BLOCK_MS + SLACK_MS, TimeUnit.MILLISECONDS));
            assertInstanceOf(SslAuthenticationException.class, refused.getCause(), "refused in the handshake: " + refused);
        }
    }

    @Test
    @Order(5)
    @RunAsClient
    void theServerLogShowsNoStorePassword() throws Exception {
        Path log = SecretLeaks.serverLog(management);
        String text = Files.readString(log);
        System.out.printf("TlsIT: %s has %d characters%n", log, text.length());
        assertTrue(text.contains("ssl.keystore.password = [hidden]") && text.contains("ssl.truststore.password = [hidden]")
                && text.contains(TlsClusterSetup.cluster().bootstrapServers()),
                "Kafka logged the TLS engines' configuration in " + log);
        new SecretLeaks(TlsClusterSetup.cluster().tls().passwords()).assertAbsent("the server log " + log, text);
    }

    /** In the server the passwords are what the definitions were given: the system properties the setup wrote. */
    private static SecretLeaks serverSideSecrets() {
        List<String> passwords = Stream.of(TlsClusterSetup.TRUSTSTORE_PASSWORD, TlsClusterSetup.KEYSTORE_PASSWORD,
                TlsClusterSetup.UNTRUSTED_TRUSTSTORE_PASSWORD).map(System::getProperty).toList();
        passwords.forEach(password -> assertNotNull(password, "the setup's password properties are set in the server"));
        return new SecretLeaks(passwords);
    }
}
