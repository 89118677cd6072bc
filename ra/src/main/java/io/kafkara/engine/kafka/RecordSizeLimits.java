package io.kafkara.engine.kafka;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;

/** Rejects a record that could never be sent: larger than one request, or than the whole buffer. */
final class RecordSizeLimits {

    private final int maxRequestSize;
    private final long bufferMemory;

    RecordSizeLimits(int maxRequestSize, long bufferMemory) {
        this.maxRequestSize = maxRequestSize;
        this.bufferMemory = bufferMemory;
    }

    void check(String topic, int serializedSize) {
        if (serializedSize > maxRequestSize) {
            throw new RecordTooLargeException(message(topic, serializedSize, ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                    maxRequestSize));
        }
        if (serializedSize > bufferMemory) {
            throw new RecordTooLargeException(message(topic, serializedSize, ProducerConfig.BUFFER_MEMORY_CONFIG,
                    bufferMemory));
        }
    }

    private static String message(String topic, int size, String setting, long limit) {
        return String.format("The record for topic %s is %d bytes when serialized, which is larger than %s = %d "
                + "bytes. Send smaller records or raise %s.", topic, size, setting, limit, setting);
    }
}
