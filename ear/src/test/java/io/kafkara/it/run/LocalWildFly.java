package io.kafkara.it.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A WildFly of the unpacked distribution, run with its own copy of standalone/ so the tests' server stays
 * pristine: add a management user, drop a deployment in, start, wait for it, stop the whole process tree.
 */
public final class LocalWildFly {

    private final Path home;
    private final Path baseDir;
    private final int portOffset;
    private Process process;
    private String heap;

    private LocalWildFly(Path home, Path baseDir, int portOffset) {
        this.home = home;
        this.baseDir = baseDir;
        this.portOffset = portOffset;
    }

    public static LocalWildFly prepare(Path home, Path baseDir, int portOffset) throws IOException {
        RunSample.deleteRecursively(baseDir);
        copyTree(home.resolve("standalone"), baseDir);
        return new LocalWildFly(home, baseDir, portOffset);
    }

    public void addManagementUser(String user, String password) throws IOException, InterruptedException {
        Process addUser = new ProcessBuilder(home.resolve("bin/add-user.sh").toString(),
                "-sc", baseDir.resolve("configuration").toString(), "-u", user, "-p", password, "-s")
                .redirectErrorStream(true)
                .redirectOutput(baseDir.resolve("add-user.log").toFile())
                .start();
        if (!addUser.waitFor(60, TimeUnit.SECONDS) || addUser.exitValue() != 0) {
            throw new IOException("add-user.sh failed; see " + baseDir.resolve("add-user.log"));
        }
    }

    /** The server JVM's heap options (WildFly's JBOSS_JAVA_SIZING), instead of standalone.conf's small default. */
    public LocalWildFly heap(String sizing) {
        this.heap = sizing;
        return this;
    }

    public void deploy(Path archive) throws IOException {
        Files.copy(archive, baseDir.resolve("deployments").resolve(archive.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    public void start(Map<String, String> systemProperties) throws IOException {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/standalone.sh").toString(),
                "-Djboss.server.base.dir=" + baseDir,
                "-Djboss.socket.binding.port-offset=" + portOffset,
                "-Djava.net.preferIPv4Stack=true"));
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        ProcessBuilder builder = new ProcessBuilder(command);
        if (heap != null) {
            builder.environment().put("JBOSS_JAVA_SIZING", heap);
        }
        process = builder
                .redirectErrorStream(true)
                .redirectOutput(baseDir.resolve("console.log").toFile())
                .start();
        // Ctrl-C or a failing caller must not leave a server behind.
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "stop-wildfly"));
    }

    /** Waits for the deployment scanner's marker: {@code .deployed} on success, {@code .failed} otherwise. */
    public void awaitDeployed(String deployment, Duration timeout) throws IOException, InterruptedException {
        Path deployed = baseDir.resolve("deployments").resolve(deployment + ".deployed");
        Path failed = baseDir.resolve("deployments").resolve(deployment + ".failed");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(deployed)) {
                return;
            }
            if (Files.exists(failed)) {
                throw new IOException(deployment + " failed to deploy: " + Files.readString(failed) + "; see " + logFile());
            }
            if (!process.isAlive()) {
                throw new IOException("WildFly exited while deploying " + deployment + "; see " + baseDir.resolve("console.log"));
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new IOException(deployment + " was not deployed within " + timeout + "; see " + logFile());
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public Path logFile() {
        return baseDir.resolve("log/server.log");
    }

    /**
     * Kills the server JVM with SIGKILL, as a crash would: no shutdown hook, no graceful close of anything. Returns
     * once it is gone (standalone.sh, which waits for it, exits too).
     */
    public void kill() throws IOException {
        List<ProcessHandle> jvms = process.descendants()
                .filter(handle -> handle.info().command().map(command -> command.endsWith("java")).orElse(false))
                .toList();
        if (jvms.isEmpty()) {
            throw new IOException("No server JVM runs under " + process.pid() + "; see " + logFile());
        }
        for (ProcessHandle jvm : jvms) {
            jvm.destroyForcibly();
            try {
                jvm.onExit().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IOException("The server JVM " + jvm.pid() + " did not die within 60 s of SIGKILL", e);
            }
        }
    }

    /** Stops standalone.sh and the server JVM under it: gracefully first, then by force. */
    public void stop() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                handle.destroyForcibly();
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            paths.forEach(source -> {
                try {
                    Path destination = to.resolve(from.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(destination);
                    } else {
                        Files.copy(source, destination, StandardCopyOption.REPLACE_EXISTING);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
