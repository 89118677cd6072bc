package io.kafkara.it.admin;

import java.util.ArrayList;
import java.util.List;

import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

/** Read-only questions to the server's management model about the standalone adapter's configuration. */
final class AdapterModel {

    static final String ADAPTER = "kafka-ra.rar";

    private AdapterModel() {
    }

    static boolean isConfigured(ManagementClient client) throws Exception {
        ModelNode read = Operations.createReadResourceOperation(
                Operations.createAddress("subsystem", "resource-adapters", "resource-adapter", ADAPTER));
        return Operations.isSuccessfulOutcome(client.getControllerClient().execute(read));
    }

    /** {@code running}, or {@code reload-required} when an operation could not take effect at runtime. */
    static String serverState(ManagementClient client) throws Exception {
        return result(client, Operations.createReadAttributeOperation(new ModelNode().setEmptyList(), "server-state"))
                .asString();
    }

    /** The names bound under {@code java:/kafka/} in the server's JNDI tree. */
    static List<String> boundKafkaNames(ManagementClient client) throws Exception {
        ModelNode view = result(client, Operations.createOperation("jndi-view",
                Operations.createAddress("subsystem", "naming")));
        ModelNode kafka = view.get("java: contexts", "java:", "kafka", "children");
        return kafka.isDefined() ? new ArrayList<>(kafka.keys()) : List.of();
    }

    private static ModelNode result(ManagementClient client, ModelNode operation) throws Exception {
        ModelNode outcome = client.getControllerClient().execute(operation);
        if (!Operations.isSuccessfulOutcome(outcome)) {
            throw new IllegalStateException(operation + " failed: " + Operations.getFailureDescription(outcome));
        }
        return Operations.readResult(outcome);
    }
}
