package io.kafkara.it.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;

import com.sun.security.auth.module.UnixSystem;

/**
 * Who runs {@code initdb} and {@code postgres}. Both refuse to run as root ("cannot be run as root"), and CI
 * machines and containers often run the build as root. Then they run as {@code nobody} (uid and gid 65534)
 * through util-linux's {@code setpriv}, which changes the ids and execs, so the postgres process keeps the pid
 * the harness started; the directories postgres writes are handed to that user, and everything it reads must be
 * reachable by others (the build's directories are, with the usual umask 022). As any other user they run as
 * that user, unchanged.
 */
final class UnprivilegedUser {

    private static final int NOBODY = 65534;

    private final boolean root;

    private UnprivilegedUser(boolean root) {
        this.root = root;
    }

    static UnprivilegedUser forThisJvm() {
        return new UnprivilegedUser(new UnixSystem().getUid() == 0);
    }

    /** What goes in front of a PostgreSQL command so it runs as the unprivileged user. */
    List<String> commandPrefix() {
        return root ? List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups") : List.of();
    }

    /** Makes {@code path} the unprivileged user's, for what postgres writes (its data directory, initdb's input). */
    void handOver(Path path) throws IOException {
        if (root) {
            Files.setAttribute(path, "unix:uid", NOBODY);
            Files.setAttribute(path, "unix:gid", NOBODY);
        }
    }

    /**
     * Fails naming the directory when {@code nobody} could not reach {@code path}: initdb would only say
     * "Permission denied" about a file it cannot see.
     */
    void requireReachable(Path path) throws IOException {
        if (!root) {
            return;
        }
        for (Path dir = path.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
            if (!Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IOException("PostgreSQL runs as uid " + NOBODY + " because this build runs as root, and that "
                        + "user cannot reach " + path + ": " + dir + " is not searchable by others (chmod o+x " + dir
                        + ", or build from a directory other users can reach)");
            }
        }
    }
}
