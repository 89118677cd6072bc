package io.kafkara.it.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

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

    /**
     * Every regular file below {@code folders}, at any depth, with its text. Read as ISO-8859-1, which maps every
     * byte to one character, so a binary file (a key store) reads too and an ASCII secret in it is found as such.
     */
    static Map<Path, String> textsBelow(Path... folders) throws IOException {
        Map<Path, String> texts = new TreeMap<>();
        for (Path folder : folders) {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    texts.put(file, new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
                }
            }
        }
        return texts;
    }
}
