package io.kafkara.it.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import io.kafkara.it.broker.ChildJvm;
import io.kafkara.it.broker.LogTail;
import io.kafkara.it.tx.crash.CrashDeployment;

/**
 * The PostgreSQL harness on its own: a prepared transaction survives a SIGKILL of postgres itself, as the
 * database of a crash test must; postgres runs as an unprivileged user when the build is root; and it never
 * outlives the JVM that started it, even when that JVM is killed.
 */
class LocalPostgresIT {

    private static final int TIMEOUT_SECONDS = 30;

    @Test
    void aPreparedTransactionSurvivesAKillOfPostgresAndCanBeCommittedAfterwards() throws Exception {
        try (LocalPostgres db = LocalPostgres.start(distribution(), work("postgres-kill"))) {
            try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE kept (id INT)");
                connection.setAutoCommit(false);
                statement.execute("INSERT INTO kept VALUES (1)");
                statement.execute("PREPARE TRANSACTION 'kept-1'");
            }

            db.kill();
            assertEquals(List.of(), db.processes(), "kill() leaves no process of PostgreSQL");
            db.restart();

            assertEquals(List.of("kept-1"), query(db, "SELECT gid FROM pg_prepared_xacts"),
                    "the prepared transaction is back after the restart");
            assertEquals(List.of(), query(db, "SELECT id FROM kept"), "and still invisible");
            query(db, "COMMIT PREPARED 'kept-1'");
            assertEquals(List.of("1"), query(db, "SELECT id FROM kept"), "committed after the restart");
            db.close();
            assertEquals(List.of(), db.processes(), "close() leaves no process of PostgreSQL");
        }
    }

    @Test
    void postgresRunsAsAnUnprivilegedUserWhenTheBuildIsRoot() throws Exception {
        try (LocalPostgres db = LocalPostgres.start(distribution(), work("postgres-user"))) {
            List<String> owners = db.processes().stream().filter(LocalPostgres::isPostgres)
                    .map(process -> process.info().user().orElse("?")).distinct().toList();
            String user = System.getProperty("user.name");
            assertEquals(List.of("root".equals(user) ? "nobody" : user), owners,
                    "the owners of postgres and its backends");
        }
    }

    @Test
    void aBuildDirectoryTheUnprivilegedUserCannotEnterIsReplacedByATemporaryOne() throws Exception {
        // Like a clone in a directory of mktemp -d (mode 700), as ../shared/tools/cold-run makes.
        Path closed = work("postgres-closed");
        Files.createDirectories(closed);
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        boolean root = "root".equals(System.getProperty("user.name"));
        Path data;
        try (LocalPostgres db = LocalPostgres.start(closed.resolve("dist"), closed.resolve("db"))) {
            data = db.dataDirectory();
            assertEquals(List.of("1"), query(db, "SELECT 1"), "PostgreSQL answers");
            assertEquals(!root, data.startsWith(closed), "the data is in the closed directory only when not root: "
                    + data);
        }
        assertEquals(!root, Files.exists(data), "close() deleted the temporary directory " + data.getParent());
    }

    @Test
    void postgresEndsWhenTheJvmThatStartedItIsKilled() throws Exception {
        Path directory = work("postgres-orphan");
        Files.createDirectories(directory.getParent());
        Path stderr = directory.resolveSibling("postgres-orphan-main.log");
        String classpathFile = System.getProperty(ChildJvm.CLASSPATH_FILE_PROPERTY);
        List<String> options = classpathFile == null ? List.of()
                : List.of("-D" + ChildJvm.CLASSPATH_FILE_PROPERTY + "=" + classpathFile);
        Process parent = new ChildJvm(ChildJvm.defaultClasspath(), options)
                .command(LocalPostgresMain.class.getName(), List.of(distribution().toString(), directory.toString()))
                .redirectError(stderr.toFile())
                .start();
        try {
            List<ProcessHandle> postgres = readUntilReady(parent, stderr);
            assertFalse(postgres.isEmpty(), "LocalPostgresMain printed the pids of postgres");

            // SIGKILL: no shutdown hook, no close(); only the watchdog's end-of-file can end postgres.
            parent.destroyForcibly();
            for (ProcessHandle process : postgres) {
                try {
                    process.onExit().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    process.destroyForcibly();
                    fail("postgres pid " + process.pid() + " outlived its killed parent by " + TIMEOUT_SECONDS + " s");
                }
            }
            String log = Files.readString(directory.resolve("postgres.log"));
            assertTrue(log.contains("received immediate shutdown request"),
                    "the watchdog, not something else, shut postgres down\n" + LogTail.of(directory.resolve("postgres.log"), 20));
        } finally {
            parent.destroyForcibly();
        }
    }

    /** The postgres processes LocalPostgresMain printed before "ready". */
    private static List<ProcessHandle> readUntilReady(Process parent, Path stderr) throws Exception {
        CompletableFuture<List<ProcessHandle>> pids = CompletableFuture.supplyAsync(() -> {
            List<ProcessHandle> processes = new ArrayList<>();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.equals("ready")) {
                        return processes;
                    }
                    if (line.startsWith("pid ")) {
                        ProcessHandle.of(Long.parseLong(line.substring(4))).ifPresent(processes::add);
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("LocalPostgresMain ended before it was ready");
        });
        try {
            return pids.get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("LocalPostgresMain did not start PostgreSQL; its stderr:\n" + LogTail.of(stderr, 40), e);
        }
    }

    private static List<String> query(LocalPostgres db, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            if (statement.execute(sql)) {
                try (ResultSet rows = statement.getResultSet()) {
                    while (rows.next()) {
                        values.add(rows.getString(1));
                    }
                }
            }
        }
        return values;
    }

    private static Path distribution() {
        return CrashDeployment.workDirectory("postgres-dist");
    }

    private static Path work(String name) {
        return CrashDeployment.workDirectory("postgres-harness").resolve(name);
    }
}
