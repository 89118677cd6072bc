package io.kafkara.it.lifecycle;

import org.jboss.as.arquillian.api.ServerSetupTask;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

import io.kafkara.it.broker.SharedKafka;

/**
 * Activates a standalone {@code kafka-ra.rar} the way an administrator does in the console or CLI: a
 * resource-adapters subsystem entry with the adapter's {@code shutdownTimeoutMs} and one connection definition.
 * The entry outlives deployments: every deploy of the archive activates it again.
 */
public class StandaloneRarActivation implements ServerSetupTask {

    static final String ARCHIVE = "kafka-ra.rar";
    static final String JNDI_NAME = "java:/kafka/Lifecycle";
    static final String SHUTDOWN_TIMEOUT_MS = "10000";

    private static final ModelNode ADAPTER = Operations.createAddress("subsystem", "resource-adapters",
            "resource-adapter", "kafka-ra-lifecycle");

    @Override
    public void setup(ManagementClient client, String containerId) throws Exception {
        Operations.CompositeOperationBuilder steps = Operations.CompositeOperationBuilder.create();
        ModelNode adapter = Operations.createAddOperation(ADAPTER);
        adapter.get("archive").set(ARCHIVE);
        adapter.get("transaction-support").set("NoTransaction");
        steps.addStep(adapter);
        steps.addStep(property(ADAPTER, "shutdownTimeoutMs", SHUTDOWN_TIMEOUT_MS));
        ModelNode definition = child(ADAPTER, "connection-definitions", "KafkaLifecycle");
        ModelNode addDefinition = Operations.createAddOperation(definition);
        addDefinition.get("class-name").set("io.kafkara.spi.KafkaManagedConnectionFactory");
        addDefinition.get("jndi-name").set(JNDI_NAME);
        steps.addStep(addDefinition);
        steps.addStep(property(definition, "bootstrapServers", SharedKafka.get().bootstrapServers()));
        steps.addStep(property(definition, "keySerializer", "org.apache.kafka.common.serialization.StringSerializer"));
        steps.addStep(property(definition, "valueSerializer", "org.apache.kafka.common.serialization.StringSerializer"));
        execute(client, steps.build().getOperation());
    }

    @Override
    public void tearDown(ManagementClient client, String containerId) throws Exception {
        execute(client, Operations.createRemoveOperation(ADAPTER));
    }

    private static ModelNode property(ModelNode parent, String name, String value) {
        ModelNode add = Operations.createAddOperation(child(parent, "config-properties", name));
        add.get("value").set(value);
        return add;
    }

    private static ModelNode child(ModelNode parent, String type, String name) {
        ModelNode address = parent.clone();
        address.add(type, name);
        return address;
    }

    private static void execute(ManagementClient client, ModelNode operation) throws Exception {
        ModelNode result = client.getControllerClient().execute(operation);
        if (!Operations.isSuccessfulOutcome(result)) {
            throw new IllegalStateException("Management operation failed: " + operation + " -> "
                    + Operations.getFailureDescription(result));
        }
    }
}
