package io.kafkara.it.portable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The threads of a server JVM this test JVM did not start as a child (the server's own scripts detach it). */
public final class JvmThreads {

    /** A dump without any frame of the adapter and without Kafka's own sender thread: the adapter is gone. */
    public static final Predicate<String> NO_ADAPTER_THREAD = dump -> !dump.contains("io.kafkara.")
            && !dump.contains("kafka-producer-network-thread");

    private JvmThreads() {
    }

    /** jcmd Thread.print of process {@code pid}. */
    public static String dump(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print")
                .redirectErrorStream(true).start();
        String dump = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        return dump;
    }

    /** Dumps process {@code pid} until a dump satisfies {@code done}, at most {@code bound}; returns that dump. */
    public static String awaitDump(long pid, Predicate<String> done, Duration bound, String server)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            String dump = dump(pid);
            if (done.test(dump)) {
                return dump;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Within " + bound.toSeconds() + " s, the threads of " + server
                        + " did not become as expected; the last dump:\n" + dump);
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }
}
