package io.kafkara.it.security;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.List;

import org.jboss.as.arquillian.container.ManagementClient;

import io.kafkara.api.KafkaConnectionFactory;

/**
 * Proves that none of a test's secrets shows in a text, and reads the texts where one could show: an exception with
 * its causes and stack, the objects behind a connection factory, the server log. A failure quotes the place with
 * every secret masked, so the report itself leaks nothing.
 */
public final class SecretLeaks {

    private final List<String> secrets;

    SecretLeaks(List<String> secrets) {
        this.secrets = List.copyOf(secrets);
    }

    void assertAbsent(String where, String text) {
        for (String secret : secrets) {
            int at = text.indexOf(secret);
            assertFalse(at >= 0, () -> "A password shows in " + where + ": ..."
                    + mask(text.substring(Math.max(0, at - 200), Math.min(text.length(), at + 50))));
        }
    }

    boolean containsAny(String text) {
        return secrets.stream().anyMatch(text::contains);
    }

    String mask(String value) {
        String masked = value;
        for (String secret : secrets) {
            masked = masked.replace(secret, "<PASSWORD>");
        }
        return masked;
    }

    static String stackTrace(Throwable failure) {
        StringWriter text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    /** Neither the factory nor the managed factory behind it shows a secret; returns the latter's text. */
    String assertAbsentFrom(KafkaConnectionFactory factory) throws ReflectiveOperationException {
        String managedFactory = String.valueOf(managedFactoryOf(factory));
        assertAbsent("the connection factory's toString()", String.valueOf(factory));
        assertAbsent("the managed connection factory's toString()", managedFactory);
        return managedFactory;
    }

    /** The application holds only the factory; its managed factory is what the container configured. */
    private static Object managedFactoryOf(KafkaConnectionFactory factory) throws ReflectiveOperationException {
        Field field = factory.getClass().getDeclaredField("managedFactory");
        field.setAccessible(true);
        return field.get(factory);
    }

    /** The running server's server.log, found through the management model (the test runs as a client). */
    public static Path serverLog(ManagementClient management) throws Exception {
        return ServerFiles.directory(management.getControllerClient(), "jboss.server.log.dir").resolve("server.log");
    }
}
