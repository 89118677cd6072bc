package io.kafkara.observe;

/**
 * The Kafka producer metrics a definition exports, named as Micrometer's own Kafka binder names them
 * ({@code kafka.} + group without {@code -metrics} + name, dashes as dots), so dashboards made for that binder
 * work; each is the definition's, over all its application engines.
 */
enum ProducerMeter {
    /** Records sent to the brokers (retries count again). */
    RECORD_SEND_TOTAL("record-send-total", Kind.TOTAL),
    /** Records whose send failed. */
    RECORD_ERROR_TOTAL("record-error-total", Kind.TOTAL),
    /** Retried sends of records. */
    RECORD_RETRY_TOTAL("record-retry-total", Kind.TOTAL),
    /** Records sent per second. */
    RECORD_SEND_RATE("record-send-rate", Kind.SUM),
    /** Average bytes per batch sent. */
    BATCH_SIZE_AVG("batch-size-avg", Kind.MEAN),
    /** Average produce request latency in milliseconds. */
    REQUEST_LATENCY_AVG("request-latency-avg", Kind.MEAN),
    /** Bytes of the definition's record memory unused: its engines share it, so each reports the same pool. */
    BUFFER_AVAILABLE_BYTES("buffer-available-bytes", Kind.MAX);

    /** How the engines' values make the definition's. */
    enum Kind {
        /** A counter: summed over every engine the definition had. */
        TOTAL,
        /** A gauge summed over the live engines. */
        SUM,
        /** A gauge averaged over the live engines. */
        MEAN,
        /** A gauge: the largest value among the live engines. */
        MAX
    }

    private final String kafkaName;
    private final Kind kind;
    ProducerMeter(String kafkaName, Kind kind) {
        this.kafkaName = kafkaName;
        this.kind = kind;
    }

    String kafkaName() {
        return kafkaName;
    }

    Kind kind() {
        return kind;
    }

    /** The meter's name: as Micrometer's Kafka binder would name the producer-metrics metric. */
    String meterName() {
        return "kafka.producer." + kafkaName.replace('-', '.');
    }

    /** The definition's value now. */
    double read(EngineRoster engines) {
        return switch (kind) {
            case TOTAL -> engines.total(kafkaName);
            case SUM -> engines.sum(kafkaName);
            case MEAN -> engines.mean(kafkaName);
            case MAX -> engines.max(kafkaName);
        };
    }
}
