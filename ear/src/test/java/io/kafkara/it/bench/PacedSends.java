package io.kafkara.it.bench;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.Callback;

/**
 * Sends {@code records} at a fixed rate and measures each one's latency, from the send call to its acknowledgement
 * (the callback). The rate is kept per millisecond: at every tick the records due by then are sent, then the
 * sender parks until the next tick, so that the producer's own thread keeps a core on this 2-core machine. The same
 * code paces the plain {@code KafkaProducer} in the benchmark's JVM and the adapter's connection in WildFly.
 */
final class PacedSends {

    /** One record out through the producer under test, with its completion callback. */
    @FunctionalInterface
    interface Sender {
        void send(Callback acknowledged);
    }

    private static final long TICK_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private PacedSends() {
    }

    /** The latencies in microseconds, sorted; fails if a send failed or not all were acknowledged within 60 s. */
    static long[] run(Sender sender, int records, double perSecond) throws InterruptedException {
        long[] sentAt = new long[records];
        long[] latencies = new long[records];
        CountDownLatch acknowledged = new CountDownLatch(records);
        AtomicReference<Exception> failure = new AtomicReference<>();
        long start = System.nanoTime();
        int sent = 0;
        while (sent < records) {
            long due = Math.min(records, (long) ((System.nanoTime() - start) / 1e9 * perSecond) + 1);
            for (; sent < due; sent++) {
                int index = sent;
                sentAt[index] = System.nanoTime();
                sender.send((metadata, exception) -> {
                    latencies[index] = System.nanoTime() - sentAt[index];
                    if (exception != null) {
                        failure.compareAndSet(null, exception);
                    }
                    acknowledged.countDown();
                });
            }
            LockSupport.parkNanos(TICK_NS - (System.nanoTime() - start) % TICK_NS);
        }
        if (!acknowledged.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(acknowledged.getCount() + " of " + records + " records were not "
                    + "acknowledged within 60 s");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("A paced send failed: " + failure.get(), failure.get());
        }
        for (int i = 0; i < records; i++) {
            latencies[i] = TimeUnit.NANOSECONDS.toMicros(latencies[i]);
        }
        Arrays.sort(latencies);
        return latencies;
    }

    /** "p50 p99" in microseconds, the wire form between the servlet and the benchmark. */
    static String percentiles(long[] sortedMicros) {
        return percentile(sortedMicros, 50) + " " + percentile(sortedMicros, 99);
    }

    static long percentile(long[] sortedMicros, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sortedMicros.length) - 1;
        return sortedMicros[Math.max(0, Math.min(sortedMicros.length - 1, index))];
    }
}
