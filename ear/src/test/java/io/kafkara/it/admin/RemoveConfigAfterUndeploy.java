package io.kafkara.it.admin;

import org.jboss.as.arquillian.api.ServerSetupTask;
import org.jboss.as.arquillian.container.ManagementClient;

/**
 * After the test class's deployments are undeployed, removes the adapter's configuration with the operator's
 * script ({@code src/cli/remove-kafka-ra.cli}) and checks that the server needs no reload, so the test classes
 * that run next in the same server find it as it was.
 */
public class RemoveConfigAfterUndeploy implements ServerSetupTask {

    @Override
    public void setup(ManagementClient client, String containerId) throws Exception {
        // The configuration is created by the subclass or by the test itself.
    }

    @Override
    public void tearDown(ManagementClient client, String containerId) throws Exception {
        if (AdapterModel.isConfigured(client)) {
            JBossCli.runScript(client, JBossCli.REMOVE);
        }
        String state = AdapterModel.serverState(client);
        if (!"running".equals(state)) {
            throw new IllegalStateException("After removing the " + AdapterModel.ADAPTER
                    + " configuration the server is " + state + " instead of running");
        }
    }
}
