package io.kafkara.it.broker;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One combined broker+controller JVM: format, launch, stop, kill. Readiness is {@link ReadinessProbe}'s job. */
final class KafkaNode {

    private static final System.Logger LOG = System.getLogger(KafkaNode.class.getName());
    private static final int TAIL_LINES = 40;
    /** How long a process may take to disappear after SIGKILL before we call it stuck. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final NodeConfig config;
    private final ChildJvm jvm;
    private Process process;

    KafkaNode(NodeConfig config, ChildJvm jvm) {
        this.config = config;
        this.jvm = jvm;
    }

    NodeConfig config() {
        return config;
    }

    int id() {
        return config.id();
    }

    /** Starts {@code StorageTool format}; nodes format in parallel, then {@link #awaitFormat} each. */
    Process startFormat(String clusterId, List<String> options) throws IOException {
        List<String> args = new ArrayList<>(List.of("format", "-t", clusterId, "-c", config.propertiesFile().toString()));
        args.addAll(options);
        return jvm.command("kafka.tools.StorageTool", args)
                .redirectErrorStream(true)
                .redirectOutput(config.formatLogFile().toFile())
                .start();
    }

    void awaitFormat(Process format, Duration timeout) throws InterruptedException {
        if (!format.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            format.destroyForcibly();
            throw new IllegalStateException("Formatting the storage of node " + id() + " took over " + timeout
                    + "\n" + LogTail.of(config.formatLogFile(), TAIL_LINES));
        }
        if (format.exitValue() != 0) {
            throw new IllegalStateException("Formatting the storage of node " + id() + " failed with exit code "
                    + format.exitValue() + "\n" + LogTail.of(config.formatLogFile(), TAIL_LINES));
        }
    }

    synchronized void launch() throws IOException {
        if (isAlive()) {
            throw new IllegalStateException("Node " + id() + " is already running as pid " + process.pid());
        }
        if (process != null) {
            // The previous run is gone; release our end of its stdin pipe now rather than at GC.
            process.getOutputStream().close();
        }
        // Restarts append to the same log; the marker shows where each run begins.
        Files.writeString(config.logFile(), "==== KafkaCluster: starting node " + id() + " at " + Instant.now() + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        process = jvm.command("kafka.Kafka", List.of(config.propertiesFile().toString()))
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(config.logFile().toFile()))
                .start();
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException("Node " + id() + " was never launched");
        }
        return process.pid();
    }

    /** The exit value of the last run; fails while the node runs. */
    synchronized int exitValue() {
        if (process == null) {
            throw new IllegalStateException("Node " + id() + " was never launched");
        }
        return process.exitValue();
    }

    /** The node's JVM and whatever it spawned, as of now; empty when it is not running. */
    synchronized List<ProcessHandle> processTree() {
        List<ProcessHandle> tree = new ArrayList<>();
        if (isAlive()) {
            tree.add(process.toHandle());
            process.toHandle().descendants().forEach(tree::add);
        }
        return tree;
    }

    /** SIGTERM, so the broker runs its controlled shutdown; SIGKILL for whatever is left after {@code grace}. */
    void stop(Duration grace) {
        List<ProcessHandle> tree = processTree();
        if (tree.isEmpty()) {
            return;
        }
        // Not Process.destroy(): it also closes our end of the node's stdin, and the watchdog
        // would then halt the node before its controlled shutdown could run.
        tree.get(0).destroy();
        if (!awaitExit(tree.get(0), grace)) {
            LOG.log(System.Logger.Level.WARNING, "Node {0} (pid {1}) did not stop within {2}; killing it",
                    id(), tree.get(0).pid(), grace);
        }
        destroyForcibly(tree);
    }

    /** SIGKILL for the JVM and its descendants, found first: once the parent dies they cannot be. */
    void kill() {
        destroyForcibly(processTree());
    }

    synchronized String describe() {
        String pid = process == null ? "never launched" : "pid " + process.pid() + (process.isAlive() ? "" : ", exited");
        return "node " + id() + " (" + pid + ", broker " + config.brokerEndpoint() + ", controller "
                + config.controllerEndpoint() + ")";
    }

    String logTail() {
        return LogTail.of(config.logFile(), TAIL_LINES);
    }

    private void destroyForcibly(List<ProcessHandle> tree) {
        tree.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle handle : tree) {
            if (!awaitExit(handle, KILL_WAIT)) {
                throw new IllegalStateException("pid " + handle.pid() + " of node " + id() + " survived SIGKILL for " + KILL_WAIT);
            }
        }
    }

    private static boolean awaitExit(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot wait for pid " + handle.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        }
    }
}
