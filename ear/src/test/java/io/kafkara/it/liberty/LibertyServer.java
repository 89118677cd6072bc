package io.kafkara.it.liberty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kafkara.it.broker.FreePorts;
import io.kafkara.it.portable.CrashAtCommit;
import io.kafkara.it.portable.JvmThreads;

/**
 * One Open Liberty server of the build's unpacked runtime, run as an operator runs it: its own directory under
 * {@code usr/servers} with a {@code server.xml}, {@code bin/server start} and {@code stop}, its {@code messages.log}.
 * Ports are free ones found at creation; every wait is bounded, and a wait that runs out fails with the server's
 * thread dump and the end of its log.
 */
final class LibertyServer implements AutoCloseable, CrashAtCommit.Server {

    private static final Duration START_BOUND = Duration.ofMinutes(3);
    private static final Duration STOP_BOUND = Duration.ofMinutes(1);
    private static final Pattern PID = Pattern.compile("process ID (\\d+)");

    private final Path wlp;
    private final String name;
    private final Path directory;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private long pid = -1;
    private int messagesRead;

    private LibertyServer(Path wlp, String name, int httpPort) {
        this.wlp = wlp;
        this.name = name;
        this.directory = wlp.resolve("usr/servers").resolve(name);
        this.httpPort = httpPort;
    }

    /**
     * A fresh server directory (whatever an earlier run left there is removed) with {@code serverXml}, whose HTTP
     * port is the variable {@code ${http.port}}.
     */
    static LibertyServer create(Path wlp, String name, String serverXml) throws IOException {
        return create(wlp, name, serverXml, List.of());
    }

    /** As {@link #create(Path, String, String)}, the server JVM started with {@code jvmOptions} too. */
    static LibertyServer create(Path wlp, String name, String serverXml, List<String> jvmOptions) throws IOException {
        LibertyServer server = new LibertyServer(wlp, name, FreePorts.reserve(1).get(0));
        server.deleteDirectory();
        Files.createDirectories(server.directory);
        Files.writeString(server.directory.resolve("server.xml"), serverXml);
        Files.writeString(server.directory.resolve("bootstrap.properties"), "http.port=" + server.httpPort + "\n");
        List<String> options = new ArrayList<>(List.of("-Xmx768m", "-Djava.net.preferIPv4Stack=true"));
        options.addAll(jvmOptions);
        Files.write(server.directory.resolve("jvm.options"), options);
        return server;
    }

    Path directory() {
        return directory;
    }

    /**
     * Starts the server and waits until {@code bin/server start} reports it started. Its transaction log stays:
     * {@code --clean} empties only the cache of the runtime's bundles.
     */
    @Override
    public void start() throws IOException, InterruptedException {
        // Each start begins a new messages.log (the last one is kept under a time-stamped name).
        messagesRead = 0;
        String output = run(START_BOUND, "start", name, "--clean");
        Matcher matcher = PID.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("Open Liberty server " + name + " did not start: " + output + "\n"
                    + logTail());
        }
        pid = Long.parseLong(matcher.group(1));
        // bin/server start detaches the server from this JVM: if this JVM ends without close() (a test run
        // interrupted), the server must not outlive it.
        long started = pid;
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
                ProcessHandle.of(started).ifPresent(ProcessHandle::destroyForcibly), "stop-liberty-" + name));
    }

    /**
     * Waits for the first line of messages.log after the previous wait's line that contains {@code text}; returns
     * it.
     */
    String awaitMessage(String text, Duration bound) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            List<String> lines = messages();
            for (int i = messagesRead; i < lines.size(); i++) {
                if (lines.get(i).contains(text)) {
                    messagesRead = i + 1;
                    return lines.get(i);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Within " + bound.toSeconds() + " s, Open Liberty server " + name
                        + " logged no line with '" + text + "'\n" + threadDump() + "\n" + logTail());
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    /** Every line of messages.log so far. */
    List<String> messages() throws IOException {
        Path log = directory.resolve("logs/messages.log");
        return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    }

    /** Replaces server.xml: the running server applies the change (Liberty watches its configuration). */
    void rewriteServerXml(String serverXml) throws IOException {
        Files.writeString(directory.resolve("server.xml"), serverXml);
    }

    /** Waits until a thread dump of the server satisfies {@code done}; returns that dump. */
    String awaitThreadDump(Predicate<String> done, Duration bound) throws IOException, InterruptedException {
        return JvmThreads.awaitDump(pid, done, bound, "Open Liberty server " + name);
    }

    /** GET of {@code path} on the server's HTTP port: the status and the body. */
    @Override
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofMinutes(2)).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.net.http.HttpTimeoutException e) {
            throw new AssertionError("GET " + path + " on Open Liberty got no answer within 2 min\n" + threadDump(), e);
        }
    }

    /** The server JVM's threads (jcmd Thread.print), for assertions on threads and for failures. */
    @Override
    public String threadDump() throws IOException, InterruptedException {
        return pid < 0 ? "(no thread dump: the server has no process)" : JvmThreads.dump(pid);
    }

    /** Whether the server's JVM runs. */
    @Override
    public boolean isAlive() {
        return pid >= 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** SIGKILL to the server's JVM, if it still runs, and waits until it is gone. */
    @Override
    public void kill() {
        ProcessHandle.of(pid).ifPresent(process -> {
            process.destroyForcibly();
            process.onExit().join();
        });
        pid = -1;
    }

    /** Stops the server; kills it if {@code bin/server stop} does not within a minute. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (pid < 0) {
            return;
        }
        try {
            run(STOP_BOUND, "stop", name);
        } finally {
            kill();
        }
    }

    private String run(Duration bound, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(wlp.resolve("bin/server").toString());
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Path output = Files.createTempFile("liberty-" + arguments[0], ".txt");
        builder.redirectOutput(output.toFile());
        Process process = builder.start();
        if (!process.waitFor(bound.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bin/server " + String.join(" ", arguments) + " did not return within "
                    + bound.toSeconds() + " s\n" + threadDump() + "\n" + logTail());
        }
        String text = Files.readString(output);
        Files.delete(output);
        return text;
    }

    @Override
    public String logTail() {
        try {
            List<String> lines = messages();
            return "End of " + directory.resolve("logs/messages.log") + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void deleteDirectory() throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
