package io.kafkara.engine.kafka;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.record.internal.CompressionType;

/**
 * Settings derived from a {@link ProducerConfig} the way the producer interprets them (batch size floor, linger cap,
 * compression levels, delivery timeout bound). Only derivations live here; every default stays in ProducerConfig.
 */
final class ProducerSettings {

    private ProducerSettings() {
    }

    /** batch.size 0 means "no batching", which the accumulator expresses as batches of one byte minimum. */
    static int batchSize(ProducerConfig config) {
        return Math.max(1, config.getInt(ProducerConfig.BATCH_SIZE_CONFIG));
    }

    /** The accumulator takes linger.ms as an int; larger values mean "wait as long as possible". */
    static int lingerMs(ProducerConfig config) {
        return (int) Math.min(config.getLong(ProducerConfig.LINGER_MS_CONFIG), Integer.MAX_VALUE);
    }

    static Compression compression(ProducerConfig config) {
        CompressionType type = CompressionType.forName(config.getString(ProducerConfig.COMPRESSION_TYPE_CONFIG));
        switch (type) {
            case GZIP:
                return Compression.gzip().level(config.getInt(ProducerConfig.COMPRESSION_GZIP_LEVEL_CONFIG)).build();
            case LZ4:
                return Compression.lz4().level(config.getInt(ProducerConfig.COMPRESSION_LZ4_LEVEL_CONFIG)).build();
            case ZSTD:
                return Compression.zstd().level(config.getInt(ProducerConfig.COMPRESSION_ZSTD_LEVEL_CONFIG)).build();
            default:
                return Compression.of(type).build();
        }
    }

    /**
     * delivery.timeout.ms must cover linger.ms + request.timeout.ms. A value the user set explicitly is rejected when
     * it does not; the default is raised silently, because the user never chose it.
     */
    static int deliveryTimeoutMs(ProducerConfig config) {
        int configured = config.getInt(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);
        int floor = (int) Math.min((long) lingerMs(config) + config.getInt(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG),
                Integer.MAX_VALUE);
        if (configured >= floor) {
            return configured;
        }
        if (config.originals().containsKey(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)) {
            throw new ConfigException(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, configured,
                    "must be at least " + ProducerConfig.LINGER_MS_CONFIG + " + "
                            + ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG + " = " + floor);
        }
        return floor;
    }
}
