package io.kafkara.it.lifecycle;

import java.util.Map;

import org.jboss.as.arquillian.api.ServerSetupTask;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

import io.kafkara.it.KafkaBrokerSetup;
import io.kafkara.it.broker.SharedKafka;
import io.kafkara.it.config.AdapterConfiguration;

/**
 * The standalone adapter of ManyApplicationsIT, configured as by CLI before Arquillian deploys it: one definition
 * whose value serializer is a class every application packs itself ({@code shop.MarkerSerializer}), with the
 * setting only that serializer knows in pluginProperties, and one with the adapter's JSON-B serializer.
 */
public class PluginsActivation implements ServerSetupTask {

    static final String ARCHIVE = "kafka-ra.rar";
    static final String MARKERS = "java:/kafka/PluginsMarker";
    static final String JSON = "java:/kafka/PluginsJson";
    static final String PREFIX = "plugins";

    @Override
    public void setup(ManagementClient client, String containerId) throws Exception {
        String bootstrap = SharedKafka.get().bootstrapServers();
        KafkaBrokerSetup.execute(client, AdapterConfiguration.forArchive(ARCHIVE, ARCHIVE)
                .definition("PluginsMarker", MARKERS, Map.of("bootstrapServers", bootstrap,
                        "keySerializer", "org.apache.kafka.common.serialization.StringSerializer",
                        "valueSerializer", "shop.MarkerSerializer", "clientIdPrefix", "plugins-marker",
                        "pluginProperties", "shop.marker.prefix=" + PREFIX))
                .definition("PluginsJson", JSON, Map.of("bootstrapServers", bootstrap,
                        "keySerializer", "org.apache.kafka.common.serialization.StringSerializer",
                        "valueSerializer", "io.kafkara.serialization.JsonbSerializer", "clientIdPrefix",
                        "plugins-json"))
                .operation());
    }

    @Override
    public void tearDown(ManagementClient client, String containerId) throws Exception {
        ModelNode removed = client.getControllerClient().execute(Operations.createRemoveOperation(
                AdapterConfiguration.adapterAddress(ARCHIVE)));
        if (!Operations.isSuccessfulOutcome(removed)) {
            throw new IllegalStateException("Could not remove the plug-in test's adapter configuration: "
                    + Operations.getFailureDescription(removed));
        }
    }
}
