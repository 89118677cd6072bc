package io.kafkara.it.security;

import java.nio.file.Files;

import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

/**
 * The operator's Elytron steps that keep a secret out of the server's configuration: a secret-key credential store
 * (Elytron generates its AES key when the store is added), the encryption expression resolver over that key, and
 * {@code create-expression}, which turns a clear text into the {@code ${ENC::resolver:...}} expression stored in
 * place of the text. The server decrypts the expression where it resolves an attribute; its model keeps the
 * expression. None of these steps needs a reload.
 */
final class EncryptedExpressions {

    static final String STORE = "kafka-secrets-it";
    static final String RESOLVER = "kafka";
    private static final String STORE_FILE = "kafka-secrets-it.cs";

    private final ModelControllerClient client;

    EncryptedExpressions(ModelControllerClient client) {
        this.client = client;
    }

    /** The store lives in configuration/ on purpose: the test greps that folder, key file included. */
    void install() throws Exception {
        ModelNode store = Operations.createAddOperation(storeAddress());
        store.get("path").set(STORE_FILE);
        store.get("relative-to").set("jboss.server.config.dir");
        execute(store);
        ModelNode resolver = new ModelNode();
        resolver.get("name").set(RESOLVER);
        resolver.get("credential-store").set(STORE);
        resolver.get("secret-key").set("key");
        ModelNode encryption = Operations.createAddOperation(encryptionAddress());
        encryption.get("resolvers").add(resolver);
        execute(encryption);
    }

    /** The {@code ${ENC::kafka:...}} expression that the server resolves to {@code clearText}. */
    String encrypt(String clearText) throws Exception {
        ModelNode create = Operations.createOperation("create-expression", encryptionAddress());
        create.get("resolver").set(RESOLVER);
        create.get("clear-text").set(clearText);
        return execute(create).get("expression").asString();
    }

    /**
     * Removes the resolver, then the store: without allow-resource-service-restart WildFly removes the store only
     * on reload, and the test classes that run next in this server would find it in "reload-required".
     */
    void uninstall() throws Exception {
        try {
            execute(Operations.createRemoveOperation(encryptionAddress()));
        } finally {
            ModelNode remove = Operations.createRemoveOperation(storeAddress());
            remove.get("operation-headers", "allow-resource-service-restart").set(true);
            execute(remove);
            Files.deleteIfExists(ServerFiles.directory(client, "jboss.server.config.dir").resolve(STORE_FILE));
        }
    }

    private ModelNode execute(ModelNode operation) throws Exception {
        ModelNode result = client.execute(operation);
        if (!Operations.isSuccessfulOutcome(result)) {
            // Names the operation but never quotes it: create-expression carries the clear text.
            throw new IllegalStateException("Management operation failed: " + operation.get("operation") + " at "
                    + operation.get("address") + " -> " + Operations.getFailureDescription(result));
        }
        return Operations.readResult(result);
    }

    private static ModelNode storeAddress() {
        return Operations.createAddress("subsystem", "elytron", "secret-key-credential-store", STORE);
    }

    private static ModelNode encryptionAddress() {
        return Operations.createAddress("subsystem", "elytron", "expression", "encryption");
    }
}
