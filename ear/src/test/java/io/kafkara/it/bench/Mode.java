package io.kafkara.it.bench;

import java.util.Arrays;
import java.util.List;

/** What one benchmark run measures, and which suite (unit and baseline) it belongs to. */
enum Mode {
    KAFKA_PRODUCER(Suite.RECORDS, "KafkaProducer (baseline)", null),
    ENGINE(Suite.RECORDS, "engine standalone (a)", null),
    ADAPTER_HELD(Suite.RECORDS, "adapter, one connection (b)", 0.95),
    ADAPTER_PER_RECORD(Suite.RECORDS, "adapter, per record (c)", 0.9),
    KAFKA_TRANSACTIONS(Suite.TRANSACTIONS, "KafkaProducer transactions (baseline)", null),
    ADAPTER_LOCAL(Suite.TRANSACTIONS, "adapter, LocalTransaction (d)", 0.95),
    ADAPTER_XA_ONE_PHASE(Suite.TRANSACTIONS, "adapter, XA alone: one-phase (e)", 0.95),
    // Against the baseline while the floor (g) runs at 0.8 of it or more; else 0.9 of the floor (BenchmarkReport).
    ADAPTER_XA_TWO_PHASE(Suite.TRANSACTIONS, "adapter, XA + second resource: two-phase (f)", 0.8),
    TWO_PHASE_FLOOR(Suite.TRANSACTIONS, "two no-op XA resources: two-phase, no Kafka (g)", null);

    /** A group of modes measured in one unit and compared with the first mode of the group. */
    enum Suite {
        RECORDS("records/s"),
        TRANSACTIONS("transactions/s");

        private final String unit;

        Suite(String unit) {
            this.unit = unit;
        }

        String unit() {
            return unit;
        }
    }

    private final Suite suite;
    private final String label;
    private final Double target;

    /** @param target the least ratio to the suite's baseline the adapter must reach, null for no target */
    Mode(Suite suite, String label, Double target) {
        this.suite = suite;
        this.label = label;
        this.target = target;
    }

    /** The modes of a suite, its baseline first. */
    static List<Mode> of(Suite suite) {
        return Arrays.stream(values()).filter(mode -> mode.suite == suite).toList();
    }

    Suite suite() {
        return suite;
    }

    String label() {
        return label;
    }

    Double target() {
        return target;
    }
}
