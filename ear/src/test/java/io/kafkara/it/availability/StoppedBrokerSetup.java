package io.kafkara.it.availability;

import org.jboss.as.arquillian.api.ServerSetupTask;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

import io.kafkara.it.KafkaBrokerSetup;
import io.kafkara.it.broker.KafkaCluster;

/**
 * A broker that is down when the EAR deploys: starts a dedicated single-node cluster (so its address is real and
 * stays reserved), stops it, and points the server's {@code kafka.bootstrap.servers} (read by the sample EAR's
 * activation at deploy time) at it. Restores the property's previous state after the class's deployment is gone.
 * Runs in the test JVM, which owns the broker process, so the client-side test steps restart it from here.
 */
public class StoppedBrokerSetup implements ServerSetupTask {

    private static KafkaCluster cluster;
    private ModelNode previousValue;

    @Override
    public void setup(ManagementClient client, String containerId) throws Exception {
        KafkaCluster started = KafkaCluster.builder().brokers(1).start();
        String address = started.bootstrapServers();
        started.stop(0);
        cluster = started;

        ModelNode current = client.getControllerClient().execute(
                Operations.createReadAttributeOperation(propertyAddress(), "value"));
        if (Operations.isSuccessfulOutcome(current)) {
            previousValue = Operations.readResult(current);
            KafkaBrokerSetup.execute(client,
                    Operations.createWriteAttributeOperation(propertyAddress(), "value", address));
        } else {
            ModelNode add = Operations.createAddOperation(propertyAddress());
            add.get("value").set(address);
            KafkaBrokerSetup.execute(client, add);
        }
    }

    @Override
    public void tearDown(ManagementClient client, String containerId) throws Exception {
        try {
            if (previousValue != null) {
                KafkaBrokerSetup.execute(client,
                        Operations.createWriteAttributeOperation(propertyAddress(), "value", previousValue));
            } else {
                KafkaBrokerSetup.execute(client, Operations.createRemoveOperation(propertyAddress()));
            }
        } finally {
            KafkaCluster stopped = cluster;
            cluster = null;
            if (stopped != null) {
                stopped.close();
            }
        }
    }

    /** Brings the stopped broker back on the same address; returns once it answers. */
    static void restartBroker() {
        if (cluster == null) {
            throw new IllegalStateException("StoppedBrokerSetup has not run in this JVM: add it to @ServerSetup");
        }
        cluster.restart(0);
    }

    private static ModelNode propertyAddress() {
        return Operations.createAddress("system-property", KafkaBrokerSetup.BOOTSTRAP_PROPERTY);
    }
}
