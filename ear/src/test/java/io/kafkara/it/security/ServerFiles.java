package io.kafkara.it.security;

import java.io.IOException;
import java.nio.file.Path;

import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

/** The files a running server keeps in its folders, found through its management model (the test runs as a client). */
final class ServerFiles {

    private ServerFiles() {
    }

    /** The folder of the server's path {@code name}, e.g. {@code jboss.server.config.dir}. */
    static Path directory(ModelControllerClient client, String name) throws IOException {
        ModelNode read = Operations.createReadAttributeOperation(Operations.createAddress("path", name), "path");
        ModelNode result = client.execute(read);
        if (!Operations.isSuccessfulOutcome(result)) {
            throw new IllegalStateException(read + " -> " + Operations.getFailureDescription(result));
        }
        return Path.of(Operations.readResult(result).asString());
    }
}
