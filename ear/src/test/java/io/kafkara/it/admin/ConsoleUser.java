package io.kafkara.it.admin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jboss.as.arquillian.api.ServerSetupTask;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

/**
 * A management user for the admin console, added the way an operator adds one: {@code add-user.sh} writing the
 * configuration directory of the running server (a temporary copy, as Arquillian starts it), whose properties realm
 * reads the changed files without a reload. The files are restored afterwards.
 */
public class ConsoleUser implements ServerSetupTask {

    static final String NAME = "console-it";
    private static final String[] USER_FILES = {"mgmt-users.properties", "mgmt-groups.properties"};

    private static String password;
    private final Map<Path, byte[]> originals = new LinkedHashMap<>();

    /** This run's password, set by {@link #setup}. */
    static String password() {
        if (password == null) {
            throw new IllegalStateException("ConsoleUser has not run: add it to the test's @ServerSetup");
        }
        return password;
    }

    @Override
    public void setup(ManagementClient client, String containerId) throws Exception {
        Path configDir = Path.of(configurationDirectory(client));
        for (String file : USER_FILES) {
            originals.put(configDir.resolve(file), Files.readAllBytes(configDir.resolve(file)));
        }
        password = newPassword();
        Path log = Files.createTempFile("add-user-", ".log");
        Process addUser = new ProcessBuilder(Path.of(System.getProperty("jboss.home"), "bin", "add-user.sh").toString(),
                "-sc", configDir.toString(), "-u", NAME, "-p", password, "-s")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!addUser.waitFor(1, TimeUnit.MINUTES) || addUser.exitValue() != 0) {
            throw new IllegalStateException("add-user.sh -sc " + configDir + " failed: " + Files.readString(log));
        }
        Files.delete(log);
    }

    @Override
    public void tearDown(ManagementClient client, String containerId) throws Exception {
        for (Map.Entry<Path, byte[]> original : originals.entrySet()) {
            Files.write(original.getKey(), original.getValue());
        }
        originals.clear();
        password = null;
    }

    private static String configurationDirectory(ManagementClient client) throws Exception {
        ModelNode read = Operations.createReadAttributeOperation(
                Operations.createAddress("path", "jboss.server.config.dir"), "path");
        ModelNode outcome = client.getControllerClient().execute(read);
        if (!Operations.isSuccessfulOutcome(outcome)) {
            throw new IllegalStateException("Cannot read the server's configuration directory: "
                    + Operations.getFailureDescription(outcome));
        }
        return Operations.readResult(outcome).asString();
    }

    /** Random, and meets add-user.sh's rules (a letter, a digit, a symbol, not the user name). */
    private static String newPassword() {
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder generated = new StringBuilder("Ct-");
        for (int i = 0; i < 16; i++) {
            generated.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return generated.append('9').toString();
    }
}
