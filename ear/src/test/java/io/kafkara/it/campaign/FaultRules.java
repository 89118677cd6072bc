package io.kafkara.it.campaign;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The Byteman side of a campaign: the agent jar of the test classpath, loaded into every boot of the server JVM
 * with one rule script, which the campaign rewrites before each boot with the next round's rule (or none for a
 * random kill). A rule fires only once {@link #arm() armed}, so that recovery at boot does not count hits, and it
 * writes a marker file before it halts the JVM: the proof that the kill happened at its point.
 */
public final class FaultRules {

    private final Path script;
    private final Path armed;
    private final Path markers;
    private Path marker;

    FaultRules(Path directory) throws IOException {
        Files.createDirectories(directory);
        this.script = directory.resolve("campaign.btm").toAbsolutePath();
        this.armed = directory.resolve("armed").toAbsolutePath();
        this.markers = Files.createDirectories(directory.resolve("markers")).toAbsolutePath();
        Files.writeString(script, "# no rule\n");
    }

    /**
     * The server JVM's JDK_JAVA_OPTIONS: the agent with the script. An agent of the java command line, not of
     * jboss-modules (MODULE_OPTS), which looks the agent's class up in a class path that does not hold the jar;
     * standalone.conf already makes org.jboss.byteman a system package, so the rules' code links in every module.
     * The java launcher reads the variable itself, so standalone.conf's JAVA_OPTS stay as they are.
     */
    String javaOptions() throws IOException {
        return "-javaagent:" + agentJar() + "=script:" + script;
    }

    /** Before the boot that runs {@code round}: its rule, unarmed. */
    void prepare(int round, Fault fault) throws IOException {
        Files.deleteIfExists(armed);
        marker = markers.resolve("round-" + round + ".txt");
        Files.deleteIfExists(marker);
        Files.writeString(script, fault.isRandom() ? "# round " + round + ": a random kill, no rule\n"
                : fault.point().rule(fault.hit(), armed.toString(), marker.toString()));
    }

    /** From now on the rule counts hits. */
    void arm() throws IOException {
        Files.writeString(armed, "armed\n");
    }

    /** After a kill: the next boot's recovery runs unarmed. */
    void disarm() throws IOException {
        Files.deleteIfExists(armed);
    }

    /** What the rule wrote before halting the JVM, once it did; at most {@code within}, else null. */
    String awaitMarker(Duration within, BooleanSupplier serverAlive)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(marker)) {
                String text = Files.readString(marker).strip();
                if (!text.isEmpty()) {
                    return text;
                }
            }
            if (!serverAlive.getAsBoolean() && !Files.exists(marker)) {
                return null;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return null;
    }

    Path script() {
        return script;
    }

    /** The Byteman agent jar of the test classpath, for a server JVM's -javaagent. */
    public static Path agentJar() throws IOException {
        try {
            return Path.of(org.jboss.byteman.agent.Main.class.getProtectionDomain().getCodeSource().getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IOException("Cannot locate the Byteman agent jar", e);
        }
    }
}
