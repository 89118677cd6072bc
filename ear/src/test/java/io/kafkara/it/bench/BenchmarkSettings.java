package io.kafkara.it.bench;

import java.time.Duration;

/**
 * How much the benchmark runs, from system properties (defaults in brackets): {@code bench.rounds} [5];
 * the records suite's {@code bench.records} [1,000,000] of {@code bench.record.size} [100] bytes per run; the
 * transactions suite's {@code bench.tx.callers} [8] callers committing transactions of {@code bench.tx.records}
 * [10] records each for {@code bench.tx.seconds} [15] per run.
 */
record BenchmarkSettings(int rounds, int records, int size, int callers, int recordsPerTransaction,
                         Duration transactionRun) {

    static BenchmarkSettings fromSystemProperties() {
        return new BenchmarkSettings(Integer.getInteger("bench.rounds", 5),
                Integer.getInteger("bench.records", 1_000_000),
                Integer.getInteger("bench.record.size", 100),
                Integer.getInteger("bench.tx.callers", 8),
                Integer.getInteger("bench.tx.records", 10),
                Duration.ofSeconds(Integer.getInteger("bench.tx.seconds", 15)));
    }

    /** The unrecorded first round: long enough for the JIT and the connection pools, shorter than a real one. */
    BenchmarkSettings warmUp() {
        return new BenchmarkSettings(1, records / 2, size, callers, recordsPerTransaction,
                Duration.ofSeconds(Math.max(1, transactionRun.toSeconds() / 3)));
    }
}
