package io.kafkara.it.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * How much the benchmark runs, from system properties (defaults in brackets): {@code bench.rounds} [7];
 * the records suite's {@code bench.records} [1,000,000] of {@code bench.record.size} [100] bytes per run; the
 * transactions suite's {@code bench.tx.callers} [8] callers committing transactions of {@code bench.tx.records}
 * [10] records each for {@code bench.tx.seconds} [15] per run; the latency runs' {@code bench.latency.seconds} [3]
 * at half the plain producer's median throughput of the rounds; {@code bench.modes} [all] the modes to run (names of
 * {@link Mode}, comma-separated); {@code bench.capacity} [true] whether threads and record-buffer heap are measured.
 */
record BenchmarkSettings(int rounds, int records, int size, int callers, int recordsPerTransaction,
                         Duration transactionRun, Duration latencyRun, List<Mode> modes, boolean capacity) {

    static BenchmarkSettings fromSystemProperties() {
        String modes = System.getProperty("bench.modes", "");
        return new BenchmarkSettings(Integer.getInteger("bench.rounds", 7),
                Integer.getInteger("bench.records", 1_000_000),
                Integer.getInteger("bench.record.size", 100),
                Integer.getInteger("bench.tx.callers", 8),
                Integer.getInteger("bench.tx.records", 10),
                Duration.ofSeconds(Integer.getInteger("bench.tx.seconds", 15)),
                Duration.ofSeconds(Integer.getInteger("bench.latency.seconds", 3)),
                modes.isBlank() ? List.of(Mode.values())
                        : Arrays.stream(modes.split(",")).map(String::trim).map(Mode::valueOf).toList(),
                Boolean.parseBoolean(System.getProperty("bench.capacity", "true")));
    }

    /** The unrecorded first round: long enough for the JIT and the connection pools, shorter than a real one. */
    BenchmarkSettings warmUp() {
        return new BenchmarkSettings(1, records / 2, size, callers, recordsPerTransaction,
                Duration.ofSeconds(Math.max(1, transactionRun.toSeconds() / 3)), latencyRun, modes, capacity);
    }

    /** Whether the latency runs are part of this benchmark: they need the plain producer's rate and mode (b). */
    boolean latency() {
        return modes.contains(Mode.KAFKA_PRODUCER) && modes.contains(Mode.ADAPTER_HELD);
    }
}
