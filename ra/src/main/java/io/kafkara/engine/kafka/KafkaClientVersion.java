package io.kafkara.engine.kafka;

import org.apache.kafka.common.utils.AppInfoParser;

/** The version of the kafka-clients the adapter runs on, as Kafka reports it (its AppInfoParser is not public API). */
public final class KafkaClientVersion {

    private KafkaClientVersion() {
    }

    /** For example {@code 4.3.1}. */
    public static String current() {
        return AppInfoParser.getVersion();
    }
}
