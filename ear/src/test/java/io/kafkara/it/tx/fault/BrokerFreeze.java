package io.kafkara.it.tx.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A broker JVM held with SIGSTOP until {@link #close()} sends SIGCONT: its sockets stay open and the kernel keeps
 * accepting bytes, but nothing answers, as with a broker stalled in a long GC pause or a frozen VM. Use it in
 * try-with-resources so the broker resumes whatever the test does.
 */
public final class BrokerFreeze implements AutoCloseable {

    private static final Duration SIGNAL_TIMEOUT = Duration.ofSeconds(10);

    private final long pid;
    private final long stoppedAt;

    private BrokerFreeze(long pid) {
        this.pid = pid;
        this.stoppedAt = System.nanoTime();
    }

    public static BrokerFreeze stop(long pid) throws IOException, InterruptedException {
        signal("-STOP", pid);
        BrokerFreeze freeze = new BrokerFreeze(pid);
        freeze.awaitState('T', "stopped");
        return freeze;
    }

    /** How long the broker has been frozen. */
    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - stoppedAt);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        signal("-CONT", pid);
        awaitState('S', "running again");
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).redirectErrorStream(true).start();
        if (!kill.waitFor(SIGNAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            kill.destroyForcibly();
            throw new IllegalStateException("kill " + signal + " " + pid + " did not return in " + SIGNAL_TIMEOUT);
        }
        if (kill.exitValue() != 0) {
            throw new IllegalStateException("kill " + signal + " " + pid + " failed: "
                    + new String(kill.getInputStream().readAllBytes()));
        }
    }

    /**
     * The signal is delivered asynchronously: wait until /proc shows the process in the expected state ('T' stopped;
     * anything else counts as running for 'S').
     */
    private void awaitState(char expected, String description) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + SIGNAL_TIMEOUT.toNanos();
        while (true) {
            char state = state();
            if (expected == 'T' ? state == 'T' : state != 'T') {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Broker pid " + pid + " is not " + description + " " + SIGNAL_TIMEOUT
                        + " after the signal: state " + state);
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    /** The state letter of /proc/<pid>/stat: the field after the parenthesised command name. */
    private char state() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }
}
