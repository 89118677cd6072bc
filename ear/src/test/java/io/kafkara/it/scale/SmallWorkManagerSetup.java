package io.kafkara.it.scale;

import java.util.List;
import java.util.Map;

import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

import io.kafkara.it.KafkaBrokerSetup;
import io.kafkara.it.admin.RemoveConfigAfterUndeploy;
import io.kafkara.it.broker.SharedKafka;
import io.kafkara.it.config.AdapterConfiguration;
import io.kafkara.it.config.ServerReload;
import io.kafkara.it.tx.BranchJournalSetup;

/**
 * A work manager much smaller than the pools that use it, as an operator may configure by mistake: its long-running
 * pool has {@value #LONG_RUNNING_THREADS} threads and a queue of {@value #QUEUE_LENGTH}, and the standalone
 * kafka-ra.rar runs its sender loops on it (through a bootstrap context) for three XA definitions of max-pool-size
 * {@value #MAX_POOL_SIZE} each. Removed after the test class; the server is reloaded if the removal asks for it.
 */
public class SmallWorkManagerSetup extends RemoveConfigAfterUndeploy {

    static final String WORK_MANAGER = "kafkara-small";
    static final int LONG_RUNNING_THREADS = 3;
    static final int QUEUE_LENGTH = 2;
    static final int MAX_POOL_SIZE = 5;
    static final long MAX_BLOCK_MS = 5_000;
    static final List<String> DEFINITIONS = List.of("ScaleA", "ScaleB", "ScaleC");

    private static final ModelNode WORK_MANAGER_ADDRESS = Operations.createAddress("subsystem", "jca",
            "workmanager", WORK_MANAGER);
    private static final ModelNode BOOTSTRAP_CONTEXT = Operations.createAddress("subsystem", "jca",
            "bootstrap-context", WORK_MANAGER);

    static String jndiName(String definition) {
        return "java:/kafka/" + definition;
    }

    @Override
    public void setup(ManagementClient client, String containerId) throws Exception {
        Operations.CompositeOperationBuilder workManager = Operations.CompositeOperationBuilder.create();
        ModelNode add = Operations.createAddOperation(WORK_MANAGER_ADDRESS);
        add.get("name").set(WORK_MANAGER);
        workManager.addStep(add);
        workManager.addStep(threads("short-running-threads", 4, 4));
        workManager.addStep(threads("long-running-threads", LONG_RUNNING_THREADS, QUEUE_LENGTH));
        ModelNode context = Operations.createAddOperation(BOOTSTRAP_CONTEXT);
        context.get("name").set(WORK_MANAGER);
        context.get("workmanager").set(WORK_MANAGER);
        workManager.addStep(context);
        KafkaBrokerSetup.execute(client, workManager.build().getOperation());
        ServerReload.reloadAndWait(client.getControllerClient());

        BranchJournalSetup.createJournal(SharedKafka.get().bootstrapServers());
        AdapterConfiguration adapter = AdapterConfiguration.forXaArchive("kafka-ra.rar", "kafka-ra.rar", WORK_MANAGER);
        for (String definition : DEFINITIONS) {
            Map<String, String> properties = Map.of(
                    "bootstrapServers", SharedKafka.get().bootstrapServers(),
                    "keySerializer", "org.apache.kafka.common.serialization.StringSerializer",
                    "valueSerializer", "org.apache.kafka.common.serialization.StringSerializer",
                    "transactionSupportLevel", "XATransaction",
                    "transactionalIdPrefix", "small-wm-" + definition.toLowerCase(),
                    "clientIdPrefix", "small-wm-" + definition.toLowerCase(),
                    "branchJournalTopic", BranchJournalSetup.TOPIC,
                    "maxBlockMs", String.valueOf(MAX_BLOCK_MS));
            adapter.definition(definition, jndiName(definition), Map.of("max-pool-size",
                    String.valueOf(MAX_POOL_SIZE), "recovery-username", "recovery", "recovery-password", "recovery"),
                    properties);
        }
        KafkaBrokerSetup.execute(client, adapter.operation());
    }

    private static ModelNode threads(String kind, int maxThreads, int queueLength) {
        ModelNode address = WORK_MANAGER_ADDRESS.clone();
        address.add(kind, WORK_MANAGER);
        ModelNode add = Operations.createAddOperation(address);
        add.get("max-threads").set(maxThreads);
        add.get("core-threads").set(maxThreads);
        add.get("queue-length").set(queueLength);
        return add;
    }

    /**
     * The adapter first (the operator's script), then what it ran on. WildFly refuses to remove a running work
     * manager (its thread pools' services would go while the work manager's stays until a reload), so the bootstrap
     * context and the work manager are removed in admin-only mode, and the server reloaded back into normal mode.
     */
    @Override
    public void tearDown(ManagementClient client, String containerId) throws Exception {
        super.tearDown(client, containerId);
        ServerReload.reloadInto(client.getControllerClient(), true);
        try {
            KafkaBrokerSetup.execute(client, Operations.createRemoveOperation(BOOTSTRAP_CONTEXT));
            KafkaBrokerSetup.execute(client, Operations.createRemoveOperation(WORK_MANAGER_ADDRESS));
        } finally {
            ServerReload.reloadInto(client.getControllerClient(), false);
        }
    }
}
