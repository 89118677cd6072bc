package io.kafkara.it.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.kafkara.it.broker.LogTail;

/**
 * A new PostgreSQL cluster made by {@code initdb}: a data directory owned by the user postgres runs as (mode 700,
 * as postgres requires), a password superuser, and password authentication (SCRAM) for every TCP login.
 */
final class InitDb {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int TAIL_LINES = 30;

    private InitDb() {
    }

    static void create(Path initdb, Path data, String superuser, String password, UnprivilegedUser runAs, Path log)
            throws IOException {
        Files.createDirectory(data);
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        runAs.handOver(data);
        // initdb reads the superuser's password from a file; it is ours alone for the moment it exists.
        Path passwordFile = Files.createFile(data.resolveSibling("superuser.pw"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(passwordFile, password);
            runAs.handOver(passwordFile);
            List<String> command = new ArrayList<>(runAs.commandPrefix());
            command.addAll(List.of(initdb.toString(), "--pgdata=" + data, "--username=" + superuser,
                    "--pwfile=" + passwordFile, "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C",
                    // The data is thrown away after the test; syncing every file of a new cluster costs seconds.
                    "--no-sync"));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("initdb took over " + TIMEOUT + "\n" + LogTail.of(log, TAIL_LINES));
            }
            if (process.exitValue() != 0) {
                throw new IOException("initdb failed with exit code " + process.exitValue() + "\n"
                        + LogTail.of(log, TAIL_LINES));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while initdb ran", e);
        } finally {
            Files.deleteIfExists(passwordFile);
        }
    }
}
