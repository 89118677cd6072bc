package io.kafkara.it.pooling;

import java.util.Map;

import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

import io.kafkara.it.KafkaBrokerSetup;
import io.kafkara.it.admin.RemoveConfigAfterUndeploy;

/**
 * Configures, as an administrator would before deploying {@code kafka-ra.rar}, one connection definition whose pool
 * has an idle timeout of one minute, min-pool-size 1 with prefill and max-pool-size {@value #MAX_POOL_SIZE}. A
 * definition in the server's configuration (not in a deployment's ironjacamar.xml) is the one that WildFly gives
 * pool statistics. Removed after the test class with the operator's script.
 */
public class IdlePoolSetup extends RemoveConfigAfterUndeploy {

    static final String JNDI_NAME = "java:/kafka/Idle";
    static final String CLIENT_ID_PREFIX = "kafka-idle";
    static final int MAX_POOL_SIZE = 3;
    /** The adapter's name in the subsystem, which the operator's removal script expects. */
    private static final ModelNode ADAPTER = Operations.createAddress("subsystem", "resource-adapters",
            "resource-adapter", "kafka-ra.rar");
    static final ModelNode DEFINITION = append(ADAPTER, "connection-definitions", "KafkaIdle");

    @Override
    public void setup(ManagementClient client, String containerId) throws Exception {
        ModelNode adapter = Operations.createAddOperation(ADAPTER);
        adapter.get("archive").set("kafka-ra.rar");
        adapter.get("transaction-support").set("NoTransaction");
        ModelNode definition = Operations.createAddOperation(DEFINITION);
        definition.get("class-name").set("io.kafkara.spi.KafkaManagedConnectionFactory");
        definition.get("jndi-name").set(JNDI_NAME);
        definition.get("min-pool-size").set(1);
        definition.get("max-pool-size").set(MAX_POOL_SIZE);
        definition.get("pool-prefill").set(true);
        definition.get("idle-timeout-minutes").set(1);
        Operations.CompositeOperationBuilder batch = Operations.CompositeOperationBuilder.create()
                .addStep(adapter).addStep(definition);
        Map.of("bootstrapServers", "${" + KafkaBrokerSetup.BOOTSTRAP_PROPERTY + "}",
                "keySerializer", "org.apache.kafka.common.serialization.StringSerializer",
                "valueSerializer", "org.apache.kafka.common.serialization.StringSerializer",
                "clientIdPrefix", CLIENT_ID_PREFIX).forEach((name, value) -> {
                    ModelNode property = Operations.createAddOperation(append(DEFINITION, "config-properties", name));
                    property.get("value").set(value);
                    batch.addStep(property);
                });
        KafkaBrokerSetup.execute(client, batch.build().getOperation());
    }

    private static ModelNode append(ModelNode address, String type, String name) {
        ModelNode longer = address.clone();
        longer.add(type, name);
        return longer;
    }
}
