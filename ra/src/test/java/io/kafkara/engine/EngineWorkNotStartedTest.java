package io.kafkara.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * A sender Work the container accepted but never starts (every long-running thread busy) is an error on the
 * caller's thread after max.block.ms, naming the work manager and the client id, not a hang; the engine then gives
 * up for good, so the definition's next connection builds a new one, and a late start of the Work does nothing.
 */
class EngineWorkNotStartedTest {

    private static final int MAX_BLOCK_MS = 5_000;

    @Test
    void afterMaxBlockMsWithoutItsWorkTheEngineRefusesNamingTheWorkManager() throws Exception {
        try (EngineHarness h = new EngineHarness(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS,
                ProducerConfig.LINGER_MS_CONFIG, 60_000))) {
            h.engine.workSubmitted();
            Future<RecordMetadata> buffered = h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "a"),
                    null);
            assertTrue(h.engine.isAlive(), "within max.block.ms the Work may still start");

            h.time.sleep(MAX_BLOCK_MS);
            assertFalse(h.engine.isAlive(), "the definition must not hand this engine out again");
            SenderNotStartedException refused = assertThrows(SenderNotStartedException.class,
                    () -> h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "b"), null));

            assertTrue(refused.getMessage().contains("KAFKARA-ENG-008") && refused.getMessage().contains(h.clientId)
                    && refused.getMessage().contains("long-running-threads")
                    && refused.getMessage().contains("max.block.ms (" + MAX_BLOCK_MS + " ms"), refused.getMessage());
            assertInstanceOf(EngineStoppedException.class, refused, "the pool destroys the connection, as for a dead "
                    + "loop");
            assertThrows(ExecutionException.class, buffered::get, "what it had buffered failed");
            SenderNotStartedException again = assertThrows(SenderNotStartedException.class, h.engine::flush);
            assertSame(refused, again, "every later call gets the same refusal");

            h.engine.senderWork().run(); // the container's late start: returns at once, sends nothing
            assertTrue(h.client().requests().isEmpty(), "a late Work sends nothing");
        }
    }

    @Test
    void aWorkThatStartsInTimeChangesNothing() {
        try (EngineHarness h = new EngineHarness(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS))) {
            h.time.sleep(MAX_BLOCK_MS);
            assertTrue(h.engine.isAlive(), "an engine whose Work was never submitted (a test, a tool) is not judged");
            h.engine.workSubmitted();
            h.time.sleep(MAX_BLOCK_MS - 1);
            h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "a"), null);
            assertTrue(h.engine.isAlive());
        }
    }
}
