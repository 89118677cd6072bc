package io.kafkara.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.utils.MockTime;
import org.junit.jupiter.api.Test;

/** Waiting for metadata (bounded by max.block.ms), and flush. */
class EngineMetadataAndFlushTest {

    /** A clock that moves 1000 ms whenever it is read, so a 1000 ms max.block.ms expires on the first look. */
    private static EngineHarness withTickingClock(boolean withTopic) {
        return new EngineHarness(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000), EngineHarness.class.getClassLoader(),
                withTopic, new MockTime(1000), GuardedClient::new);
    }

    @Test
    void aSendToAnUnknownTopicTimesOutNamingTheTopic() {
        try (EngineHarness h = withTickingClock(false)) {
            Future<RecordMetadata> sent = h.engine.send(new ProducerRecord<>("missing-topic", "v"), null);

            TimeoutException timeout = assertInstanceOf(TimeoutException.class,
                    assertThrows(ExecutionException.class, sent::get).getCause());
            assertTrue(timeout.getMessage().contains("Topic missing-topic not present in metadata after 1000 ms"),
                    timeout.getMessage());
            assertTrue(timeout.getMessage().contains("max.block.ms"), timeout.getMessage());
        }
    }

    @Test
    void aSendToAMissingPartitionTimesOutNamingThePartitionCount() {
        try (EngineHarness h = withTickingClock(true)) {
            Future<RecordMetadata> sent = h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 7, null, "v"), null);

            String message = assertThrows(ExecutionException.class, sent::get).getCause().getMessage();
            assertTrue(message.contains("Partition 7 of topic orders with partition count 3"), message);
        }
    }

    @Test
    void partitionsForTimesOutNamingTheTopicAndAnswersForAKnownOne() {
        try (EngineHarness h = withTickingClock(true)) {
            TimeoutException timeout = assertThrows(TimeoutException.class, () -> h.engine.partitionsFor("nope"));
            assertTrue(timeout.getMessage().contains("nope"), timeout.getMessage());
            assertEquals(3, h.engine.partitionsFor(EngineHarness.TOPIC).size());
        }
    }

    @Test
    void flushSendsLingeringRecordsAtOnceAndReturnsWhenTheyCompleted() throws Exception {
        try (EngineHarness h = new EngineHarness(Map.of(ProducerConfig.LINGER_MS_CONFIG, 60_000))) {
            h.initProducerId();
            Future<RecordMetadata> first = h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 0, null, "a"), null);
            Future<RecordMetadata> second = h.engine.send(new ProducerRecord<>(EngineHarness.TOPIC, 1, null, "b"), null);
            // lingering: no produce request yet
            h.step();
            assertEquals(0, h.producesInFlight());
            long before = h.time.milliseconds();

            // flush wakes the loop: step it, sending and acknowledging, until both records completed
            h.stepOnWakeup(h::stepAndAcknowledge, () -> first.isDone() && second.isDone(),
                    "flush to make both lingering records sendable and see them acknowledged");
            h.engine.flush();

            assertTrue(first.isDone() && second.isDone(), "flush returns only after every record completed");
            assertEquals(List.of(0, 1), List.of(first.get().partition(), second.get().partition()));
            assertEquals(before, h.time.milliseconds(), "flush did not wait for linger.ms");
        }
    }
}
