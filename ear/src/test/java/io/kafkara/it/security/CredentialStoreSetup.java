package io.kafkara.it.security;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;

import org.jboss.as.arquillian.api.ServerSetupTask;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

import io.kafkara.it.KafkaBrokerSetup;
import io.kafkara.it.Topics;
import io.kafkara.it.broker.KafkaCluster;

/**
 * An operator's setup with the SASL password kept in an Elytron credential store: a single-node cluster that
 * requires SASL/PLAIN, then on the server the store and its resolver ({@link EncryptedExpressions}) and, in the
 * resource-adapters subsystem, an adapter for the plain {@code kafka-ra.rar} with one SASL definition whose
 * {@code saslJaasConfig} is the encrypted expression of the whole JAAS line. It exists before Arquillian deploys
 * the adapter, so the deployment activates it. The passwords are new every run, so that any occurrence anywhere
 * is this run's leak.
 */
public class CredentialStoreSetup implements ServerSetupTask {

    static final String JNDI_NAME = "java:/kafka/CredentialStoreSasl";
    static final String TOPIC = "credential-store-orders";
    static final long MAX_BLOCK_MS = 5_000;

    private static final String ADAPTER = "kafka-credential-store-it";
    private static final String DEFINITION = "CredentialStoreSasl";
    private static final String APP_USER = "app";

    private static KafkaCluster cluster;
    private static String appPassword;
    private static String expression;

    @Override
    public void setup(ManagementClient client, String containerId) throws Exception {
        long start = System.nanoTime();
        String password = "Cs-app-" + UUID.randomUUID();
        appPassword = password;
        cluster = KafkaCluster.builder().brokers(1)
                .saslPlain("admin", "Cs-admin-" + UUID.randomUUID(), Map.of(APP_USER, password))
                .start();
        Topics.create(cluster.bootstrapServers(), cluster.clientProperties(), TOPIC, 1);
        EncryptedExpressions secrets = new EncryptedExpressions(client.getControllerClient());
        secrets.install();
        expression = secrets.encrypt("org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + APP_USER + "\" password=\"" + password + "\";");
        KafkaBrokerSetup.execute(client, adapter(cluster.bootstrapServers(), expression));
        System.out.printf("CredentialStoreSecretIT: SASL cluster, credential store and adapter ready in %d ms%n",
                (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Runs after Arquillian undeployed the adapter, so removing its configuration needs no reload; the test
     * classes that run next in this server find it as it was.
     */
    @Override
    public void tearDown(ManagementClient client, String containerId) throws Exception {
        // try-with-resources closes the cluster (and skips a null one) whatever the removals do.
        try (KafkaCluster started = cluster) {
            cluster = null;
            KafkaBrokerSetup.execute(client, Operations.createRemoveOperation(adapterAddress()));
            new EncryptedExpressions(client.getControllerClient()).uninstall();
            requireRunning(client);
        }
    }

    /** The running SASL cluster, whose client properties are the admin user's. */
    static KafkaCluster cluster() {
        return required(cluster);
    }

    /** The app user's password, the secret the test looks for. */
    static String appPassword() {
        return required(appPassword);
    }

    /** What create-expression returned and the definition's saslJaasConfig holds. */
    static String expression() {
        return required(expression);
    }

    static ModelNode saslJaasConfigAddress() {
        ModelNode address = definitionAddress();
        address.add("config-properties", "saslJaasConfig");
        return address;
    }

    private static ModelNode adapter(String bootstrapServers, String saslJaasConfig) {
        Operations.CompositeOperationBuilder steps = Operations.CompositeOperationBuilder.create();
        ModelNode adapter = Operations.createAddOperation(adapterAddress());
        adapter.get("archive").set("kafka-ra.rar");
        adapter.get("transaction-support").set("NoTransaction");
        steps.addStep(adapter);
        ModelNode definition = Operations.createAddOperation(definitionAddress());
        definition.get("class-name").set("io.kafkara.spi.KafkaManagedConnectionFactory");
        definition.get("jndi-name").set(JNDI_NAME);
        steps.addStep(definition);
        Map.of("bootstrapServers", bootstrapServers,
                "keySerializer", "org.apache.kafka.common.serialization.StringSerializer",
                "valueSerializer", "org.apache.kafka.common.serialization.StringSerializer",
                "securityProtocol", "SASL_PLAINTEXT",
                "saslMechanism", "PLAIN",
                "saslJaasConfig", saslJaasConfig,
                "maxBlockMs", String.valueOf(MAX_BLOCK_MS),
                "clientIdPrefix", "credential-store-it").forEach((name, value) -> {
                    ModelNode address = definitionAddress();
                    address.add("config-properties", name);
                    ModelNode property = Operations.createAddOperation(address);
                    property.get("value").set(value);
                    steps.addStep(property);
                });
        return steps.build().getOperation();
    }

    private static ModelNode adapterAddress() {
        return Operations.createAddress("subsystem", "resource-adapters", "resource-adapter", ADAPTER);
    }

    private static ModelNode definitionAddress() {
        ModelNode address = adapterAddress();
        address.add("connection-definitions", DEFINITION);
        return address;
    }

    private static void requireRunning(ManagementClient client) throws IOException {
        ModelNode read = client.getControllerClient().execute(
                Operations.createReadAttributeOperation(new ModelNode().setEmptyList(), "server-state"));
        String state = Operations.readResult(read).asString();
        if (!"running".equals(state)) {
            throw new IllegalStateException("After removing the adapter " + ADAPTER + " and the credential store the server is "
                    + state + " instead of running, as the next test classes need it");
        }
    }

    private static <T> T required(T value) {
        if (value == null) {
            throw new IllegalStateException("CredentialStoreSetup has not run in this JVM: add it to @ServerSetup");
        }
        return value;
    }
}
