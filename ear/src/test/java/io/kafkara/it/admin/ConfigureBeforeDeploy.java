package io.kafkara.it.admin;

import org.jboss.as.arquillian.container.ManagementClient;

/**
 * Runs the operator's script ({@code src/cli/configure-kafka-ra.cli}) before Arquillian deploys
 * {@code kafka-ra.rar}, so the adapter is activated by its deployment; removes the configuration afterwards.
 */
public class ConfigureBeforeDeploy extends RemoveConfigAfterUndeploy {

    @Override
    public void setup(ManagementClient client, String containerId) throws Exception {
        JBossCli.runScript(client, JBossCli.CONFIGURE);
    }
}
