package io.kafkara.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.Test;

import io.kafkara.engine.kafka.DoorAccess;
import io.kafkara.engine.kafka.RecordMemory;

/**
 * The engines of one definition allocate their batches from one pool: the definition's buffer.memory bounds them
 * all, a full pool fails a send after max.block.ms naming the limit, and one engine's close leaves the pool to the
 * others.
 */
class EngineSharedMemoryTest {

    /** Room for two batches in all; max.block.ms = 0, so a full pool fails at once instead of waiting. */
    private static Map<String, Object> settings() {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        settings.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 2048);
        settings.put(ProducerConfig.BATCH_SIZE_CONFIG, 1024);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 0);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 60_000);
        return settings;
    }

    private static EngineHarness engineOf(RecordMemory memory) {
        Map<String, Object> settings = settings();
        settings.put(RecordMemory.SETTING, memory);
        EngineHarness h = new EngineHarness(settings);
        h.initProducerId();
        return h;
    }

    @Test
    void twoEnginesOfADefinitionShareItsBufferMemoryAndAFullPoolFailsNamingTheLimit() throws Exception {
        try (RecordMemory memory = RecordMemory.of(settings(), Time.SYSTEM);
             EngineHarness first = engineOf(memory); EngineHarness second = engineOf(memory)) {
            first.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "a"), null);
            second.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 1, null, "b"), null);
            assertEquals(0, DoorAccess.availableBytes(memory),
                    "two batches, one per engine, fill the definition's memory");

            Future<RecordMetadata> third = first.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 2, null, "c"),
                    null);

            BufferExhaustedException full = assertInstanceOf(BufferExhaustedException.class,
                    assertThrows(ExecutionException.class, third::get).getCause());
            assertTrue(full.getMessage().contains("Total memory: 2048"), full.getMessage());
        }
    }

    @Test
    void oneEnginesCloseLeavesThePoolToTheOthersAndItsBatchesComeBack() throws Exception {
        try (RecordMemory memory = RecordMemory.of(settings(), Time.SYSTEM); EngineHarness staying = engineOf(memory)) {
            EngineHarness closing = engineOf(memory);
            closing.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "a"), null);
            closing.close();
            assertEquals(2048, DoorAccess.availableBytes(memory), "the closed engine's batch went back to the pool");

            Future<RecordMetadata> sent = staying.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 1, null,
                    "still"), null);
            staying.time.sleep(60_000); // linger.ms is over: the batch is ready
            staying.step();
            staying.broker.answerOldestProduce(Errors.NONE);
            staying.step();
            assertEquals(1, sent.get().partition(), "the other engine still allocates and sends");
        }
    }

    /** The caller's context class loader (an application without the adapter's classes) does not matter. */
    @Test
    void theMemoryIsSetUpOnAThreadWhoseContextLoaderSeesNoKafkaClass() {
        Thread current = Thread.currentThread();
        ClassLoader previous = current.getContextClassLoader();
        current.setContextClassLoader(new ClassLoader("application-without-kafka", null) { });
        try (RecordMemory memory = RecordMemory.of(settings(), Time.SYSTEM)) {
            assertEquals(2048, DoorAccess.totalBytes(memory));
            assertEquals("application-without-kafka", current.getContextClassLoader().getName(), "restored");
        } finally {
            current.setContextClassLoader(previous);
        }
    }

    @Test
    void closingTheDefinitionsMemoryFailsLaterAllocations() {
        RecordMemory memory = RecordMemory.of(settings(), Time.SYSTEM);
        try (EngineHarness h = engineOf(memory)) {
            memory.close();
            KafkaException closed = assertThrows(KafkaException.class, () -> h.engine.send(
                    new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "late"), null));
            assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
        }
    }
}
