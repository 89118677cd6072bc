package io.kafkara.it.bench;

/** What one benchmark run measures. */
enum Mode {
    KAFKA_PRODUCER("KafkaProducer (baseline)"),
    ENGINE("engine standalone (a)"),
    ADAPTER_HELD("adapter, one connection (b)"),
    ADAPTER_PER_RECORD("adapter, per record (c)");

    private final String label;

    Mode(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
