package io.kafkara.it.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the running JDK's own {@code keytool}, several at once: each call is a JVM start, so a step's independent
 * commands run in parallel and the whole certificate setup costs a few JVM starts, not a dozen.
 */
final class Keytool {

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

    private final Path directory;
    private final List<String> secrets;

    /** {@code secrets}: the passwords on the command lines, masked in error messages. */
    Keytool(Path directory, List<String> secrets) {
        this.directory = directory;
        this.secrets = List.copyOf(secrets);
    }

    /** One parallel step: starts every command, then waits for all; fails naming the first that failed. */
    void step(List<List<String>> commands) {
        List<Process> running = new ArrayList<>();
        try {
            for (List<String> arguments : commands) {
                running.add(start(arguments));
            }
            for (int i = 0; i < running.size(); i++) {
                await(running.get(i), commands.get(i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run keytool in " + directory, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running keytool in " + directory, e);
        } finally {
            running.forEach(Process::destroyForcibly);
        }
    }

    private Process start(List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        // A keytool run is over in a second: the quick compiler and the small collector start faster.
        command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-J-Xshare:auto"));
        command.addAll(arguments);
        return new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    }

    private void await(Process process, List<String> arguments) throws IOException, InterruptedException {
        // keytool prints little; reading it all before waiting cannot dead-lock on a full pipe.
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("keytool " + masked(String.join(" ", arguments)) + " did not finish within "
                    + STEP_TIMEOUT + " in " + directory);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + masked(String.join(" ", arguments)) + " failed with exit code "
                    + process.exitValue() + " in " + directory + ":\n" + masked(output));
        }
    }

    private String masked(String text) {
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, "<password>");
        }
        return result;
    }
}
