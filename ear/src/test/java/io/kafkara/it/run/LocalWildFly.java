package io.kafkara.it.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A WildFly of the unpacked distribution, run with its own copy of standalone/ so the tests' server stays
 * pristine: add a management user, drop a deployment in, start, wait for it, stop the whole process tree.
 *
 * <p>It never outlives the JVM that started it, the way {@link io.kafkara.it.broker.ParentWatchdogMain} ends a
 * broker: standalone.sh runs under a small {@code sh} watchdog that reads its stdin, a pipe whose write end only
 * this JVM holds. The operating system closes that end when this JVM exits for any reason, {@code kill -9} (which
 * runs no shutdown hook) included; at end-of-file the watchdog kills the server JVM with SIGKILL (its pid is in the
 * file standalone.sh writes) and standalone.sh. A crash test's server has nothing to save.
 */
public final class LocalWildFly {

    /** Words of the watchdog's line in console.log, for the test that shows it at work. */
    public static final String WATCHDOG_LINE = "wildfly-watchdog: the JVM that started this server is gone";
    private static final String WATCHDOG = String.join("\n",
            "exec 3<&0",
            "\"$@\" </dev/null 3<&- &",
            "server=$!",
            "{ while read -r ignored; do :; done",
            "  echo \"" + WATCHDOG_LINE + "; killing the server JVM $(cat \"$JBOSS_PIDFILE\" 2>/dev/null)\"",
            "  kill -KILL \"$(cat \"$JBOSS_PIDFILE\" 2>/dev/null)\" \"$server\" 2>/dev/null; } <&3 &",
            "reader=$!",
            "exec 3<&-",
            "wait \"$server\"",
            "status=$?",
            "kill \"$reader\" 2>/dev/null",
            "exit \"$status\"");

    /** The ports of standalone.xml's socket bindings (ajp, http, https, management http/https, Narayana's two). */
    private static final List<Integer> STANDALONE_PORTS = List.of(8009, 8080, 8443, 9990, 9993, 4712, 4713);
    private static final int OFFSET_STEP = 100;
    /** The highest offset that keeps every port above under 65536. */
    private static final int LAST_OFFSET = 65535 - 9993;

    private final Path home;
    private final Path baseDir;
    private final int portOffset;
    private Process process;
    private String heap;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> serverArguments = new ArrayList<>();

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

    /**
     * The first port offset from {@code base} on, in steps of 100, at which every port of standalone.xml's bindings
     * can be bound on 127.0.0.1 right now: other builds and servers of this machine may hold any fixed range. A
     * server started at once on it binds them before anyone else is likely to.
     */
    public static int freePortOffset(int base) {
        for (int offset = base; offset <= LAST_OFFSET; offset += OFFSET_STEP) {
            int candidate = offset;
            if (STANDALONE_PORTS.stream().allMatch(port -> canBind(port + candidate))) {
                return offset;
            }
        }
        throw new IllegalStateException("No port offset from " + base + " to " + LAST_OFFSET + " in steps of "
                + OFFSET_STEP + " has all of " + STANDALONE_PORTS + " free on 127.0.0.1");
    }

    private static boolean canBind(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort() == port;
        } catch (IOException e) {
            return false;
        }
    }

    public int portOffset() {
        return portOffset;
    }

    public int httpPort() {
        return 8080 + portOffset;
    }

    public Path baseDir() {
        return baseDir;
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

    /**
     * An environment variable of standalone.sh for every later start, e.g. {@code JDK_JAVA_OPTIONS} with a
     * {@code -javaagent:} (the fault campaign's Byteman agent).
     */
    public LocalWildFly environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Arguments of standalone.sh for every later start, e.g. {@code --stability=community}. */
    public LocalWildFly serverArguments(String... arguments) {
        serverArguments.addAll(List.of(arguments));
        return this;
    }

    public void deploy(Path archive) throws IOException {
        Files.copy(archive, baseDir.resolve("deployments").resolve(archive.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    public void start(Map<String, String> systemProperties) throws IOException {
        Path pidFile = baseDir.resolve("server.pid");
        Files.deleteIfExists(pidFile);
        List<String> command = new ArrayList<>(List.of("sh", "-c", WATCHDOG, "wildfly-watchdog",
                home.resolve("bin/standalone.sh").toString(),
                "-Djboss.server.base.dir=" + baseDir,
                "-Djboss.socket.binding.port-offset=" + portOffset,
                "-Djava.net.preferIPv4Stack=true"));
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(serverArguments);
        ProcessBuilder builder = new ProcessBuilder(command);
        if (heap != null) {
            builder.environment().put("JBOSS_JAVA_SIZING", heap);
        }
        builder.environment().putAll(environment);
        // In the background, standalone.sh writes the server JVM's pid where the watchdog finds it.
        builder.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "true");
        builder.environment().put("JBOSS_PIDFILE", pidFile.toString());
        process = builder
                .redirectErrorStream(true)
                .redirectOutput(baseDir.resolve("console.log").toFile())
                .start();
        // Ctrl-C or a failing caller must not leave a server behind.
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "stop-wildfly"));
    }

    /** Until the server logged that it started (WFLYSRV0025, or 0026 with errors); fails after {@code timeout}. */
    public void awaitBooted(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!logContains("WFLYSRV0025") && !logContains("WFLYSRV0026")) {
            if (!isRunning()) {
                throw new IOException("WildFly exited while booting; see " + baseDir.resolve("console.log"));
            }
            if (System.nanoTime() >= deadline) {
                throw new IOException("WildFly did not boot within " + timeout + "; thread dump: " + threadDump()
                        + ", log: " + logFile());
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
    }

    private boolean logContains(String text) throws IOException {
        Path log = logFile();
        return Files.exists(log) && Files.readString(log).contains(text);
    }

    /**
     * Writes the server JVM's threads (jcmd Thread.print) next to its log and returns the file: what a test that
     * gives up on a hung server leaves for the reader.
     */
    public Path threadDump() throws IOException, InterruptedException {
        Path dump = baseDir.resolve("thread-dump-" + System.currentTimeMillis() + ".txt");
        printThreads(serverJvm().pid(), dump);
        return dump;
    }

    /** Writes the threads of the JVM {@code pid} (jcmd Thread.print) to {@code file}; false if jcmd took over 60 s. */
    public static boolean printThreads(long pid, Path file) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process printing = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "Thread.print")
                .redirectErrorStream(true).redirectOutput(file.toFile()).start();
        if (!printing.waitFor(60, TimeUnit.SECONDS)) {
            printing.destroyForcibly();
            return false;
        }
        return true;
    }

    /** The processes of this server, as of now: the watchdog, standalone.sh, the server JVM; empty once all ended. */
    public List<ProcessHandle> processes() {
        List<ProcessHandle> tree = new ArrayList<>();
        if (isRunning()) {
            tree.add(process.toHandle());
        }
        if (process != null) {
            process.descendants().forEach(tree::add);
        }
        return tree;
    }

    /** Waits until standalone.sh and the server JVM have exited; false if they still run after {@code timeout}. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process == null || process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
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

    /**
     * After {@link #kill()}: starts the server again on the same base directory (transaction log, data, deployments)
     * and waits until the deployment is deployed anew; its marker from before the kill would say so at once.
     */
    public void restart(String deployment, Map<String, String> systemProperties, Duration timeout)
            throws IOException, InterruptedException {
        Files.deleteIfExists(baseDir.resolve("deployments").resolve(deployment + ".deployed"));
        start(systemProperties);
        awaitDeployed(deployment, timeout);
    }

    /** The pid of the running server JVM (not of standalone.sh). */
    public long serverJvmPid() throws IOException {
        return serverJvm().pid();
    }

    /** The arguments of the running server JVM (not of standalone.sh), as the operating system shows them. */
    public List<String> serverArguments() throws IOException {
        ProcessHandle jvm = serverJvm();
        Optional<String[]> arguments = jvm.info().arguments();
        if (arguments.isEmpty()) {
            throw new IOException("The arguments of the server JVM " + jvm.pid() + " cannot be read");
        }
        return List.of(arguments.get());
    }

    private ProcessHandle serverJvm() throws IOException {
        List<ProcessHandle> jvms = serverJvms();
        if (jvms.size() != 1) {
            throw new IOException("Expected one server JVM under " + process.pid() + ", found " + jvms + "; see "
                    + logFile());
        }
        return jvms.get(0);
    }

    private List<ProcessHandle> serverJvms() {
        return process.descendants()
                .filter(handle -> handle.info().command().map(command -> command.endsWith("java")).orElse(false))
                .toList();
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
        List<ProcessHandle> jvms = serverJvms();
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
