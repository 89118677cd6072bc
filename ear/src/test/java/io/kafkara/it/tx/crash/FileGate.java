package io.kafkara.it.tx.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A point a crash scenario stops at, shared through files between the server (which reaches it and waits there) and
 * the test (which waits until every scenario reached its gate, then kills the server, or releases a gate and kills
 * the server at once). The wait is bounded, so a test that failed before the kill leaves no thread stuck forever.
 */
public final class FileGate {

    /** How long the server waits at a gate: longer than any test waits before killing it. */
    private static final Duration HOLD = Duration.ofMinutes(5);

    private final Path reached;
    private final Path released;

    public FileGate(Path directory, String name) {
        this.reached = directory.resolve(name + ".reached");
        this.released = directory.resolve(name + ".released");
    }

    /** Server side: marks the gate reached and holds the calling thread there until released (or killed). */
    public void reachAndHold() throws InterruptedException {
        try {
            Files.createDirectories(reached.getParent());
            Files.writeString(reached, Long.toString(ProcessHandle.current().pid()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + HOLD.toNanos();
        // Polled often: a released scenario should run on at once, so that the kill right after meets it running.
        while (!Files.exists(released)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Gate " + reached + " was held for " + HOLD + " and neither released "
                        + "nor was the server killed");
            }
            TimeUnit.MILLISECONDS.sleep(1);
        }
    }

    /** Test side: lets the scenario held at this gate go on. */
    public void release() throws IOException {
        Files.writeString(released, "go");
    }

    /** Test side: whether the server reached the gate. */
    public boolean isReached() {
        return Files.exists(reached);
    }

    @Override
    public String toString() {
        return reached.getFileName().toString();
    }
}
