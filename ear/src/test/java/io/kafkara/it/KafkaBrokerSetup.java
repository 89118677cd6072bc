package io.kafkara.it;

import org.jboss.as.arquillian.api.ServerSetupTask;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

import io.kafkara.it.broker.SharedKafka;

/**
 * Starts the run's shared Kafka broker (a real process) and tells the server where it is, through the system
 * property that the sample EAR's activation reads ({@code kafka.bootstrap.servers}), before the EAR deploys.
 */
public class KafkaBrokerSetup implements ServerSetupTask {

    public static final String BOOTSTRAP_PROPERTY = "kafka.bootstrap.servers";

    @Override
    public void setup(ManagementClient client, String containerId) throws Exception {
        ModelNode add = Operations.createAddOperation(propertyAddress());
        add.get("value").set(SharedKafka.get().bootstrapServers());
        execute(client, add);
    }

    @Override
    public void tearDown(ManagementClient client, String containerId) throws Exception {
        execute(client, Operations.createRemoveOperation(propertyAddress()));
    }

    private static ModelNode propertyAddress() {
        return Operations.createAddress("system-property", BOOTSTRAP_PROPERTY);
    }

    public static void execute(ManagementClient client, ModelNode operation) throws Exception {
        ModelNode result = client.getControllerClient().execute(operation);
        if (!Operations.isSuccessfulOutcome(result)) {
            throw new IllegalStateException("Management operation failed: " + operation + " -> "
                    + Operations.getFailureDescription(result));
        }
    }
}
