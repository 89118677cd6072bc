package io.kafkara.it.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Judges the class loaders of one run's adapter deployments once all of them are undeployed: after full GCs, polled
 * with a bound, no more than {@link #MAX_RETAINED} of them may stay reachable, however many cycles the run had. A
 * leak of the adapter's own would keep every undeployed adapter: {@value RedeployCycles#CYCLES} cycles would leave
 * {@value RedeployCycles#CYCLES}.
 *
 * <p>Why not zero: heap dump walks found three holders that belong to the server (src/docs/lifecycle.md). A JBoss
 * Threads pool thread keeps the first task it ran for its whole life, and a sender Work's task leads to the adapter
 * through WildFly's work wrapper: the deployment whose Work made the JCA pool start a thread stays loaded. Our cycles
 * run one sender Work at a time, so the pool grows once at most (twice if a Work is submitted just before the
 * previous one's thread is back). H2 keeps the stack of the server's first H2 connection in a static exception: the
 * first sample EAR a server deploys stays loaded (in a fresh server the same deployment as the thread's). Narayana's
 * recovery keeps the XAResource of a definition's last scan until it is stale, 2 x 20 s later: {@link #WAIT}
 * outlasts it.
 *
 * <p>Exact: any loader still reachable must be kept only by those holders; {@link ServerHeldLoaders} checks it on a
 * heap dump, taken only then.
 */
final class RetainedLoaderBound {

    static final int MAX_RETAINED = 2;
    /** Narayana drops a recovery scan's XAResources at its first pass 40 s after their last scan (5 s passes here). */
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** Each reading runs a full GC in the server: poll gently. */
    private static final long POLL_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(3);

    private final URL probe;
    private final String run;
    private final File dumpDirectory;

    RetainedLoaderBound(URL probe, String run, File dumpDirectory) {
        this.probe = probe;
        this.run = run;
        this.dumpDirectory = dumpDirectory;
    }

    /**
     * Polls until at most {@link #MAX_RETAINED} of the run's adapter loaders are reachable; on failure the server
     * writes a heap dump next to the archive for a path-to-GC-root analysis, and the message names it.
     */
    void assertHeld(int deployments) throws Exception {
        long started = System.nanoTime();
        long deadline = started + WAIT.toNanos();
        ServerInspection reading = ServerInspection.read(probe, run);
        assertEquals(deployments, reading.trackedLoaders(), "the client published through " + reading.trackedLoaders()
                + " distinct adapter class loaders, expected one per deployment: " + deployments);
        while (reading.reachableLoaders().size() > MAX_RETAINED && System.nanoTime() < deadline) {
            LockSupport.parkNanos(POLL_INTERVAL_NANOS);
            reading = ServerInspection.read(probe, run);
        }
        long waitedMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
        System.out.printf("[lifecycle] %d of %d adapter class loaders of %s reachable after %d ms: %s%n",
                reading.reachableLoaders().size(), deployments, run, waitedMs, reading.reachableLoaders());
        File dump = new File(dumpDirectory, run + "-retained.hprof");
        Files.deleteIfExists(dump.toPath());
        if (reading.reachableLoaders().size() > MAX_RETAINED) {
            ServerInspection.readWithHeapDump(probe, run, dump);
            throw new AssertionError(reading.reachableLoaders().size() + " of the " + deployments + " undeployed "
                    + "adapters' class loaders are still reachable " + waitedMs + " ms after the last undeploy "
                    + reading.reachableLoaders() + "; at most " + MAX_RETAINED + " may be (the server's own holders, "
                    + "see src/docs/lifecycle.md). Heap dump for the path to the GC root: " + dump.getAbsolutePath());
        }
        if (!reading.reachableLoaders().isEmpty()) {
            // Exact: whatever keeps them must be one of the server's holders. A clean run needs no dump.
            long dumpStarted = System.nanoTime();
            ServerInspection.readWithHeapDump(probe, run, dump);
            System.out.printf("[lifecycle] heap dump written in %d ms%n",
                    Duration.ofNanos(System.nanoTime() - dumpStarted).toMillis());
            ServerHeldLoaders.assertOnlyServerHolders(dump, run);
            Files.delete(dump.toPath());
        }
    }
}
