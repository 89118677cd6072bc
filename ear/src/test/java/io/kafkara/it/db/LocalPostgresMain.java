package io.kafkara.it.db;

import java.nio.file.Path;

/**
 * Starts a {@link LocalPostgres} and keeps it until this JVM ends, for the test that kills this JVM to see the
 * watchdog at work (and for a person who wants a PostgreSQL with prepared transactions at hand). Prints the
 * JDBC URL, the log file, one line {@code pid N} per postgres process, then {@code ready}; never the password.
 *
 * <pre>{@code
 * java -cp <test classpath> io.kafkara.it.db.LocalPostgresMain ear/target/postgres-dist ear/target/postgres-main
 * }</pre>
 */
public final class LocalPostgresMain {

    private LocalPostgresMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: LocalPostgresMain <directory to unpack the binaries in> <data and log directory>");
            System.exit(2);
        }
        LocalPostgres db = LocalPostgres.start(Path.of(args[0]), Path.of(args[1]));
        System.out.println("url=" + db.jdbcUrl());
        System.out.println("log=" + db.logFile());
        db.processes().stream().filter(LocalPostgres::isPostgres).forEach(p -> System.out.println("pid " + p.pid()));
        System.out.println("ready");
        System.out.flush();
        // Until this JVM is stopped or killed; either way postgres follows it.
        Thread.currentThread().join();
    }
}
