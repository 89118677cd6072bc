package io.kafkara.it.faults;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jboss.as.arquillian.api.ServerSetupTask;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

import io.kafkara.it.KafkaBrokerSetup;
import io.kafkara.it.broker.KafkaCluster;
import io.kafkara.it.config.AdapterConfiguration;

/**
 * Three real brokers (replication 3, min.insync.replicas=2, a killed node fenced after 3 s) for the broker fault
 * scenarios, and the standalone adapter configured for them before Arquillian deploys it: one definition per
 * transaction support, each with a request timeout of 6 s so a frozen broker outlasts it. Runs in the test JVM, which
 * owns the broker processes, so the tests kill, freeze and restart them from here. Removes the configuration after
 * the class's deployments are gone.
 */
public class FaultClusterSetup implements ServerSetupTask {

    static final String ADAPTER = "kafka-ra.rar";
    static final String PLAIN = "java:/kafka/FaultPlain";
    static final String LOCAL = "java:/kafka/FaultLocal";
    static final String XA = "java:/kafka/FaultXa";
    static final String REQUEST_TIMEOUT_MS = "6000";

    private static KafkaCluster cluster;

    /** The running cluster; only between this setup and its tear-down. */
    static KafkaCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("FaultClusterSetup has not run in this JVM: add it to @ServerSetup");
        }
        return cluster;
    }

    @Override
    public void setup(ManagementClient client, String containerId) throws Exception {
        cluster = KafkaCluster.builder().brokers(3).start();
        String bootstrap = cluster.bootstrapServers();
        KafkaBrokerSetup.execute(client, AdapterConfiguration.forXaArchive(ADAPTER, ADAPTER)
                .definition("FaultPlain", PLAIN, definition(bootstrap, "fault-plain"))
                .definition("FaultLocal", LOCAL, transactional(bootstrap, "fault-local", "LocalTransaction"))
                .definition("FaultXa", XA, Map.of("recovery-username", "recovery", "recovery-password", "recovery"),
                        xa(bootstrap))
                .operation());
    }

    private static Map<String, String> definition(String bootstrap, String clientIdPrefix) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("bootstrapServers", bootstrap);
        properties.put("keySerializer", "org.apache.kafka.common.serialization.StringSerializer");
        properties.put("valueSerializer", "org.apache.kafka.common.serialization.StringSerializer");
        properties.put("clientIdPrefix", clientIdPrefix);
        properties.put("requestTimeoutMs", REQUEST_TIMEOUT_MS);
        return properties;
    }

    private static Map<String, String> transactional(String bootstrap, String prefix, String level) {
        Map<String, String> properties = definition(bootstrap, prefix);
        properties.put("transactionSupportLevel", level);
        properties.put("transactionalIdPrefix", prefix);
        return properties;
    }

    private static Map<String, String> xa(String bootstrap) {
        Map<String, String> properties = transactional(bootstrap, "fault-xa", "XATransaction");
        properties.put("branchJournalTopic", "kafka-ra-fault-branches");
        return properties;
    }

    @Override
    public void tearDown(ManagementClient client, String containerId) throws Exception {
        try {
            ModelNode removed = client.getControllerClient().execute(Operations.createRemoveOperation(
                    AdapterConfiguration.adapterAddress(ADAPTER)));
            if (!Operations.isSuccessfulOutcome(removed)) {
                throw new IllegalStateException("Could not remove the fault scenarios' adapter configuration: "
                        + Operations.getFailureDescription(removed));
            }
        } finally {
            KafkaCluster started = cluster;
            cluster = null;
            if (started != null) {
                started.close();
            }
        }
    }
}
