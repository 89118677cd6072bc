package io.kafkara.it;

import org.jboss.as.arquillian.api.ServerSetupTask;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

/**
 * Makes IronJacamar's archive validator reject the adapter on warnings too, so every deployment in the tests
 * proves that {@code kafka-ra.rar} passes validation with fail-on-warn.
 */
public class StrictArchiveValidation implements ServerSetupTask {

    @Override
    public void setup(ManagementClient client, String containerId) throws Exception {
        KafkaBrokerSetup.execute(client, failOnWarn(true));
    }

    @Override
    public void tearDown(ManagementClient client, String containerId) throws Exception {
        KafkaBrokerSetup.execute(client, failOnWarn(false));
    }

    private static ModelNode failOnWarn(boolean value) {
        ModelNode address = Operations.createAddress("subsystem", "jca", "archive-validation", "archive-validation");
        return Operations.createWriteAttributeOperation(address, "fail-on-warn", value);
    }
}
