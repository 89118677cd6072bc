package io.kafkara.it.security;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jboss.as.arquillian.api.ServerSetupTask;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

import io.kafkara.it.KafkaBrokerSetup;
import io.kafkara.it.Topics;
import io.kafkara.it.broker.ClusterTls;
import io.kafkara.it.broker.KafkaCluster;

/**
 * A dedicated single-node cluster whose client listener requires TLS with a client certificate, with the test topic
 * created over TLS, and server system properties (read by the test deployment's connection definitions, as an
 * administrator would keep store locations and passwords out of the descriptor) naming its address, the stores and
 * their passwords. Removes the properties and kills the cluster afterwards. Runs in the test JVM, which owns the
 * broker, so the client-side steps read back through it.
 */
public class TlsClusterSetup implements ServerSetupTask {

    static final String BOOTSTRAP = "kafka.tls.bootstrap.servers";
    static final String TRUSTSTORE = "kafka.tls.truststore.location";
    static final String TRUSTSTORE_PASSWORD = "kafka.tls.truststore.password";
    static final String KEYSTORE = "kafka.tls.keystore.location";
    static final String KEYSTORE_PASSWORD = "kafka.tls.keystore.password";
    static final String UNTRUSTED_TRUSTSTORE = "kafka.tls.untrusted.truststore.location";
    static final String UNTRUSTED_TRUSTSTORE_PASSWORD = "kafka.tls.untrusted.truststore.password";

    private static KafkaCluster cluster;

    @Override
    public void setup(ManagementClient client, String containerId) throws Exception {
        long start = System.nanoTime();
        KafkaCluster started = KafkaCluster.builder().brokers(1).tls().start();
        cluster = started;
        long brokerMs = (System.nanoTime() - start) / 1_000_000;
        Topics.create(started.bootstrapServers(), started.clientProperties(), TlsIT.TOPIC, 1);
        for (Map.Entry<String, String> property : systemProperties(started).entrySet()) {
            ModelNode add = Operations.createAddOperation(address(property.getKey()));
            add.get("value").set(property.getValue());
            KafkaBrokerSetup.execute(client, add);
        }
        System.out.printf("TlsIT: TLS cluster (CA, stores, broker) started in %d ms, topic created and properties set after "
                + "%d ms%n", brokerMs, (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public void tearDown(ManagementClient client, String containerId) throws Exception {
        KafkaCluster started = cluster;
        cluster = null;
        try {
            if (started != null) {
                for (String name : systemProperties(started).keySet()) {
                    KafkaBrokerSetup.execute(client, Operations.createRemoveOperation(address(name)));
                }
            }
        } finally {
            if (started != null) {
                started.close();
            }
        }
    }

    /** The running TLS cluster, for the client-side steps of the test. */
    static KafkaCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("TlsClusterSetup has not run in this JVM: add it to @ServerSetup");
        }
        return cluster;
    }

    private static Map<String, String> systemProperties(KafkaCluster started) {
        ClusterTls tls = started.tls();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(BOOTSTRAP, started.bootstrapServers());
        properties.put(TRUSTSTORE, tls.truststore().toString());
        properties.put(TRUSTSTORE_PASSWORD, tls.truststorePassword());
        properties.put(KEYSTORE, tls.clientKeystore().toString());
        properties.put(KEYSTORE_PASSWORD, tls.clientKeystorePassword());
        properties.put(UNTRUSTED_TRUSTSTORE, tls.untrustedTruststore().toString());
        properties.put(UNTRUSTED_TRUSTSTORE_PASSWORD, tls.untrustedTruststorePassword());
        return properties;
    }

    private static ModelNode address(String name) {
        return Operations.createAddress("system-property", name);
    }
}
