package io.kafkara.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;

/** buffer.memory, max.block.ms and max.request.size, as the application sees them. */
class EngineMemoryAndSizeTest {

    @Test
    void exhaustedBufferFailsTheRecordAfterMaxBlockMs() {
        // room for exactly two batches; max.block.ms = 0 so the full pool fails at once instead of waiting
        try (EngineHarness h = new EngineHarness(Map.of(ProducerConfig.BUFFER_MEMORY_CONFIG, 2048,
                ProducerConfig.BATCH_SIZE_CONFIG, 1024, ProducerConfig.MAX_BLOCK_MS_CONFIG, 0,
                ProducerConfig.LINGER_MS_CONFIG, 60_000))) {
            h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "a"), null);
            h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 1, null, "b"), null);
            List<Exception> callbackErrors = new ArrayList<>();

            Future<RecordMetadata> third = h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 2, null, "c"),
                    (metadata, error) -> callbackErrors.add(error));

            ExecutionException failure = assertThrows(ExecutionException.class, third::get);
            assertInstanceOf(BufferExhaustedException.class, failure.getCause());
            assertTrue(failure.getCause().getMessage().contains("0 ms"), failure.getCause().getMessage());
            assertEquals(1, callbackErrors.size(), "the callback hears of the failure too");
        }
    }

    @Test
    void aRecordLargerThanMaxRequestSizeIsRejectedNamingLimitAndSize() {
        try (EngineHarness h = new EngineHarness(Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 500))) {
            Future<RecordMetadata> sent = h.engine.send(
                    new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "x".repeat(1000)), null);

            String message = assertInstanceOf(RecordTooLargeException.class,
                    assertThrows(ExecutionException.class, sent::get).getCause()).getMessage();
            assertTrue(message.contains("max.request.size = 500"), message);
            assertTrue(message.matches(".*is 10\\d\\d bytes.*"), message);
            assertTrue(message.contains(EngineHarness.TOPIC), message);
        }
    }

    @Test
    void aRecordLargerThanTheWholeBufferIsRejectedNamingBufferMemory() {
        try (EngineHarness h = new EngineHarness(Map.of(ProducerConfig.BUFFER_MEMORY_CONFIG, 4096,
                ProducerConfig.BATCH_SIZE_CONFIG, 1024))) {
            Future<RecordMetadata> sent = h.engine.send(
                    new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "x".repeat(5000)), null);

            String message = assertThrows(ExecutionException.class, sent::get).getCause().getMessage();
            assertTrue(message.contains("buffer.memory = 4096"), message);
            assertTrue(message.matches(".*is 50\\d\\d bytes.*"), message);
        }
    }
}
