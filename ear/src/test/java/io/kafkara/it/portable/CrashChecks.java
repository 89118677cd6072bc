package io.kafkara.it.portable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.kafkara.it.db.LocalPostgres;

/**
 * What the crash-recovery test of every server waits for and reads: the crash rule's marker, the server's JVM gone,
 * PostgreSQL's prepared transactions, the branch journal's last word per branch. Every wait is bounded.
 */
public final class CrashChecks {

    private static final Duration BOUND = Duration.ofMinutes(2);

    private CrashChecks() {
    }

    /** The marker the crash rule wrote when it fired; fails with {@code threadDump}'s dump if it never does. */
    public static String awaitMarker(Path marker, Callable<String> threadDump) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!Files.exists(marker) || Files.readString(marker).isBlank()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("The crash rule did not fire within " + BOUND.toSeconds() + " s\n"
                        + threadDump.call());
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return Files.readString(marker).strip();
    }

    /** Whether {@code alive} turned false within 30 s: the rule halted the server's JVM. */
    public static boolean awaitHalt(BooleanSupplier alive) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (alive.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return true;
    }

    /** PostgreSQL's prepared transactions, polled until none is left (recovery finished) or the bound ran out. */
    public static List<String> awaitNoPreparedTransaction(LocalPostgres database) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (true) {
            List<String> prepared = new ArrayList<>();
            try (Connection db = database.connect(); Statement query = db.createStatement();
                 ResultSet found = query.executeQuery("select gid from pg_prepared_xacts")) {
                while (found.next()) {
                    prepared.add(found.getString(1));
                }
            }
            if (prepared.isEmpty() || System.nanoTime() > deadline) {
                return prepared;
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }

    /** The journal's last value per branch key (hex): null once the branch ended. */
    public static Map<String, byte[]> lastValueByKey(List<ConsumerRecord<byte[], byte[]>> journal) {
        Map<String, byte[]> last = new HashMap<>();
        journal.forEach(record -> last.put(HexFormat.of().formatHex(record.key()), record.value()));
        return last;
    }
}
