package io.kafkara.it.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.jboss.as.arquillian.container.ManagementClient;

/**
 * Runs a script of {@code src/cli} with the server's own {@code jboss-cli.sh}, exactly as the README tells an
 * operator to, against the management port of the server under test. The script file is the single source of the
 * operations: the tests never restate them.
 */
public final class JBossCli {

    static final String CONFIGURE = "configure-kafka-ra.cli";
    static final String REMOVE = "remove-kafka-ra.cli";
    public static final String CONFIGURE_XA = "configure-kafka-ra-xa.cli";

    private JBossCli() {
    }

    /** Runs {@code src/cli/<script>}; fails with the CLI's output when the CLI reports a failed operation. */
    static String runScript(ManagementClient client, String script) throws IOException, InterruptedException {
        return runScript(client.getMgmtAddress(), client.getMgmtPort(), script);
    }

    /** Runs {@code src/cli/<script>} against the management port {@code host:port} of a server of the test's own. */
    public static String runScript(String host, int port, String script) throws IOException, InterruptedException {
        Path file = Path.of(required("kafka.ra.cli.dir")).resolve(script);
        Path cli = Path.of(required("jboss.home"), "bin", "jboss-cli.sh");
        Path output = Files.createTempFile("jboss-cli-", ".log");
        try {
            Process process = new ProcessBuilder(cli.toString(),
                    "--controller=remote+http://" + host + ":" + port,
                    "--connect", "--file=" + file)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            boolean exited = process.waitFor(2, TimeUnit.MINUTES);
            if (!exited) {
                process.destroyForcibly();
            }
            String printed = Files.readString(output);
            if (!exited || process.exitValue() != 0) {
                throw new IllegalStateException("jboss-cli.sh --file=" + file + " failed"
                        + (exited ? " with exit code " + process.exitValue() : ": no exit within 2 minutes") + ":\n" + printed);
            }
            return printed;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + property + " is not set: run the tests through Maven (failsafe sets it)");
        }
        return value;
    }
}
