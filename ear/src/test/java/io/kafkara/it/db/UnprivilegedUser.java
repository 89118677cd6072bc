package io.kafkara.it.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import com.sun.security.auth.module.UnixSystem;

/**
 * Who runs {@code initdb} and {@code postgres}. Both refuse to run as root ("cannot be run as root"), and CI
 * machines and containers often run the build as root. Then they run as {@code nobody} (uid and gid 65534)
 * through util-linux's {@code setpriv}, which changes the ids and execs, so the postgres process keeps the pid
 * the harness started; the directories postgres writes are handed to that user, and everything it reads must be
 * reachable by others: the build's directories usually are (umask 022), otherwise the harness moves the binaries
 * and the data to a temporary directory that is. As any other user they run as that user, unchanged.
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

    /** Whether the unprivileged user can enter {@code dir}: it and every directory above it are searchable by others. */
    boolean canEnter(Path dir) throws IOException {
        if (!root) {
            return true;
        }
        for (Path each = dir.toAbsolutePath(); each != null; each = each.getParent()) {
            if (!Files.getPosixFilePermissions(each).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A new directory the unprivileged user can enter, for when the build's own cannot be (a clone in a
     * {@code mktemp -d} directory or under {@code /root}, both mode 700): under {@code java.io.tmpdir}, which is
     * {@code /tmp} (mode 1777) unless set otherwise. The caller deletes it.
     */
    Path enterableTempDirectory() throws IOException {
        Path dir = Files.createTempDirectory("kafkara-postgres-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (!canEnter(dir)) {
            Files.delete(dir);
            throw new IOException("PostgreSQL runs as uid " + NOBODY + " because this build runs as root, and that user "
                    + "can enter neither the build directory nor " + dir.getParent() + " (java.io.tmpdir); make one "
                    + "of them searchable by others (chmod o+x)");
        }
        return dir;
    }
}
