package io.kafkara.it.campaign;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;

import io.kafkara.it.check.KafkaReader;
import io.kafkara.it.db.LocalPostgres;

/**
 * Whether the restarted server's recovery has settled what the kill left: no branch prepared in PostgreSQL
 * ({@code pg_prepared_xacts}) and no transaction of the adapter's transactional ids open at the coordinator (a
 * prepared Kafka branch shows as {@code Ongoing}, an unprepared one too). The next round starts only then, so
 * each round's kill meets a clean state and the check at the end sees what recovery did.
 */
final class RecoverySettled implements AutoCloseable {

    private final LocalPostgres db;
    private final String transactionalIdPrefix;
    private final Admin admin;

    RecoverySettled(LocalPostgres db, String bootstrap, String transactionalIdPrefix) {
        this.db = db;
        this.transactionalIdPrefix = transactionalIdPrefix;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    /** Polls until settled; returns what is still left after {@code within} (empty: settled). */
    List<String> await(Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        List<String> left = left();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(500);
            left = left();
        }
        return left;
    }

    private List<String> left() throws SQLException, ExecutionException, InterruptedException {
        List<String> left = new ArrayList<>();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT gid FROM pg_prepared_xacts WHERE database = current_database() ORDER BY gid")) {
            while (rows.next()) {
                left.add("prepared in PostgreSQL: " + rows.getString(1));
            }
        }
        for (TransactionListing listing : admin.listTransactions(new ListTransactionsOptions()
                .timeoutMs(10_000)).all().get()) {
            if (listing.transactionalId().startsWith(transactionalIdPrefix) && KafkaReader.OPEN.contains(listing.state())) {
                left.add("open in Kafka: " + listing.transactionalId() + " " + listing.state());
            }
        }
        return left;
    }

    @Override
    public void close() {
        admin.close();
    }
}
