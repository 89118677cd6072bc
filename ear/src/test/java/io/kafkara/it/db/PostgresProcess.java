package io.kafkara.it.db;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One run of the {@code postgres} server under a watchdog that ends it when the JVM that started it is gone, the
 * way {@link io.kafkara.it.broker.ParentWatchdogMain} ends a broker. postgres is no JVM, so the watchdog is a
 * small {@code sh} script around it: it starts postgres, and a reader of its stdin, a pipe whose write end only
 * this JVM holds. A line from us names a signal to send (INT: PostgreSQL's fast shutdown); end-of-file, which the
 * operating system delivers when this JVM exits for any reason, {@code kill -9} included, sends QUIT (immediate
 * shutdown: postgres ends its backends, SIGKILLs those that do not end within 5 s, and removes its shared memory).
 * The script exits with postgres, so this {@link Process} ends when postgres does.
 */
final class PostgresProcess {

    private static final String WATCHDOG = String.join("\n",
            "exec 3<&0",
            "\"$@\" </dev/null 3<&- &",
            "pg=$!",
            "{ while read -r signal; do kill -\"$signal\" \"$pg\"; done; kill -QUIT \"$pg\"; } <&3 &",
            "reader=$!",
            "exec 3<&-",
            "wait \"$pg\"",
            "status=$?",
            "kill \"$reader\" 2>/dev/null",
            "exit \"$status\"");
    /** How long a process may take to disappear after SIGKILL before we call it stuck. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final Process watchdog;
    private final Path log;

    private PostgresProcess(Process watchdog, Path log) {
        this.watchdog = watchdog;
        this.log = log;
    }

    /** Starts {@code command} (postgres and its arguments) under the watchdog; its output is appended to {@code log}. */
    static PostgresProcess start(List<String> command, Path log) throws IOException {
        Files.writeString(log, "==== LocalPostgres: starting at " + Instant.now() + "\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        List<String> shell = new ArrayList<>(List.of("sh", "-c", WATCHDOG, "postgres-watchdog"));
        shell.addAll(command);
        Process watchdog = new ProcessBuilder(shell)
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(log.toFile()))
                .start();
        return new PostgresProcess(watchdog, log);
    }

    boolean isAlive() {
        return watchdog.isAlive();
    }

    /** Fast shutdown (SIGINT): clients are disconnected, open transactions roll back, prepared ones stay. */
    void stop(Duration grace) throws IOException {
        if (!isAlive()) {
            return;
        }
        OutputStream commands = watchdog.getOutputStream();
        commands.write("INT\n".getBytes(StandardCharsets.US_ASCII));
        commands.flush();
        if (!exited(grace)) {
            kill();
            throw new IOException("PostgreSQL did not stop within " + grace + " of a fast shutdown; killed it. "
                    + "See " + log);
        }
    }

    /**
     * SIGKILL for postgres and every process of it, as a crashed machine would see it; returns once they are gone.
     * Found first: once postgres dies its backends are no longer its descendants.
     */
    void kill() throws IOException {
        List<ProcessHandle> tree = new ArrayList<>(watchdog.descendants().toList());
        tree.add(watchdog.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
        try {
            CompletableFuture.allOf(tree.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
                    .get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new IOException("Processes of PostgreSQL survived SIGKILL for " + KILL_WAIT + ": "
                    + tree.stream().filter(ProcessHandle::isAlive).toList(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while killing PostgreSQL", e);
        }
    }

    /** The watchdog, postgres and its backends, as of now; empty once all ended. */
    List<ProcessHandle> processes() {
        List<ProcessHandle> tree = new ArrayList<>();
        if (watchdog.isAlive()) {
            tree.add(watchdog.toHandle());
        }
        watchdog.descendants().forEach(tree::add);
        return tree;
    }

    private boolean exited(Duration timeout) throws IOException {
        try {
            return watchdog.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while stopping PostgreSQL", e);
        }
    }
}
