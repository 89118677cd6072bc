package io.kafkara.it.bench;

import java.util.Arrays;
import java.util.List;

/** What one benchmark run measures, and which suite (unit and baseline) it belongs to. */
enum Mode {
    KAFKA_PRODUCER(Suite.RECORDS, "KafkaProducer (baseline)"),
    ENGINE(Suite.RECORDS, "engine standalone (a)"),
    ADAPTER_HELD(Suite.RECORDS, "adapter, one connection (b)"),
    ADAPTER_PER_RECORD(Suite.RECORDS, "adapter, per record (c)"),
    KAFKA_TRANSACTIONS(Suite.TRANSACTIONS, "KafkaProducer transactions (baseline)"),
    ADAPTER_LOCAL(Suite.TRANSACTIONS, "adapter, LocalTransaction (d)"),
    ADAPTER_XA_ONE_PHASE(Suite.TRANSACTIONS, "adapter, XA alone: one-phase (e)"),
    ADAPTER_XA_TWO_PHASE(Suite.TRANSACTIONS, "adapter, XA + second resource: two-phase (f)"),
    TWO_PHASE_FLOOR(Suite.TRANSACTIONS, "two no-op XA resources: two-phase, no Kafka (g)");

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

    Mode(Suite suite, String label) {
        this.suite = suite;
        this.label = label;
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
}
