package io.kafkara.it.liberty;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import io.kafkara.it.broker.SharedKafka;
import io.kafkara.it.db.LocalPostgres;
import io.kafkara.it.portable.CrashAtCommit;
import io.kafkara.it.portable.OrdersTable;
import io.kafkara.it.tx.crash.CrashDeployment;

/**
 * Crash recovery on Open Liberty ({@link CrashAtCommit}): the server halted at the adapter's commit of an XA
 * transaction with a PostgreSQL XA datasource, restarted, and Liberty's recovery ({@code recoverOnStartup}, retried
 * every 5 s) commits the branch in doubt through the adapter, each record once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class OpenLibertyCrashRecoveryIT {

    private static final Duration BOUND = Duration.ofMinutes(2);
    private static final String RECOVERY = "<transaction recoverOnStartup=\"true\" heuristicRetryInterval=\"5s\"/>";

    private LocalPostgres database;
    private LibertyApplication application;
    private LibertyServer server;

    /**
     * Removes the application first: a server stopped with the adapter's sender loops running waits out Liberty's
     * 30 s quiesce, since it stops applications and adapters only after it (src/docs/servers.md, "Open Liberty").
     */
    @AfterAll
    void stop() throws Exception {
        try (LocalPostgres stopped = database) {
            if (server != null && server.isAlive()) {
                server.rewriteServerXml(application.serverXml(false, RECOVERY));
                server.awaitMessage("CWWKZ0009I: The application " + LibertyApplication.NAME + " has stopped", BOUND);
            }
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void aBranchInDoubtAtTheKillIsCommittedOnceByTheRestartedServersRecovery() throws Exception {
        String bootstrapServers = SharedKafka.get().bootstrapServers();
        database = LocalPostgres.start(CrashDeployment.workDirectory("postgres-dist"),
                CrashDeployment.workDirectory("liberty-crash-postgres"));
        OrdersTable.create(database);
        CrashAtCommit crash = new CrashAtCommit(CrashDeployment.workDirectory("liberty-crash-rules"));
        Path wlp = Path.of(System.getProperty("liberty.home"));
        application = LibertyApplication.export(wlp, bootstrapServers, database);
        server = LibertyServer.create(wlp, "kafkara-crash",
                // Recovery at start, and its retry after 5 s rather than 60: the first attempt comes before the
                // application's adapter is installed, and fails.
                application.serverXml(true, RECOVERY), List.of(crash.agentOption()));
        server.start();
        server.awaitMessage("CWWKZ0001I: Application " + LibertyApplication.NAME + " started", BOUND);

        crash.haltThenRecover(server, bootstrapServers, database, LibertyApplication.BRANCH_JOURNAL, "liberty");
    }
}
