package io.kafkara.it.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.as.arquillian.container.ManagementClient;
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
import io.kafkara.it.security.SecretLeaks;

/**
 * What an administrator sees when a setting is wrong: the standalone kafka-ra.rar is configured in the
 * resource-adapters subsystem the way the console or CLI does it, then deployed. A bad definition value is reported
 * (and only that definition refuses connections); a bad adapter default fails the deployment. Each message names
 * the key, the value and what Kafka allows, and never a secret; the server keeps running.
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

    /**
     * A wrong definition value no longer fails the deployment (that would unbind every definition of the adapter): the
     * adapter deploys, logs one ERROR naming the definition, the key, the value and what Kafka allows, never a
     * secret, and that definition refuses its connections with the same message (OneBadDefinitionTest). The corrected
     * configuration deploys without the ERROR.
     */
    @Test
    void aWrongDefinitionValueIsReportedNamingItAndTheAdapterStillDeploys() throws Exception {
        AdapterConfiguration configuration = AdapterConfiguration.forArchive(ADAPTER, ARCHIVE)
                .adapterProperties(Map.of("bootstrapServers", SharedKafka.get().bootstrapServers(),
                        "sslTruststorePassword", SECRET))
                .definition(POOL, JNDI_NAME, Map.of(
                        "keySerializer", "org.apache.kafka.common.serialization.StringSerializer",
                        "valueSerializer", "org.apache.kafka.common.serialization.StringSerializer",
                        "clientIdPrefix", "config-check",
                        "lingerMs", "abc",
                        "producerProperties", "lingr.ms=5;ssl.keystore.password=" + SECRET));
        KafkaBrokerSetup.execute(management, configuration.operation());
        long logStart = serverLogLength();

        ModelNode deployed = deployRar();

        assertTrue(Operations.isSuccessfulOutcome(deployed), "One bad definition must not fail the adapter: " + deployed);
        String error = newLogLines(logStart).stream().filter(line -> line.contains("KAFKARA-RA-010")).findFirst()
                .orElseThrow(() -> new AssertionError("no KAFKARA-RA-010 line for the bad definition"));
        assertTrue(error.contains(" ERROR "), error);
        assertTrue(error.contains("The connection definition with clientIdPrefix=config-check cannot serve "
                + "connections"), "the definition is named by its clientIdPrefix: " + error);
        assertTrue(error.contains("linger.ms=abc (property lingerMs of the connection definition)"), error);
        assertTrue(error.contains("Not a number of type LONG"), error);
        assertTrue(error.contains("lingr.ms is not a Kafka producer setting; did you mean linger.ms?"), error);
        assertFalse(error.contains(SECRET), "No secret in: " + error);
        assertEquals("running", serverState());

        management.getControllerClient().execute(Operations.createRemoveOperation(deployment()));
        ModelNode definition = AdapterConfiguration.forArchive(ADAPTER, ARCHIVE).definitionAddress(POOL);
        KafkaBrokerSetup.execute(management, Operations.createRemoveOperation(
                AdapterConfiguration.propertyAddress(definition, "lingerMs")));
        KafkaBrokerSetup.execute(management, Operations.createWriteAttributeOperation(
                AdapterConfiguration.propertyAddress(definition, "producerProperties"), "value", "linger.ms=5"));
        ServerReload.reloadAndWait(management.getControllerClient());
        long correctedStart = serverLogLength();

        ModelNode corrected = deployRar();

        assertTrue(Operations.isSuccessfulOutcome(corrected), "The corrected configuration deploys: " + corrected);
        assertTrue(newLogLines(correctedStart).stream().noneMatch(line -> line.contains("KAFKARA-RA-010")),
                "no ERROR for the corrected definition");
    }

    private long serverLogLength() throws Exception {
        return LogSince.mark(SecretLeaks.serverLog(management));
    }

    private java.util.List<String> newLogLines(long from) throws Exception {
        return LogSince.lines(SecretLeaks.serverLog(management), from);
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

    private ModelNode deployRar() throws Exception {
        return BuiltRarDeployment.deploy(management.getControllerClient(), ARCHIVE);
    }

    private String serverState() {
        return ServerReload.serverState(management.getControllerClient());
    }

    private static ModelNode deployment() {
        return Operations.createAddress("deployment", ARCHIVE);
    }
}
