package io.kafkara.it.security;

import java.util.Map;

import org.jboss.as.arquillian.api.ServerSetupTask;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

import io.kafkara.it.KafkaBrokerSetup;
import io.kafkara.it.Topics;
import io.kafkara.it.broker.KafkaCluster;

/**
 * A dedicated single-node cluster whose client listener requires SASL/PLAIN (users admin and app), with the
 * test topic created as admin, and the server's system property {@value #BOOTSTRAP_PROPERTY} (read by the test
 * deployment's connection definitions) pointing at it. Removes the property and kills the cluster afterwards.
 * Runs in the test JVM, which owns the broker, so the client-side steps read back through it.
 */
public class SaslClusterSetup implements ServerSetupTask {

    static final String BOOTSTRAP_PROPERTY = "kafka.sasl.bootstrap.servers";

    private static KafkaCluster cluster;

    @Override
    public void setup(ManagementClient client, String containerId) throws Exception {
        long start = System.nanoTime();
        KafkaCluster started = KafkaCluster.builder().brokers(1)
                .saslPlain(SaslIT.ADMIN_USER, SaslIT.ADMIN_PASSWORD, Map.of(SaslIT.APP_USER, SaslIT.APP_PASSWORD))
                .start();
        cluster = started;
        Topics.create(started.bootstrapServers(), started.clientProperties(), SaslIT.TOPIC, 1);
        ModelNode add = Operations.createAddOperation(propertyAddress());
        add.get("value").set(started.bootstrapServers());
        KafkaBrokerSetup.execute(client, add);
        System.out.printf("SaslIT: SASL cluster started and topic created in %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public void tearDown(ManagementClient client, String containerId) throws Exception {
        try {
            KafkaBrokerSetup.execute(client, Operations.createRemoveOperation(propertyAddress()));
        } finally {
            KafkaCluster started = cluster;
            cluster = null;
            if (started != null) {
                started.close();
            }
        }
    }

    /** The running SASL cluster, for the client-side steps of the test. */
    static KafkaCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("SaslClusterSetup has not run in this JVM: add it to @ServerSetup");
        }
        return cluster;
    }

    private static ModelNode propertyAddress() {
        return Operations.createAddress("system-property", BOOTSTRAP_PROPERTY);
    }
}
