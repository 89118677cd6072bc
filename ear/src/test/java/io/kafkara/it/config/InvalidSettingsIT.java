package io.kafkara.it.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.OperationBuilder;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.kafkara.it.KafkaBrokerSetup;
import io.kafkara.it.StrictArchiveValidation;
import io.kafkara.it.broker.SharedKafka;

/**
 * What an administrator sees when a setting is wrong: the standalone kafka-ra.rar is configured in the
 * resource-adapters subsystem the way the console or CLI does it, then deployed. A bad value fails that deployment
 * with a message naming the definition, the key, the value and what Kafka allows, and never a secret; the server
 * keeps running and deploys the corrected configuration.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@ServerSetup({StrictArchiveValidation.class, KafkaBrokerSetup.class})
class InvalidSettingsIT {

    private static final String ARCHIVE = "kafka-ra-config-check.rar";
    private static final String ADAPTER = "kafka-config-check";
    private static final String POOL = "ConfigCheck";
    private static final String JNDI_NAME = "java:/kafka/ConfigCheck";
    private static final String SECRET = "s3cr3t-never-shown";

    @ArquillianResource
    private ManagementClient management;

    /** Arquillian hands a ManagementClient only to a class with a deployment: an (almost) empty one will do. */
    @Deployment(testable = false)
    static JavaArchive nothing() {
        return ShrinkWrap.create(JavaArchive.class, "invalid-settings-it.jar")
                .setManifest(new StringAsset("Manifest-Version: 1.0\n"));
    }

    /** Leaves the server as it found it; a removed resource adapter entry is gone only after a reload. */
    @AfterEach
    void removeDeploymentAndConfiguration() throws Exception {
        management.getControllerClient().execute(Operations.createRemoveOperation(deployment()));
        management.getControllerClient().execute(Operations.createRemoveOperation(
                AdapterConfiguration.adapterAddress(ADAPTER)));
        ServerReload.reloadAndWait(management.getControllerClient());
    }

    @Test
    void aWrongDefinitionValueFailsTheDeploymentNamingItAndTheServerDeploysTheCorrectedOne() throws Exception {
        AdapterConfiguration configuration = AdapterConfiguration.forArchive(ADAPTER, ARCHIVE)
                .adapterProperties(Map.of("bootstrapServers", SharedKafka.get().bootstrapServers(),
                        "sslTruststorePassword", SECRET))
                .definition(POOL, JNDI_NAME, Map.of(
                        "keySerializer", "org.apache.kafka.common.serialization.StringSerializer",
                        "valueSerializer", "org.apache.kafka.common.serialization.StringSerializer",
                        "lingerMs", "abc",
                        "producerProperties", "lingr.ms=5;ssl.keystore.password=" + SECRET));
        KafkaBrokerSetup.execute(management, configuration.operation());

        ModelNode failed = deployRar();

        String description = Operations.getFailureDescription(failed).asString();
        assertFalse(Operations.isSuccessfulOutcome(failed), "Expected the deployment to fail: " + failed);
        assertTrue(description.contains("linger.ms=abc (property lingerMs of the connection definition)"),
                description);
        assertTrue(description.contains("Not a number of type LONG"), description);
        assertTrue(description.contains("lingr.ms is not a Kafka producer setting; did you mean linger.ms?"),
                description);
        // IronJacamar names neither the pool nor the JNDI name before it binds the definition; WildFly names the
        // resource adapter entry, and the message shows the definition's values (secrets hidden) to tell which.
        assertTrue(description.contains(ADAPTER), "The resource adapter entry is named: " + description);
        assertTrue(description.contains("Invalid Kafka producer settings of the connection definition {"),
                description);
        assertTrue(description.contains("lingerMs=abc"), "The definition is shown by its values: " + description);
        assertFalse(description.contains(SECRET), "No secret in: " + description);
        assertEquals("running", serverState());

        ModelNode definition = AdapterConfiguration.forArchive(ADAPTER, ARCHIVE).definitionAddress(POOL);
        KafkaBrokerSetup.execute(management, Operations.createRemoveOperation(
                AdapterConfiguration.propertyAddress(definition, "lingerMs")));
        KafkaBrokerSetup.execute(management, Operations.createWriteAttributeOperation(
                AdapterConfiguration.propertyAddress(definition, "producerProperties"), "value", "linger.ms=5"));
        ServerReload.reloadAndWait(management.getControllerClient());

        ModelNode deployed = deployRar();

        assertTrue(Operations.isSuccessfulOutcome(deployed), "The corrected configuration deploys: " + deployed);
    }

    @Test
    void aWrongAdapterDefaultFailsTheDeploymentNamingTheKeyAndTheValue() throws Exception {
        AdapterConfiguration configuration = AdapterConfiguration.forArchive(ADAPTER, ARCHIVE)
                .adapterProperties(Map.of("bootstrapServers", SharedKafka.get().bootstrapServers(),
                        "securityProtocol", "PLAINTEXTT"))
                .definition(POOL, JNDI_NAME, Map.of(
                        "keySerializer", "org.apache.kafka.common.serialization.StringSerializer",
                        "valueSerializer", "org.apache.kafka.common.serialization.StringSerializer"));
        KafkaBrokerSetup.execute(management, configuration.operation());

        ModelNode failed = deployRar();

        String description = Operations.getFailureDescription(failed).asString();
        assertFalse(Operations.isSuccessfulOutcome(failed), "Expected the deployment to fail: " + failed);
        assertTrue(description.contains("security.protocol=PLAINTEXTT (property securityProtocol of the resource "
                + "adapter)"), description);
        assertTrue(description.contains("SASL_SSL"), "What Kafka allows is named: " + description);
        assertEquals("running", serverState());
    }

    /** Deploys the adapter as built (ra/target/kafka-ra.rar, copied by this module's build) under another name. */
    private ModelNode deployRar() throws Exception {
        ModelNode add = Operations.createAddOperation(deployment());
        add.get("enabled").set(true);
        add.get("content").add().get("input-stream-index").set(0);
        try (InputStream rar = Files.newInputStream(Path.of("target", "rar", "kafka-ra.rar"))) {
            return management.getControllerClient().execute(OperationBuilder.create(add).addInputStream(rar).build());
        }
    }

    private String serverState() {
        return ServerReload.serverState(management.getControllerClient());
    }

    private static ModelNode deployment() {
        return Operations.createAddress("deployment", ARCHIVE);
    }
}
