package io.kafkara.it.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.naming.InitialContext;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthenticationException;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;
import org.jboss.dmr.ModelType;
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
 * SASL settings of a connection definition reach Kafka, and its secrets reach nothing else: against a broker that
 * requires SASL/PLAIN, a definition with the app user's password sends (read back by the admin user), one with a
 * wrong password fails with Kafka's authentication error, and neither password shows in the exceptions, in
 * toString(), in the management model of the deployment or in the server log. Ordered: the log is read last.
 */
@ExtendWith(ArquillianExtension.class)
@ServerSetup({StrictArchiveValidation.class, KafkaBrokerSetup.class, SaslClusterSetup.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SaslIT {

    static final String ADMIN_USER = "admin";
    static final String ADMIN_PASSWORD = "Adm1n-pw-Hq4Rz8Tm";
    static final String APP_USER = "app";
    /** Distinctive, so that any occurrence anywhere is this secret and nothing else. */
    static final String APP_PASSWORD = "S3cret-app-pw-Kx7Qw93Zv";
    static final String WRONG_PASSWORD = "Wr0ng-app-pw-Vb9Nt2Lp";
    static final String TOPIC = "sasl-orders";

    private static final SecretLeaks SECRETS = new SecretLeaks(List.of(APP_PASSWORD, WRONG_PASSWORD, ADMIN_PASSWORD));
    private static final String FACTORY = "java:/kafka/Sasl";
    private static final String WRONG_FACTORY = "java:/kafka/SaslWrongPassword";
    private static final long MAX_BLOCK_MS = 5_000;
    /** Scheduling slack on a shared 2-core machine; the wait itself is Kafka's. */
    private static final long SLACK_MS = 10_000;
    private static final String KEY = "order-1";
    private static final String VALUE = "created over SASL_PLAINTEXT";

    @ArquillianResource
    private ManagementClient management;

    @Deployment
    static EnterpriseArchive sample() {
        return SampleDeployment.withExtraDefinitions(definition(FACTORY, "KafkaSasl", APP_PASSWORD)
                + definition(WRONG_FACTORY, "KafkaSaslWrongPassword", WRONG_PASSWORD), SaslIT.class, SecretLeaks.class, TimedSend.class);
    }

    private static String definition(String jndiName, String poolName, String password) {
        return """
                <connection-definition class-name="io.kafkara.spi.KafkaManagedConnectionFactory"
                                       jndi-name="%s" pool-name="%s">
                  <config-property name="bootstrapServers">${%s}</config-property>
                  <config-property name="keySerializer">org.apache.kafka.common.serialization.StringSerializer</config-property>
                  <config-property name="valueSerializer">org.apache.kafka.common.serialization.StringSerializer</config-property>
                  <config-property name="securityProtocol">SASL_PLAINTEXT</config-property>
                  <config-property name="saslMechanism">PLAIN</config-property>
                  <config-property name="saslJaasConfig">org.apache.kafka.common.security.plain.PlainLoginModule required username="%s" password="%s";</config-property>
                  <config-property name="maxBlockMs">%d</config-property>
                </connection-definition>
                """.formatted(jndiName, poolName, SaslClusterSetup.BOOTSTRAP_PROPERTY, APP_USER, password, MAX_BLOCK_MS);
    }

    @Test
    @Order(1)
    void theAppUsersDefinitionSendsAndItsObjectsHideThePassword() throws Exception {
        KafkaConnectionFactory factory = (KafkaConnectionFactory) new InitialContext().lookup(FACTORY);
        TimedSend.Acked sent = TimedSend.acked(factory, new ProducerRecord<>(TOPIC, KEY, VALUE), MAX_BLOCK_MS + SLACK_MS);
        System.out.printf("SaslIT: send over SASL acknowledged in %d ms at %s%n", sent.elapsedMs(), sent.written());
        assertEquals(0, sent.written().offset(), "the first record of the fresh topic: " + sent.written());

        String managedFactory = SECRETS.assertAbsentFrom(factory);
        System.out.println("SaslIT: managed connection factory shows itself as: " + managedFactory);
        assertTrue(managedFactory.contains("saslJaasConfig=[hidden]") && managedFactory.contains("saslMechanism=PLAIN"),
                "the managed connection factory names the secret setting and shows the others: " + managedFactory);
    }

    @Test
    @Order(2)
    void aWrongPasswordFailsWithKafkasAuthenticationErrorThatHidesThePassword() throws Exception {
        KafkaConnectionFactory factory = (KafkaConnectionFactory) new InitialContext().lookup(WRONG_FACTORY);
        TimedSend.Failed sent = TimedSend.failed(factory, new ProducerRecord<>(TOPIC, KEY, "never written"),
                MAX_BLOCK_MS + SLACK_MS);
        System.out.printf("SaslIT: send with a wrong password failed after %d ms: %s%n", sent.elapsedMs(), sent.failure().getCause());
        AuthenticationException denied = assertInstanceOf(AuthenticationException.class, sent.failure().getCause(),
                "Kafka's authentication error reaches the application");
        assertTrue(denied.getMessage().contains("Invalid username or password"), denied.getMessage());
        SECRETS.assertAbsent("the exception the application sees (with causes and stack)", SecretLeaks.stackTrace(sent.failure()));
        SECRETS.assertAbsentFrom(factory);
    }

    @Test
    @Order(3)
    @RunAsClient
    void theAdminUserReadsTheRecordBack() {
        ConsumerRecord<String, String> read = FirstRecord.of(SaslClusterSetup.cluster(), TOPIC);
        assertEquals(KEY, read.key());
        assertEquals(VALUE, read.value());
    }

    /**
     * WildFly echoes the activation's config properties, as written, in the deployment's read-only model
     * ({@code .../ironjacamar=ironjacamar/.../connection-definitions=<jndi name>/config-properties=<name>}, attribute
     * {@code value}), whatever {@code @ConfigProperty(confidential = true)} says: that echo is WildFly's, not ours.
     * In our runs WildFly 39 filled it when this EAR was the first deployment of its name since the server started,
     * and showed the definitions without config properties when the name had been deployed before. This proves
     * the echo is the only place any password shows, and records what it shows.
     */
    @Test
    @Order(4)
    @RunAsClient
    void theDeploymentsManagementModelShowsPasswordsOnlyInWildFlysEchoOfTheDescriptor() throws Exception {
        ModelNode names = execute(Operations.createOperation("read-children-names", new ModelNode().setEmptyList()),
                "child-type", "deployment");
        Map<String, String> values = new TreeMap<>();
        for (ModelNode name : names.asList()) {
            ModelNode read = Operations.createReadResourceOperation(Operations.createAddress("deployment", name.asString()), true);
            read.get("include-runtime").set(true);
            collectStrings(execute(read), "deployment=" + name.asString(), values);
        }
        Map<String, String> withSecret = new TreeMap<>();
        values.forEach((path, value) -> {
            if (SECRETS.containsAny(value)) {
                withSecret.put(path, SECRETS.mask(value));
            }
        });
        values.forEach((path, value) -> {
            if (path.endsWith("/config-properties=bootstrapServers/value") && path.contains(FACTORY)) {
                System.out.println("SaslIT: management model " + path + " = " + value);
            }
        });
        withSecret.forEach((path, value) -> System.out.println("SaslIT: management model " + path + " = " + value));
        assertTrue(values.keySet().stream().anyMatch(path -> path.contains(WRONG_FACTORY)),
                "the read-out covers the test's connection definitions: " + values.keySet());
        System.out.println("SaslIT: WildFly echoes config properties in this deployment's model: "
                + values.keySet().stream().anyMatch(path -> path.contains("/config-properties=")));
        for (String path : withSecret.keySet()) {
            assertTrue(path.contains("/ironjacamar=ironjacamar/") && (path.endsWith("/connection-definitions=" + FACTORY
                    + "/config-properties=saslJaasConfig/value") || path.endsWith("/connection-definitions=" + WRONG_FACTORY
                    + "/config-properties=saslJaasConfig/value")),
                    "a password shows only in WildFly's echo of a definition's saslJaasConfig, not in " + path);
        }
    }

    @Test
    @Order(5)
    @RunAsClient
    void theServerLogShowsNoSecret() throws Exception {
        Path log = SecretLeaks.serverLog(management);
        String text = Files.readString(log);
        System.out.printf("SaslIT: %s has %d characters%n", log, text.length());
        assertTrue(text.contains("sasl.jaas.config = [hidden]") && text.contains(SaslClusterSetup.cluster().bootstrapServers()),
                "Kafka logged the SASL engines' configuration in " + log);
        SECRETS.assertAbsent("the server log " + log, text);
    }

    private ModelNode execute(ModelNode operation, String... parameters) throws Exception {
        for (int i = 0; i < parameters.length; i += 2) {
            operation.get(parameters[i]).set(parameters[i + 1]);
        }
        ModelNode result = management.getControllerClient().execute(operation);
        assertTrue(Operations.isSuccessfulOutcome(result), operation + " -> " + result);
        return Operations.readResult(result);
    }

    /** Every leaf value of a read-resource result by its path: {@code type=name/.../attribute}. */
    private static void collectStrings(ModelNode node, String path, Map<String, String> values) {
        switch (node.getType()) {
            case OBJECT -> {
                for (String key : node.keys()) {
                    ModelNode child = node.get(key);
                    boolean childType = child.getType() == ModelType.OBJECT && isChildType(node, key);
                    if (childType) {
                        for (String name : child.keys()) {
                            collectStrings(child.get(name), path + "/" + key + "=" + name, values);
                        }
                    } else {
                        collectStrings(child, path + "/" + key, values);
                    }
                }
            }
            case LIST -> {
                List<ModelNode> elements = node.asList();
                for (int i = 0; i < elements.size(); i++) {
                    collectStrings(elements.get(i), path + "[" + i + "]", values);
                }
            }
            case PROPERTY -> collectStrings(node.asProperty().getValue(), path + "/" + node.asProperty().getName(), values);
            case UNDEFINED -> {
            }
            default -> values.put(path, node.asString());
        }
    }

    /**
     * In a recursive read-resource result a child type (e.g. {@code config-properties}) maps names to resources,
     * which are objects of objects; an attribute of type object maps to plain values.
     */
    private static boolean isChildType(ModelNode parent, String key) {
        ModelNode child = parent.get(key);
        return !child.keys().isEmpty() && child.keys().stream().allMatch(name -> child.get(name).getType() == ModelType.OBJECT);
    }
}
