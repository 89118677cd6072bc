package io.kafkara.it.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.as.controller.client.OperationBuilder;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

/**
 * Deploys the adapter as built (kafka-ra.rar, copied by this module's build) under a name of the test's, in one
 * management operation the way {@code jboss-cli.sh deploy} does: rolled back when the deployment fails.
 */
final class BuiltRarDeployment {

    private BuiltRarDeployment() {
    }

    /** The server's answer to the deployment's add operation. */
    static ModelNode deploy(ModelControllerClient client, String name) throws IOException {
        ModelNode add = Operations.createAddOperation(Operations.createAddress("deployment", name));
        add.get("enabled").set(true);
        add.get("content").add().get("input-stream-index").set(0);
        try (InputStream rar = Files.newInputStream(Path.of(System.getProperty("kafka.ra.rar",
                "target/rar/kafka-ra.rar")))) {
            return client.execute(OperationBuilder.create(add).addInputStream(rar).build());
        }
    }
}
