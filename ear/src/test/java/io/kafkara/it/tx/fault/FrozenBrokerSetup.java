package io.kafkara.it.tx.fault;

import org.jboss.as.arquillian.api.ServerSetupTask;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

import io.kafkara.it.KafkaBrokerSetup;
import io.kafkara.it.broker.KafkaCluster;
import io.kafkara.it.tx.BranchJournalSetup;

/**
 * A single-node broker of its own for the freeze tests (freezing the run's shared broker would stall every other
 * definition of the server), its branch journal topic, and the server system property
 * {@value #BOOTSTRAP_PROPERTY} that the test's connection definitions read when the EAR deploys. The broker lives
 * in the test JVM, so the test can send it SIGSTOP and SIGCONT by its pid.
 */
public class FrozenBrokerSetup implements ServerSetupTask {

    public static final String BOOTSTRAP_PROPERTY = "kafka.frozen.bootstrap.servers";

    private static KafkaCluster cluster;

    @Override
    public void setup(ManagementClient client, String containerId) throws Exception {
        KafkaCluster started = KafkaCluster.builder().brokers(1).start();
        cluster = started;
        BranchJournalSetup.createJournal(started.bootstrapServers());
        ModelNode add = Operations.createAddOperation(propertyAddress());
        add.get("value").set(started.bootstrapServers());
        KafkaBrokerSetup.execute(client, add);
    }

    @Override
    public void tearDown(ManagementClient client, String containerId) throws Exception {
        try {
            KafkaBrokerSetup.execute(client, Operations.createRemoveOperation(propertyAddress()));
        } finally {
            KafkaCluster stopped = cluster;
            cluster = null;
            if (stopped != null) {
                // SIGKILL also ends a node that a failed test left stopped.
                stopped.close();
            }
        }
    }

    static String bootstrapServers() {
        return started().bootstrapServers();
    }

    static long pid() {
        return started().pid(0);
    }

    private static KafkaCluster started() {
        if (cluster == null) {
            throw new IllegalStateException("FrozenBrokerSetup has not run in this JVM: add it to @ServerSetup");
        }
        return cluster;
    }

    private static ModelNode propertyAddress() {
        return Operations.createAddress("system-property", BOOTSTRAP_PROPERTY);
    }
}
