package io.kafkara.it.config;

import java.util.Map;

import org.jboss.as.arquillian.api.ServerSetupTask;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;

import io.kafkara.it.KafkaBrokerSetup;
import io.kafkara.it.broker.SharedKafka;

/**
 * Configures, through management operations, a second activation of the sample EAR's kafka-ra.rar: the brokers
 * on the resource adapter (a default the definition inherits), and a connection definition with a typed
 * property and a producerProperties entry. It exists before the EAR deploys, so it activates with it.
 */
public class ConfiguredDefinitionSetup implements ServerSetupTask {

    static final String JNDI_NAME = "java:/kafka/ConfigIT";
    static final int MAX_REQUEST_SIZE = 1024;

    private static final String ADAPTER = "kafka-config-it";

    @Override
    public void setup(ManagementClient client, String containerId) throws Exception {
        AdapterConfiguration configuration = AdapterConfiguration
                .forArchive(ADAPTER, "kafka-ra-sample.ear#kafka-ra.rar")
                .adapterProperties(Map.of("bootstrapServers", SharedKafka.get().bootstrapServers()))
                .definition("ConfigIT", JNDI_NAME, Map.of(
                        "keySerializer", "org.apache.kafka.common.serialization.StringSerializer",
                        "valueSerializer", "org.apache.kafka.common.serialization.StringSerializer",
                        "maxRequestSize", String.valueOf(MAX_REQUEST_SIZE),
                        "clientIdPrefix", "config-it",
                        "producerProperties", "# passed to Kafka as written\nenable.idempotence=false"));
        KafkaBrokerSetup.execute(client, configuration.operation());
    }

    @Override
    public void tearDown(ManagementClient client, String containerId) throws Exception {
        KafkaBrokerSetup.execute(client, Operations.createRemoveOperation(AdapterConfiguration.adapterAddress(ADAPTER)));
        // WildFly removes a resource adapter entry from the running server only on reload.
        ServerReload.reloadAndWait(client.getControllerClient());
    }
}
