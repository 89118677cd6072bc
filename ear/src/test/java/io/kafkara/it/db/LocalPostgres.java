package io.kafkara.it.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.kafkara.it.broker.LogTail;
import io.kafkara.it.run.RunSample;

/**
 * A real PostgreSQL server (the binaries of {@link PostgresBinaries}) on 127.0.0.1, for tests whose database must
 * outlive a killed application server with its prepared XA branches: {@code max_prepared_transactions} is 64
 * (PostgreSQL's default 0 refuses PREPARE TRANSACTION). One database and one password user for the application;
 * the superuser's password never leaves this object.
 *
 * <pre>{@code
 * try (LocalPostgres db = LocalPostgres.start(buildDir.resolve("postgres-dist"), workDir.resolve("postgres"))) {
 *     try (Connection c = db.connect()) { ... }        // as db.user() with db.password(), on db.jdbcUrl()
 *     db.kill();                                         // SIGKILL, like a crashed machine
 *     db.restart();                                      // same data and port; returns once it accepts logins
 * }
 * }</pre>
 *
 * <p>It never outlives the JVM that started it: {@link #close()} stops it, and {@link PostgresProcess}'s watchdog
 * shuts it down when this JVM is gone, however it ended. As root it runs as an unprivileged user
 * ({@link UnprivilegedUser}). Data and logs ({@code postgres.log}, {@code initdb.log}) stay in the directory,
 * except the data of a root build that user cannot enter ({@link #start}).
 */
public final class LocalPostgres implements AutoCloseable {

    public static final String DATABASE = "kafkara";
    public static final String USER = "kafkara";

    private static final String SUPERUSER = "postgres";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    /** Tries of a start when another process took the port before postgres bound it. */
    private static final int START_ATTEMPTS = 3;
    private static final int TAIL_LINES = 30;

    private final Path bin;
    private final Path data;
    private final Path log;
    private final UnprivilegedUser runAs;
    /** The temporary directory that holds binaries and data when the unprivileged user cannot enter the build's. */
    private Path scratch;
    private final String superuserPassword = newPassword();
    private final String password = newPassword();
    private int port;
    private PostgresProcess process;

    private LocalPostgres(Path bin, Path data, Path log, UnprivilegedUser runAs, Path scratch) {
        this.bin = bin;
        this.data = data;
        this.log = log;
        this.runAs = runAs;
        this.scratch = scratch;
    }

    /**
     * Unpacks the binaries under {@code binariesRoot} (once), creates a new cluster in {@code directory} (emptied
     * first), starts it on a free port and returns once the application's user can log in to its database. The
     * logs are always written to {@code directory}; binaries and data go to a temporary directory, deleted by
     * {@link #close()}, when the build runs as root in a directory the unprivileged user cannot enter.
     */
    public static LocalPostgres start(Path binariesRoot, Path directory) throws IOException {
        UnprivilegedUser runAs = UnprivilegedUser.forThisJvm();
        RunSample.deleteRecursively(directory);
        Files.createDirectories(directory);
        Files.createDirectories(binariesRoot);
        Path scratch = runAs.canEnter(binariesRoot) && runAs.canEnter(directory) ? null : runAs.enterableTempDirectory();
        Path bin;
        try {
            bin = PostgresBinaries.unpackedUnder(scratch == null ? binariesRoot : scratch);
        } catch (IOException | RuntimeException e) {
            if (scratch != null) {
                RunSample.deleteRecursively(scratch);
            }
            throw e;
        }
        Path data = (scratch == null ? directory : scratch).resolve("data");
        LocalPostgres db = new LocalPostgres(bin, data, directory.resolve("postgres.log"), runAs, scratch);
        try {
            InitDb.create(bin.resolve("initdb"), data, SUPERUSER, db.superuserPassword, runAs, directory.resolve("initdb.log"));
            db.launch(freePort());
            db.createApplicationDatabase();
        } catch (IOException | RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    public String user() {
        return USER;
    }

    public String password() {
        return password;
    }

    /** A new connection as the application's user, in auto-commit mode. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), credentials(USER, password));
    }

    /** Fast shutdown: sessions are ended and their open transactions rolled back; prepared transactions stay. */
    public synchronized void stop() throws IOException {
        if (process != null) {
            process.stop(STOP_GRACE);
        }
    }

    /** SIGKILL for postgres and all its processes; what was committed or prepared survives it. */
    public synchronized void kill() throws IOException {
        if (process != null) {
            process.kill();
        }
    }

    /** Stops the server if it runs, starts it again on the same data and port, returns once it accepts logins. */
    public synchronized void restart() throws IOException {
        stop();
        launch(port);
    }

    /** The watchdog, postgres and its backends, as of now: empty after {@link #close()}. */
    public synchronized List<ProcessHandle> processes() {
        return process == null ? List.of() : process.processes();
    }

    /** Whether {@code process} runs the postgres binary: the server process or one of its backends. */
    public static boolean isPostgres(ProcessHandle process) {
        return process.info().command().orElse("").endsWith("/bin/postgres");
    }

    /** Where the cluster's data is: in the directory given to {@link #start}, or in the temporary one. */
    Path dataDirectory() {
        return data;
    }

    public Path logFile() {
        return log;
    }

    /**
     * Stops the server (killing it if a fast shutdown takes over 30 s); keeps its files, unless they are in a
     * temporary directory. Idempotent.
     */
    @Override
    public synchronized void close() throws IOException {
        try {
            stop();
        } finally {
            if (scratch != null) {
                RunSample.deleteRecursively(scratch);
                scratch = null;
            }
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL on 127.0.0.1:" + port + " (data " + data + ", log " + log + ")";
    }

    /** Starts postgres on {@code firstPort} (another free one if it was taken meanwhile) and waits until it is ready. */
    private void launch(int firstPort) throws IOException {
        port = firstPort;
        for (int attempt = 1; ; attempt++) {
            process = PostgresProcess.start(command(), log);
            if (awaitReady()) {
                return;
            }
            boolean portTaken = Files.readString(log).contains("could not bind");
            if (!portTaken || attempt == START_ATTEMPTS) {
                throw new IOException("PostgreSQL exited while starting on port " + port + "\n"
                        + LogTail.of(log, TAIL_LINES));
            }
            port = freePort();
        }
    }

    private List<String> command() {
        List<String> command = new ArrayList<>(runAs.commandPrefix());
        command.addAll(List.of(bin.resolve("postgres").toString(), "-D", data.toString(),
                "-c", "listen_addresses=127.0.0.1",
                "-c", "port=" + port,
                // No Unix socket: its default directory (/var/run/postgresql or /tmp) is shared with whatever else runs.
                "-c", "unix_socket_directories=",
                "-c", "max_prepared_transactions=64",
                "-c", "shared_buffers=16MB"));
        return command;
    }

    /** True once the superuser can log in, false if postgres exited first; fails after {@link #READY_TIMEOUT}. */
    private boolean awaitReady() throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (process.isAlive()) {
            try (Connection ignored = superuserConnection("postgres")) {
                return true;
            } catch (SQLException notYet) {
                if (System.nanoTime() > deadline) {
                    process.kill();
                    throw new IOException("PostgreSQL did not accept logins on port " + port + " within "
                            + READY_TIMEOUT + " (last: " + notYet.getMessage() + ")\n" + LogTail.of(log, TAIL_LINES));
                }
            }
            pause();
        }
        return false;
    }

    private void createApplicationDatabase() throws IOException {
        try (Connection connection = superuserConnection("postgres"); Statement statement = connection.createStatement()) {
            // PostgreSQL logs the text of a failed statement; this one holds the password.
            statement.execute("SET log_min_error_statement = PANIC");
            // The password is hex: nothing to quote.
            statement.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + password + "'");
            statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
        } catch (SQLException e) {
            throw new IOException("Cannot create the database " + DATABASE + " and its user on " + this, e);
        }
    }

    private Connection superuserConnection(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), credentials(SUPERUSER, superuserPassword));
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private static Properties credentials(String user, String password) {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "5");
        return properties;
    }

    private static String newPassword() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on 127.0.0.1", e);
        }
    }

    private static void pause() throws IOException {
        try {
            TimeUnit.MILLISECONDS.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting for PostgreSQL", e);
        }
    }
}
