package io.kafkara.it.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jboss.as.arquillian.container.ManagementClient;

/**
 * Runs {@code src/test/browser/console-check.mjs} (prepared into {@code target/browser} by the build): headless
 * Chromium logs in to the admin console and reports, one line each, what the resource adapter's page shows.
 */
final class ConsoleCheck {

    private ConsoleCheck() {
    }

    /** The lines the script printed; fails with its whole output when it did not finish successfully. */
    static List<String> adapterPage(ManagementClient client, String adapter, Path screenshot)
            throws IOException, InterruptedException {
        Path dir = Path.of(System.getProperty("console.check.dir", "target/browser"));
        if (!Files.isDirectory(dir.resolve("node_modules"))) {
            throw new IllegalStateException("The browser test was not prepared in " + dir
                    + ": run it through Maven (src/test/browser/prepare-browser.sh runs at pre-integration-test)");
        }
        String consoleUrl = "http://" + client.getMgmtAddress() + ":" + client.getMgmtPort() + "/console/index.html";
        Path output = Files.createTempFile("console-check-", ".log");
        try {
            ProcessBuilder node = new ProcessBuilder("node", "console-check.mjs", consoleUrl, adapter, screenshot.toString())
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            node.environment().put("CONSOLE_USER", ConsoleUser.NAME);
            node.environment().put("CONSOLE_PASSWORD", ConsoleUser.password());
            Process process = node.start();
            boolean exited = process.waitFor(3, TimeUnit.MINUTES);
            if (!exited) {
                process.destroyForcibly();
            }
            List<String> lines = Files.readAllLines(output);
            if (!exited || process.exitValue() != 0) {
                throw new AssertionError("console-check.mjs " + consoleUrl + " " + adapter
                        + (exited ? " exited with " + process.exitValue() : " did not finish within 3 minutes")
                        + ":\n" + String.join("\n", lines));
            }
            return lines;
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
