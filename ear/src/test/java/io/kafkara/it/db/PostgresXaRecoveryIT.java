package io.kafkara.it.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.kafkara.it.run.LocalWildFly;
import io.kafkara.it.tx.crash.CrashDeployment;
import io.kafkara.it.tx.crash.FileGate;
import io.kafkara.it.tx.crash.GatedCalls;

/**
 * The database half of "proof under faults": a branch prepared in a real PostgreSQL survives a SIGKILL of the
 * WildFly whose transaction manager prepared it, and that server's recovery commits it after the restart. A WildFly
 * of its own (first free port offset from 1100, node name {@code pg-node}, Narayana scanning every 5 s) runs one
 * JTA transaction, a {@link io.kafkara.it.tx.crash.BlockingResource} and an insert through the PostgreSQL XA
 * datasource ({@link PreparedInsertServlet}), held in its first commit, after the decision was logged; the server
 * JVM is killed there and restarted on the same base directory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresXaRecoveryIT {

    private static final Duration RECOVERY = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String id = "order-" + UUID.randomUUID().toString().substring(0, 8);
    private final long started = System.nanoTime();
    private LocalPostgres db;
    private LocalWildFly server;
    private List<String> preparedAtGate;
    private List<String> preparedAfterKill;
    private boolean rowVisibleAfterKill;
    private boolean killedWithoutAnswer;

    @BeforeAll
    void prepareKillAndRestart() throws Exception {
        Path work = CrashDeployment.workDirectory("postgres-xa");
        db = LocalPostgres.start(CrashDeployment.workDirectory("postgres-dist"), work.resolve("postgres"));
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE orders (id VARCHAR(64) PRIMARY KEY)");
        }
        server = LocalWildFly.prepare(Path.of(System.getProperty("jboss.home")), work.resolve("wildfly"),
                LocalWildFly.freePortOffset(1100));
        for (Path deployment : PostgresXaDeployment.export(work, db)) {
            server.deploy(deployment);
        }
        server.start(systemProperties());
        server.awaitDeployed(PostgresXaDeployment.DATASOURCE_FILE, Duration.ofMinutes(2));
        server.awaitDeployed(PostgresXaDeployment.WAR, Duration.ofMinutes(2));

        Path gates = work.resolve("gates-" + id);
        FileGate gate = new FileGate(gates, id);
        CompletableFuture<HttpResponse<String>> call = insert(gates);
        GatedCalls.awaitGates(List.of(gate), List.of(call), Duration.ofMinutes(1));
        preparedAtGate = preparedTransactions();

        server.kill();
        killedWithoutAnswer = GatedCalls.failedWithoutAnswer(call);
        preparedAfterKill = preparedTransactions();
        rowVisibleAfterKill = rowVisible();
        server.restart(PostgresXaDeployment.WAR, systemProperties(), Duration.ofMinutes(2));
    }

    @Test
    void theServerDiedHoldingTheTransactionInItsCommit() {
        assertTrue(killedWithoutAnswer, "the insert's request was answered instead of failing with the server");
        assertEquals(1, preparedAtGate.size(), "PostgreSQL's branch is prepared while the first commit holds: "
                + preparedAtGate);
        // pgjdbc names a branch <formatId>_<gtrid>_<bqual>; 131077 is Narayana's format id.
        assertTrue(preparedAtGate.get(0).startsWith("131077_"), "the branch is Narayana's: " + preparedAtGate);
    }

    @Test
    void thePreparedBranchSurvivesTheKill() {
        assertEquals(preparedAtGate, preparedAfterKill, "the prepared transaction outlives the server that prepared it");
        assertFalse(rowVisibleAfterKill, "a prepared insert is invisible until committed");
    }

    @Test
    void recoveryCommitsTheBranchAfterTheRestart() throws Exception {
        long deadline = System.nanoTime() + RECOVERY.toNanos();
        while ((!rowVisible() || !preparedTransactions().isEmpty()) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(250);
        }
        assertEquals(List.of(), preparedTransactions(), "recovery completed the branch " + preparedAtGate
                + " within " + RECOVERY + "; see " + server.logFile());
        assertTrue(rowVisible(), "recovery committed the branch, not rolled it back: the row " + id + " is there");
    }

    @AfterAll
    void stopEverything() throws Exception {
        List<ProcessHandle> left = new ArrayList<>();
        try {
            if (server != null) {
                server.stop();
            }
        } finally {
            if (db != null) {
                db.close();
                left.addAll(db.processes());
            }
        }
        System.out.println(getClass().getSimpleName() + " took " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime()
                - started) + " s");
        assertEquals(List.of(), left, "no process of PostgreSQL outlives close()");
    }

    private CompletableFuture<HttpResponse<String>> insert(Path gates) {
        URI uri = URI.create("http://127.0.0.1:" + server.httpPort() + "/pg-crash/insert?id=" + id + "&gates="
                + gates.toAbsolutePath());
        return HTTP.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private List<String> preparedTransactions() throws SQLException {
        List<String> gids = new ArrayList<>();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT gid FROM pg_prepared_xacts WHERE database = current_database() ORDER BY gid")) {
            while (rows.next()) {
                gids.add(rows.getString(1));
            }
        }
        return gids;
    }

    private boolean rowVisible() throws SQLException {
        try (Connection connection = db.connect();
             PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM orders WHERE id = ?")) {
            query.setString(1, id);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1) == 1;
            }
        }
    }

    private static Map<String, String> systemProperties() {
        return Map.of("jboss.node.name", "pg-node",
                "RecoveryEnvironmentBean.periodicRecoveryPeriod", "5",
                "RecoveryEnvironmentBean.recoveryBackoffPeriod", "1");
    }
}
