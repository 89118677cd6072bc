package io.kafkara.it.bench;

import java.util.Collection;

/**
 * What one concurrent caller of a transaction benchmark did: how many transactions it committed between its
 * start and its end ({@code System.nanoTime()} of the JVM it ran in). Callers of one run share a JVM, so their
 * times are comparable; the run's rate counts every commit over the span from the first start to the last end.
 */
record CallerRun(long transactions, long startNanos, long endNanos) {

    /** Committed transactions per second of callers that ran at the same time in one JVM. */
    static double perSecond(Collection<CallerRun> callers) {
        long start = callers.stream().mapToLong(CallerRun::startNanos).min().orElseThrow();
        long end = callers.stream().mapToLong(CallerRun::endNanos).max().orElseThrow();
        long transactions = callers.stream().mapToLong(CallerRun::transactions).sum();
        return transactions / ((end - start) / 1e9);
    }

    /** The servlet's answer: three numbers separated by spaces. */
    String toWire() {
        return transactions + " " + startNanos + " " + endNanos;
    }

    static CallerRun fromWire(String answer) {
        String[] fields = answer.trim().split(" ");
        if (fields.length != 3) {
            throw new IllegalArgumentException("Expected '<transactions> <startNanos> <endNanos>', got: " + answer);
        }
        return new CallerRun(Long.parseLong(fields[0]), Long.parseLong(fields[1]), Long.parseLong(fields[2]));
    }
}
