package io.kafkara.it.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.naming.InitialContext;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;
import org.jboss.dmr.ModelType;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.it.StrictArchiveValidation;
import io.kafkara.it.admin.StandaloneAdapter;

/**
 * A SASL password kept in an Elytron credential store ({@link CredentialStoreSetup}) authenticates and shows
 * nowhere an administrator or a backup can read: the connection definition configured in the resource-adapters
 * subsystem with {@code saslJaasConfig} as an encrypted expression sends (read back by another user), and the
 * password is in neither the whole server's management model, runtime included, nor any file under the server's
 * {@code configuration/} and {@code log/} folders. Ordered: the model and the files are read after the send.
 */
@ExtendWith(ArquillianExtension.class)
@ServerSetup({StrictArchiveValidation.class, CredentialStoreSetup.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CredentialStoreSecretIT {

    /** Scheduling slack on a shared 2-core machine; the wait itself is Kafka's max.block.ms. */
    private static final long SLACK_MS = 10_000;
    private static final String KEY = "order-1";
    private static final String VALUE = "sent with a password from the credential store";

    @ArquillianResource
    private ManagementClient management;

    @Deployment(name = "adapter", order = 1, testable = false)
    static ResourceAdapterArchive adapter() {
        return StandaloneAdapter.asBuilt();
    }

    @Deployment(name = "application", order = 2)
    static WebArchive application() {
        return StandaloneAdapter.application("credential-store-it", CredentialStoreSecretIT.class, TimedSend.class,
                SecretLeaks.class);
    }

    @Test
    @Order(1)
    @OperateOnDeployment("application")
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void theDefinitionAuthenticatesWithThePasswordTheServerDecrypted() throws Exception {
        KafkaConnectionFactory factory = (KafkaConnectionFactory) new InitialContext().lookup(CredentialStoreSetup.JNDI_NAME);
        TimedSend.Acked sent = TimedSend.acked(factory, new ProducerRecord<>(CredentialStoreSetup.TOPIC, KEY, VALUE),
                CredentialStoreSetup.MAX_BLOCK_MS + SLACK_MS);
        System.out.printf("CredentialStoreSecretIT: send acknowledged in %d ms at %s%n", sent.elapsedMs(), sent.written());
        assertEquals(0, sent.written().offset(), "the first record of the fresh topic: " + sent.written());
    }

    @Test
    @Order(2)
    @RunAsClient
    @OperateOnDeployment("application")
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void theAdminUserReadsTheRecordBack() {
        ConsumerRecord<String, String> read = FirstRecord.of(CredentialStoreSetup.cluster(), CredentialStoreSetup.TOPIC);
        assertEquals(KEY, read.key());
        assertEquals(VALUE, read.value());
    }

    @Test
    @Order(3)
    @RunAsClient
    @OperateOnDeployment("application")
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void theWholeManagementModelShowsTheExpressionNotThePassword() throws Exception {
        ModelNode read = Operations.createReadResourceOperation(new ModelNode().setEmptyList(), true);
        read.get("include-runtime").set(true);
        String model = execute(read).toString();
        System.out.printf("CredentialStoreSecretIT: the server's model, runtime included, has %d characters%n", model.length());
        secrets().assertAbsent("the server's management model (read-resource recursive, include-runtime)", model);

        ModelNode value = execute(Operations.createReadAttributeOperation(CredentialStoreSetup.saslJaasConfigAddress(), "value"));
        assertEquals(ModelType.EXPRESSION, value.getType(), "saslJaasConfig is kept as an expression: " + value);
        assertEquals(CredentialStoreSetup.expression(), value.asString(), "saslJaasConfig holds what create-expression returned");
        assertTrue(model.contains(CredentialStoreSetup.expression()), "the read-out covers the definition's saslJaasConfig");
    }

    @Test
    @Order(4)
    @RunAsClient
    @OperateOnDeployment("application")
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void noFileInTheServersConfigurationOrLogFoldersHoldsThePassword() throws Exception {
        ModelControllerClient client = management.getControllerClient();
        Path configuration = ServerFiles.directory(client, "jboss.server.config.dir");
        Path log = ServerFiles.directory(client, "jboss.server.log.dir");
        Map<Path, String> files = ServerFiles.textsBelow(configuration, log);
        System.out.printf("CredentialStoreSecretIT: read %d files under %s and %s%n", files.size(), configuration, log);
        SecretLeaks secrets = secrets();
        files.forEach((file, text) -> secrets.assertAbsent(file.toString(), text));

        String expression = CredentialStoreSetup.expression();
        assertTrue(files.get(configuration.resolve("standalone.xml")).contains(expression),
                "the server wrote the definition, with the expression, to standalone.xml");
        assertTrue(files.entrySet().stream().anyMatch(file -> file.getKey().startsWith(configuration.resolve("standalone_xml_history"))
                        && file.getValue().contains(expression)),
                "the configuration history was read, and it keeps the expression: " + files.keySet());
        assertTrue(files.get(log.resolve("server.log")).contains("sasl.jaas.config = [hidden]"),
                "the server log read is the one where Kafka logged the definition's engine configuration");
    }

    private static SecretLeaks secrets() {
        return new SecretLeaks(List.of(CredentialStoreSetup.appPassword()));
    }

    private ModelNode execute(ModelNode operation) throws Exception {
        ModelNode result = management.getControllerClient().execute(operation);
        assertTrue(Operations.isSuccessfulOutcome(result), () -> operation + " -> " + Operations.getFailureDescription(result));
        return Operations.readResult(result);
    }
}
