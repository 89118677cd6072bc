package io.kafkara.it.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.kafkara.it.KafkaBrokerSetup;
import io.kafkara.it.StrictArchiveValidation;

/**
 * The other order an operator may choose: {@code kafka-ra.rar} is deployed first (inert, nothing bound), then
 * {@code src/cli/configure-kafka-ra.cli} adds the configuration and activates it without a reload. Then a real
 * browser (headless Chromium over CDP) logs in to the admin console with HTTP Digest and reads the adapter's page:
 * both connection definitions, their JNDI names and config properties are shown as configured. The page's
 * screenshot is left at {@code target/browser/admin-console-resource-adapter.png}.
 */
@ExtendWith(ArquillianExtension.class)
@ServerSetup({StrictArchiveValidation.class, KafkaBrokerSetup.class, ConsoleUser.class, RemoveConfigAfterUndeploy.class})
@RunAsClient
class AdminConsoleIT {

    private static final String STRINGS = "org.apache.kafka.common.serialization.StringSerializer";
    private static final String BYTES = "org.apache.kafka.common.serialization.ByteArraySerializer";
    private static final String FACTORY = "io.kafkara.spi.KafkaManagedConnectionFactory";

    private static List<String> boundBeforeScript;

    @ArquillianResource
    private ManagementClient client;

    @Deployment(name = "adapter", testable = false)
    static ResourceAdapterArchive adapter() {
        return StandaloneAdapter.asBuilt();
    }

    @Test
    void theScriptActivatesTheAlreadyDeployedAdapterWithoutAReload() throws Exception {
        configureOnce();

        assertEquals(List.of(), boundBeforeScript, "kafka-ra.rar without configuration binds nothing");
        assertEquals(Set.of("Strings", "Bytes"), Set.copyOf(AdapterModel.boundKafkaNames(client)), "bound under java:/kafka/");
        assertEquals("running", AdapterModel.serverState(client));
    }

    @Test
    void theConsoleShowsBothConnectionDefinitionsAsConfigured() throws Exception {
        configureOnce();
        Path screenshot = Path.of(System.getProperty("console.check.dir", "target/browser"),
                "admin-console-resource-adapter.png");
        Files.deleteIfExists(screenshot);

        List<String> shown = ConsoleCheck.adapterPage(client, AdapterModel.ADAPTER, screenshot).stream()
                .filter(line -> line.startsWith("connection-definition "))
                .sorted()
                .toList();

        assertEquals(List.of(
                "connection-definition KafkaBytes class-name " + FACTORY,
                "connection-definition KafkaBytes config-property bootstrapServers ${kafka.bootstrap.servers}",
                "connection-definition KafkaBytes config-property keySerializer " + BYTES,
                "connection-definition KafkaBytes config-property valueSerializer " + BYTES,
                "connection-definition KafkaBytes jndi-name java:/kafka/Bytes",
                "connection-definition KafkaStrings class-name " + FACTORY,
                "connection-definition KafkaStrings config-property bootstrapServers ${kafka.bootstrap.servers}",
                "connection-definition KafkaStrings config-property keySerializer " + STRINGS,
                "connection-definition KafkaStrings config-property valueSerializer " + STRINGS,
                "connection-definition KafkaStrings jndi-name java:/kafka/Strings"), shown);
        assertTrue(Files.size(screenshot) > 10_000, "a screenshot of the page at " + screenshot);
    }

    /** The script runs once, after Arquillian deployed the adapter, whichever test comes first. */
    private void configureOnce() throws Exception {
        if (!AdapterModel.isConfigured(client)) {
            boundBeforeScript = AdapterModel.boundKafkaNames(client);
            JBossCli.runScript(client, JBossCli.CONFIGURE);
        }
    }
}
